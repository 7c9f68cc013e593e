// The working state of the precedence step: entries as instants, what keeps them off air, and sessions.
import type { Placement, SkipReason, TimetableEntry } from '../model.ts';
import { isoInstant, utcToZoned } from '../time.ts';

/** The fields of an entry other than its outcome. */
export type EntryFields = Omit<TimetableEntry, 'status' | 'skip' | 'placement'>;

/** An entry while precedence is decided: sound from start to end (ms), and its outcome so far. */
export interface Work {
  fields: EntryFields;
  /** The compiled entry it came from (slot entries), returned as is when nothing changed it. */
  entry?: TimetableEntry;
  /** entryRank: 1 emergency, 5 priority, 6 announcement, 8 slot, 9 normal. */
  rank: number;
  start: number;
  end: number;
  /** Where the compiler put it, before a priority bulletin moved it. */
  origStart: number;
  origEnd: number;
  skip: SkipReason | null;
  placement: Placement | undefined;
}

/** Work for an entry the compiler did not make (a bulletin, an announcement), placed at [start, end). */
export const newWork = (fields: EntryFields, rank: number, start: number, end: number): Work => ({
  fields,
  rank,
  start,
  end,
  origStart: start,
  origEnd: end,
  skip: null,
  placement: undefined,
});

/** An interval on-air time must not touch (raw for silences and quiet windows, on-air for entries). */
export interface Blocker {
  start: number;
  end: number;
  skip: SkipReason;
}

export interface Margins {
  lead: number;
  tail: number;
}

/** Whether the on-air time of sound [start, end] touches the blocker (as the compiler decides). */
export const touches = (start: number, end: number, b: Blocker, m: Margins) =>
  start - m.lead < b.end && b.start < end + m.tail;

/** The first blocker (in list order) the sound [start, end] touches, or undefined. */
export function hit(
  start: number,
  end: number,
  lists: readonly Blocker[][],
  m: Margins,
): Blocker | undefined {
  for (const list of lists) {
    for (const b of list) if (touches(start, end, b, m)) return b;
  }
  return undefined;
}

/** A scheduled entry as a blocker for the ones decided after it. */
export const airOf = (w: Work, skip: SkipReason, m: Margins): Blocker => ({
  start: w.start - m.lead,
  end: w.end + m.tail,
  skip,
});

/** How an entry keeps a lower one off air: emergencies, priority bulletins and announcements preempt. */
export function blockedBy(w: Work): SkipReason {
  const s = w.fields.source;
  if (s?.kind === 'announcement') return { code: 'preempted', entryId: w.fields.id, by: 'announcement' };
  if (s?.kind === 'alert' && s.level !== 'normal')
    return { code: 'preempted', entryId: w.fields.id, by: s.level };
  return { code: 'overlap', entryId: w.fields.id };
}

/**
 * The earliest instant s >= from at which sound of `durationMs` is clear of every blocker, if s < limit;
 * otherwise the last blocker that pushed it (null when none did and `from` itself is past the limit).
 */
export function firstClear(
  from: number,
  durationMs: number,
  lists: readonly Blocker[][],
  limit: number,
  m: Margins,
): { start: number } | { start: null; blocker: Blocker | null } {
  let s = from;
  let last: Blocker | null = null;
  while (s < limit) {
    const b = hit(s, s + durationMs, lists, m);
    if (!b) return { start: s };
    last = b;
    // b is passed for good: s - lead >= b.end afterwards
    s = b.end + m.lead;
  }
  return { start: null, blocker: last };
}

/** Scheduled entries grouped into sessions: each starts `gapMs` or more after the previous one's sound ended. */
export function sessionsOf(scheduled: Work[], gapMs: number): Work[][] {
  const out: Work[][] = [];
  let end = Number.NEGATIVE_INFINITY;
  for (const w of [...scheduled].sort(byStart)) {
    const open = out.at(-1);
    if (open && w.start - end < gapMs) {
      open.push(w);
      end = Math.max(end, w.end);
    } else {
      out.push([w]);
      end = w.end;
    }
  }
  return out;
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
export const byStart = (a: Work, b: Work) => a.start - b.start || cmp(a.fields.id, b.fields.id);

export const scheduled = (w: Work) => w.skip === null;

/** A timetable entry with its sound's start and end as epoch ms, as the compiler hands them over. */
export interface Decided {
  entry: TimetableEntry;
  start: number;
  end: number;
}

/** A compiled entry as work. */
export function fromEntry({ entry, start, end }: Decided, rank: number): Work {
  // the entry itself stands for its fields: toEntry copies them only if something changed
  return {
    fields: entry,
    entry,
    rank,
    start,
    end,
    origStart: start,
    origEnd: end,
    skip: skipOf(entry),
    placement: placementOf(entry),
  };
}

/** The entry as the compiler returns it; a moved slot entry gets its local time from where it went. */
export function toEntry(w: Work, tz: string): Decided {
  return { entry: entryOf(w, tz), start: w.start, end: w.end };
}

function entryOf(w: Work, tz: string): TimetableEntry {
  const e = w.entry;
  if (e && w.start === w.origStart && w.placement === placementOf(e) && w.skip === skipOf(e)) return e;
  const f = w.fields;
  const base = {
    id: f.id,
    slotId: f.slotId,
    ...(f.source ? { source: f.source } : {}),
    campaignId: f.campaignId,
    stationId: f.stationId,
    clipIds: f.clipIds,
    ...(f.relay ? { relay: f.relay } : {}),
    ...(f.live ? { live: f.live } : {}),
    ...(f.repeat ? { repeat: f.repeat } : {}),
    ...(f.chime ? { chime: f.chime } : {}),
    localDate: f.localDate,
    localTime: w.start !== w.origStart && !f.source ? utcToZoned(new Date(w.start), tz).time : f.localTime,
    startsAt: isoInstant(w.start),
    endsAt: isoInstant(w.end),
  };
  if (w.skip) return { ...base, status: 'skipped', skip: w.skip };
  return w.placement
    ? { ...base, status: 'scheduled', placement: w.placement }
    : { ...base, status: 'scheduled' };
}

export const skipOf = (e: TimetableEntry) => (e.status === 'skipped' ? e.skip : null);
export const placementOf = (e: TimetableEntry) => (e.status === 'scheduled' ? e.placement : undefined);

/** Local date and time of an instant, for entries that are not slots. */
export function localAt(ms: number, tz: string): { localDate: string; localTime: string } {
  const { date, time } = utcToZoned(new Date(ms), tz);
  return { localDate: date, localTime: time };
}
