// The shared vocabulary of the scheduler: targets, slots, quiet windows, desired state, timetable entries.
import { z } from 'zod';
import { DayRule } from './calendar/days.ts';
import { type Chime, PlayShapeFields, type Repeat, shapes } from './repeat.ts';

export const DEFAULT_TIMEZONE = 'Asia/Ho_Chi_Minh';
/** The agent's default amplifier warm-up before the sound and tail after it; previews use the same. */
export const DEFAULT_WARM_UP_MS = 2000;
export const DEFAULT_TAIL_MS = 1000;

/** Identifiers travel in MQTT topics and file names, so they are kept to a safe alphabet. */
export const Id = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, 'id must be 1-64 letters, digits, "-" or "_"');

export const LocalTime = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$/, 'time must be HH:MM or HH:MM:SS (24-hour clock)');

export const LocalDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'date must be YYYY-MM-DD')
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s);
  }, 'date does not exist in the calendar');

/** ISO weekday: 1 = Monday (Thứ Hai) ... 7 = Sunday (Chủ nhật). */
export const Weekday = z.number().int().min(1).max(7);
const Weekdays = z
  .array(Weekday)
  .min(1, 'at least one weekday')
  .transform((days) => [...new Set(days)].sort((a, b) => a - b));

/**
 * Which stations a rule or bulletin addresses: an area of the tree with everything under it (the root is
 * the whole province or city), one station, or one loudspeaker cluster (zone) of a station.
 * `city`, `district` and `ward` are the targets of the version before the area tree, still read for one
 * version (docs/protocol.md); the controller stores and sends only the first three.
 */
export const Target = z.discriminatedUnion('scope', [
  z.object({ scope: z.literal('area'), id: Id }),
  z.object({ scope: z.literal('station'), id: Id }),
  z.object({ scope: z.literal('zone'), station: Id, zone: Id }),
  z.object({ scope: z.literal('city') }),
  z.object({ scope: z.literal('district'), id: Id }),
  z.object({ scope: z.literal('ward'), id: Id }),
]);
export type Target = z.infer<typeof Target>;
export type LegacyTarget = Extract<Target, { scope: 'city' | 'district' | 'ward' }>;
export type TreeTarget = Exclude<Target, LegacyTarget>;

/** How deep an area tree may go (province, district, commune, village, hamlet, ... with room to spare). */
export const MAX_AREA_DEPTH = 12;

/** A desired state of the version before the tree names a district and a ward instead of a chain. */
const legacyPlace = (v: unknown) => {
  if (!v || typeof v !== 'object' || 'areaPath' in v) return v;
  const { district, ward } = v as { district?: unknown; ward?: unknown };
  return typeof district === 'string' && typeof ward === 'string' ? { ...v, areaPath: [district, ward] } : v;
};

export const StationInfo = z.preprocess(
  legacyPlace,
  z.object({
    id: Id,
    name: z.string().min(1).max(200),
    /** The station's chain of areas, from the root (the whole province or city) to the area it hangs from. */
    areaPath: z.array(Id).min(1).max(MAX_AREA_DEPTH),
    /** Only in desired states of the version before the tree (read for one version). */
    district: Id.optional(),
    ward: Id.optional(),
    timezone: z.string().min(1).default(DEFAULT_TIMEZONE),
  }),
);
export type StationInfo = z.infer<typeof StationInfo>;

export const dateRangeOk = (v: { startDate: string; endDate: string }) => v.startDate <= v.endDate;
export const dateRangeMessage = { message: 'endDate must not be before startDate', path: ['endDate'] };

/** A relay's upstream: HTTP(S) only (Icecast MP3, AAC or Ogg; HLS playlists). */
export const StreamUrl = z
  .string()
  .max(2000)
  .refine((s) => {
    try {
      const u = new URL(s);
      return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '';
    } catch {
      return false;
    }
  }, 'a stream URL must be http:// or https://');

/**
 * A relay (tiếp sóng): the slot plays a stream from its start time to `endTime` instead of clips; its
 * clips, if any, are the fallback played when the stream does not start, stays silent or drops for good.
 */
export const Relay = z.object({
  /** The upstream, e.g. VOV1's or the provincial station's stream. */
  url: StreamUrl,
  /** Local time the relay ends, after startTime on the same day. */
  endTime: LocalTime,
  /**
   * `stream-server`: the controller pulls the upstream once and the stations listen to its stream server
   * with their own credentials (one listener upstream for the whole province); `direct`: each station pulls.
   */
  via: z.enum(['stream-server', 'direct']).default('stream-server'),
  /** Set by the controller in a station's desired state: where that station listens. */
  listenUrl: StreamUrl.optional(),
});
export type Relay = z.infer<typeof Relay>;

