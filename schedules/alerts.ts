// Bulletins sent from the controller to stations at the three levels of Circular 39/2020/TT-BTTTT, and their status.
import { z } from 'zod';
import { ClipRef, Id, Target } from './model.ts';
import { PlayShapeFields, shapes } from './repeat.ts';

/**
 * normal: offered to the station's timetable (played last in its next session), ward staff may decline it;
 * priority: placed first in the station's next session;
 * emergency: plays at once, cutting whatever plays; ward staff cannot stop it.
 */
export const AlertLevel = z.enum(['normal', 'priority', 'emergency']);
export type AlertLevel = z.infer<typeof AlertLevel>;

const Instant = z.iso.datetime();

/** A live session's sound: the stream server's mount the station listens to while someone speaks. */
export const LiveSound = z.object({
  /** The station's listen URL (Icecast, Ogg/Opus); the station authenticates with its own credentials. */
  url: z.url({ protocol: /^https?$/ }),
  sessionId: Id,
  /** Who speaks (the user's name), for the as-run log. */
  speaker: z.string().trim().min(1).max(100),
  /** Set when the speaker ends the session: the entry ends there, and the air after it is free again. */
  endedAt: Instant.nullish(),
});
export type LiveSound = z.infer<typeof LiveSound>;

/** The bulletin as published (retained) on each target's alert topic: its sound is a clip or a live stream. */
export const Alert = z
  .object({
    id: Id,
    level: AlertLevel,
    title: z.string().trim().min(1).max(200),
    /** Why it is sent; shown to ward staff and kept in reports. */
    reason: z.string().trim().min(1).max(500),
    clip: ClipRef.optional(),
    /** Live speech instead of a clip (controller/live/); exactly one of clip and live is present. */
    live: LiveSound.optional(),
    targets: z.array(Target).min(1).max(500),
    issuedAt: Instant,
    issuedBy: z.string().max(100),
    /** Not played after this instant; a station that comes online later does not play it. */
    expiresAt: Instant,
    /** Emergency only: plays inside quiet windows too. Only when the sender says so; recorded. */
    ignoreQuietWindows: z.boolean().default(false),
    /** Set when the sender withdraws it: a station stops it (if on air) and does not play it. */
    cancelledAt: Instant.nullable().default(null),
    /** Its clip read N times with a gap, and/or a chime before and after (schedules/repeat.ts). */
    ...PlayShapeFields,
  })
  .refine((a) => (a.clip === undefined) !== (a.live === undefined), {
    message: 'a bulletin has exactly one sound: a clip or a live stream',
    path: ['clip'],
  })
  .refine((a) => !a.live || !shapes(a), {
    message: 'a live session is heard once: no repeat or chime',
    path: ['repeat'],
  });
export type Alert = z.infer<typeof Alert>;

/** Where a bulletin stands at one station; states only move forward (see alertStateRank). */
export const AlertState = z.enum([
  'received',
  /** Waiting: an emergency held by a quiet window, a bulletin waiting for its session or its clip. */
  'held',
  /** On air: the relay went on (the warm-up began). */
  'started',
  /** The first sample of its sound left for the speakers. */
  'sounding',
  'finished',
  'failed',
  'skipped',
  'declined',
  'expired',
  'cancelled',
]);
export type AlertState = z.infer<typeof AlertState>;

/** Final states share the top rank: the first one reported stands. `sounding` came later, between started and the end. */
export function alertStateRank(s: AlertState): number {
  return s === 'received' ? 1 : s === 'held' ? 2 : s === 'started' ? 3 : s === 'sounding' ? 3.5 : 4;
}

export const AlertStatus = z.object({
  alertId: Id,
  stationId: Id,
  state: AlertState,
  at: Instant,
  /** Machine-readable, e.g. 'online-class', 'clip-missing', 'local-stop'. */
  reason: z.string().max(100).nullable(),
  detail: z.string().max(1000).nullable(),
});
export type AlertStatus = z.infer<typeof AlertStatus>;

export const AlertStatusBatch = z.object({ statuses: z.array(AlertStatus).min(1).max(200) });
export type AlertStatusBatch = z.infer<typeof AlertStatusBatch>;

/** A bulletin as one station knows it: when it arrived, when its clip was ready, when it started. */
export interface AlertPlan {
  alert: Alert;
  /** When the station received it (the controller's preview uses the issue time until a status says). */
  receivedAt: string;
  /** When its clip was on the station: an emergency starts then (or at receivedAt if absent). */
  readyAt?: string | null;
  /** When it went on air, once it has. */
  startedAt?: string | null;
}
