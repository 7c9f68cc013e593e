// What the rest of the controller knows of live sessions: the request that opens one, the service's
// interface (deps.live) and the socket's line to a session. Kept apart from sessions.ts so that deps.ts
// names the interface without importing the implementation (and its imports).
import { z } from 'zod';
import { AlertLevel } from '../../schedules/alerts.ts';
import { Target } from '../../schedules/model.ts';
import type { Principal } from '../users/roles.ts';
import type { EndReason, LiveSessionRow } from './store.ts';

export const LiveCreate = z.strictObject({
  level: AlertLevel,
  title: z.string().trim().min(1).max(200),
  /** Why; shown to ward staff and kept in reports. Default: the title. */
  reason: z.string().trim().min(1).max(500).optional(),
  targets: z.array(Target).min(1).max(500),
  /** Emergency only: speak into quiet windows too. Recorded with the bulletin. */
  ignoreQuietWindows: z.boolean().default(false),
});
export type LiveCreate = z.infer<typeof LiveCreate>;

/** What the socket gets when it presents a session's token: where its chunks go. */
export interface LiveLine {
  push(chunk: Buffer): void;
  /** The socket closed (or sent garbage): the session ends for this reason. */
  hangUp(reason: EndReason, detail: string | null): void;
}

export interface LiveSessions {
  open(body: LiveCreate, principal: Principal | null): { row: LiveSessionRow; token: string };
  /** Ends a session (the speaker's end, a technician's, a socket's); 409 when it already ended. */
  end(id: string, reason: EndReason, detail: string | null): Promise<LiveSessionRow>;
  /** A socket with the session's token; `close` is how the session closes the socket when it ends. */
  connect(id: string, token: string, close: (code: number, why: string) => void): LiveLine;
  /** Ends every running session (the controller stops). */
  close(): Promise<void>;
}
