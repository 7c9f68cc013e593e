// What the local page needs from the agent core (edge-agent/agent.ts) and the rest of the station.
import type { FfmpegPaths } from '../../audio/index.ts';
import type { Alert, AlertState } from '../../schedules/alerts.ts';
import type { ClipRef, TimetableEntry } from '../../schedules/model.ts';
import type { Override, OverrideKind } from '../../schedules/overrides.ts';
import type { AgentConfig } from '../config.ts';
import type { Clock, Logger } from '../deps.ts';
import type { AgentStatus } from '../status.ts';

/** An override as ward staff ask for it; `createdBy` is the name given at sign-in. */
export interface OverrideRequest {
  kind: OverrideKind;
  createdBy: string;
  reason: string;
  startsAt?: string;
  endsAt?: string;
  entryId?: string;
  clipId?: string;
  volume?: number;
}

export interface AlertAtStation {
  alert: Alert;
  state: AlertState;
  at: string;
  reason: string | null;
  detail: string | null;
}

export interface StationClip {
  id: string;
  title: string | null;
  durationMs: number;
  local: boolean;
}

/** The part of the Agent the local page drives (the Agent returned by createAgent has all of it). */
export interface LocalAgent {
  status(): AgentStatus;
  overrides: {
    /** Not ended, or ended within the last 7 days; newest first. */
    list(): Override[];
    /** Throws OverrideError (status 400, 404 or 409) when refused. */
    create(input: OverrideRequest): Override;
    /** `by` is recorded as cancelledBy: `station:<name>` from this page. */
    cancel(id: string, by: string): Override;
  };
  alerts(): AlertAtStation[];
  declineAlert(alertId: string, by: string, reason: string): Override;
  timetable(from: Date, to: Date): TimetableEntry[];
  clips(): StationClip[];
  registerLocalClip(file: string, meta: { title: string; by: string; durationMs: number }): Promise<ClipRef>;
}

export interface LocalDeps {
  agent: LocalAgent;
  config: AgentConfig;
  clock: Clock;
  log: Logger;
  ffmpeg: FfmpegPaths;
  /** The station's time zone (config, else the desired state's, else Asia/Ho_Chi_Minh). */
  timezone(): string;
  /** Session lifetime; default 12 h. */
  sessionTtlMs?: number;
}