export const SlotFields = z.object({
  id: Id,
  campaignId: Id.nullable().default(null),
  /** Clips played back to back, in this order; for a relay, its fallback (none: silence, amplifier off). */
  clipIds: z.array(Id).max(50).default([]),
  relay: Relay.nullish(),
  startTime: LocalTime,
  weekdays: Weekdays,
  startDate: LocalDate,
  endDate: LocalDate,
  target: Target,
  /** Breaks ties between overlapping entries that start at the same instant (then the slot id). */
  priority: z.number().int().min(0).max(100).default(0),
  /** Gain for this slot's entries, 0 to 2, multiplied with the station's volume; absent means 1. */
  volume: z.number().min(0).max(2).optional(),
  /**
   * Flexible slot: on each of its days, played at the first time from startTime on at which its sound
   * fits before this local time, clear of quiet windows and other entries. Absent or null: fixed at startTime.
   */
  flexibleUntil: LocalTime.nullish(),
  /** Read the clips N times with a gap, and/or a chime before and after (schedules/repeat.ts). */
  ...PlayShapeFields,
});
const hms = (t: string) => (t.length === 5 ? `${t}:00` : t);
// Same-day windows only: broadcasts past midnight are not a loudspeaker use, and a wrap would be a typo.
export const flexibleOk = (v: { startTime: string; flexibleUntil?: string | null | undefined }) =>
  v.flexibleUntil == null || hms(v.flexibleUntil) > hms(v.startTime);
export const flexibleMessage = {
  message: 'flexibleUntil must be after startTime on the same day',
  path: ['flexibleUntil'],
};
/** A slot plays clips or relays a stream; a relay is fixed (no flexible relay) and ends after it starts. */
export const contentProblem = (v: {
  clipIds: string[];
  startTime: string;
  flexibleUntil?: string | null | undefined;
  relay?: { endTime: string } | null | undefined;
  repeat?: Repeat | null;
  chime?: Chime | null;
}): { message: string; path: string[] } | null => {
  if (!v.relay)
    return v.clipIds.length > 0 ? null : { message: 'a slot plays at least one clip', path: ['clipIds'] };
  if (shapes(v)) return { message: 'a relay plays its stream once: no repeat or chime', path: ['repeat'] };
  if (v.flexibleUntil != null)
    return { message: 'a relay starts at its time: it cannot be flexible', path: ['flexibleUntil'] };
  if (hms(v.relay.endTime) <= hms(v.startTime))
    return { message: 'relay.endTime must be after startTime on the same day', path: ['relay', 'endTime'] };
  return null;
};
export const Slot = SlotFields.refine(dateRangeOk, dateRangeMessage)
  .refine(flexibleOk, flexibleMessage)
  .superRefine((v, ctx) => {
    const problem = contentProblem(v);
    if (problem) ctx.addIssue({ code: 'custom', ...problem });
  });
export type Slot = z.infer<typeof Slot>;

export const QuietReason = z.enum(['online-class', 'national-relay', 'local-event', 'other']);
export type QuietReason = z.infer<typeof QuietReason>;

/** A quiet window is local time on given weekdays; endTime <= startTime means it runs past midnight. */
export const QuietWindowFields = z.object({
  id: Id,
  weekdays: Weekdays,
  startTime: LocalTime,
  endTime: LocalTime,
  startDate: LocalDate,
  endDate: LocalDate,
  reason: QuietReason,
  note: z.string().max(500).default(''),
  /** Days inside the date range when the window does not apply (school holidays within a term). */
  exceptDates: z.array(LocalDate).max(200).optional(),
  /** Only on these days (holidays, lunar or solar dates; schedules/calendar/days.ts), besides the weekdays. */
  days: DayRule.optional(),
  /** Not on these days (no online classes at Tết). */
  exceptDays: DayRule.optional(),
  target: Target,
});
export const QuietWindow = QuietWindowFields.refine(dateRangeOk, dateRangeMessage);
export type QuietWindow = z.infer<typeof QuietWindow>;

export const ClipRef = z.object({
  id: Id,
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  durationMs: z.number().int().positive(),
  bytes: z.number().int().positive(),
  /** What people call it (the library's title): the station page names entries by it. */
  title: z.string().min(1).max(200).optional(),
});
export type ClipRef = z.infer<typeof ClipRef>;

/** Everything a station needs to run on its own: what the controller publishes, retained. */
export const DesiredState = z.object({
  version: z.number().int().min(1),
  issuedAt: z.iso.datetime(),
  station: StationInfo,
  slots: z.array(Slot),
  quietWindows: z.array(QuietWindow),
  clips: z.array(ClipRef),
  /** Local overrides cancelled from the controller (/api/overrides); the station ends them. */
  cancelledOverrides: z.array(Id).max(1000).optional(),
  /** The province's own speech dictionary (written form to spoken form), over the built-in one; absent when empty. */
  speechDictionary: z.record(z.string().min(1).max(40), z.string().min(1).max(200)).optional(),
});
export type DesiredState = z.infer<typeof DesiredState>;

/** Air-time caps for an area (Hanoi 2021: 2 sessions a day, 5 days a week, 15 or 45 minutes a session). */
export const AirTimePolicy = z.object({
  maxSessionsPerDay: z.number().int().min(1).max(48).optional(),
  /** Minutes of sound in one session. */
  maxMinutesPerSession: z.number().positive().max(1440).optional(),
  maxDaysPerWeek: z.number().int().min(1).max(7).optional(),
  /** Entries less than this many minutes apart belong to the same session; absent means 30. */
  sessionGapMinutes: z.number().min(0).max(1440).optional(),
  /** On a breach, saving a slot warns or is refused. */
  enforcement: z.enum(['warn', 'refuse']).default('warn'),
  /** Counts only these days (holidays, lunar or solar dates), or every day but these: Tết may be spared. */
  days: DayRule.optional(),
  exceptDays: DayRule.optional(),
});
export type AirTimePolicy = z.infer<typeof AirTimePolicy>;

/** What kept an entry off air, or pushed a flexible entry later. */
export type BlockReason =
  | { code: 'quiet-window'; quietWindowId: string; quietReason: QuietReason }
  | { code: 'overlap'; entryId: string };
export type SkipReason =
  | BlockReason
  | { code: 'clip-unknown'; clipId: string }
  /** A flexible slot found no time in its window (UTC instants) clear of what blocks it. */
  | { code: 'no-room'; windowStart: string; windowEnd: string; blockedBy: BlockReason[] }
  /** A local override by ward staff: stop, pause, local quiet window, or skip of this entry. */
  | { code: 'override'; overrideId: string; overrideKind: 'stop' | 'pause' | 'quiet' | 'skip' }
  /** An entry of higher precedence (emergency, priority bulletin, local announcement) holds the air. */
  | { code: 'preempted'; entryId: string; by: 'emergency' | 'priority' | 'announcement' }
  /** A bulletin past its expiry, or cancelled by its sender. */
  | { code: 'expired' }
  | { code: 'cancelled' };

/** Where a flexible slot asked to be and why it went later; movedBecause is empty when it was not moved. */
export interface Placement {
  /** UTC instants: the sound may start from requestedFrom and must end by requestedUntil. */
  requestedFrom: string;
  requestedUntil: string;
  movedBecause: BlockReason[];
}

/** Where an entry comes from when it is not a slot: a bulletin (alert) or a local announcement. */
export type EntrySource =
  | { kind: 'alert'; alertId: string; level: 'normal' | 'priority' | 'emergency' }
  | { kind: 'announcement'; overrideId: string };

interface EntryBase {
  /**
   * Deterministic: `${slotId}@${localDate}` for a slot, `alert:<alertId>` for a bulletin,
   * `local:<overrideId>` for a local announcement; the same on controller and agent.
   */
  id: string;
  /** The slot; for a bulletin or announcement, the alert or override id. */
  slotId: string;
  /** Absent for slot entries. */
  source?: EntrySource;
  campaignId: string | null;
  stationId: string;
  clipIds: string[];
  /** A relay slot's stream (its clipIds are the fallback); the entry runs from startsAt to endsAt. */
  relay?: Relay;
  /** Its clips read more than once, or with chimes: startsAt..endsAt covers the whole (schedules/repeat.ts). */
  repeat?: Repeat;
  chime?: Chime;
  /** A live session's stream (a bulletin without a clip); the entry ends when the stream does. */
  live?: { url: string; sessionId: string; speaker: string };
  /** Local date of the slot and local time the entry starts (a flexible one: where it was placed). */
  localDate: string;
  localTime: string;
  /** UTC ISO instants: sound starts at startsAt and ends at endsAt. */
  startsAt: string;
  endsAt: string;
}
export type TimetableEntry =
  | (EntryBase & { status: 'scheduled'; placement?: Placement })
  | (EntryBase & { status: 'skipped'; skip: SkipReason });
