// Rows 2, 3, 6 and 7 of the precedence table: ward staff's stop, pause, local quiet window, announcement, skip.

import { announcementEntryId, parseEntryId } from '../entry-ids.ts';
import type { Override } from '../overrides.ts';
import {
  airOf,
  type Blocker,
  blockedBy,
  hit,
  localAt,
  type Margins,
  newWork,
  scheduled,
  type Work,
} from './air.ts';

/** Stop and pause (row 2), or local quiet windows (row 3), as silences: [startsAt, endsAt). */
export function silences(overrides: Override[], kinds: readonly Override['kind'][]): Blocker[] {
  const out: Blocker[] = [];
  for (const o of overrides) {
    const kind = o.kind;
    if (!kinds.includes(kind) || (kind !== 'stop' && kind !== 'pause' && kind !== 'quiet')) continue;
    out.push({
      start: Date.parse(o.startsAt),
      end: Date.parse(o.endsAt),
      skip: { code: 'override', overrideId: o.id, overrideKind: kind },
    });
  }
  return out.sort((a, b) => a.start - b.start);
}

/** The entry of a local announcement: at its startsAt, for its clip's length. */
function announcementWork(
  o: Override & { clip: NonNullable<Override['clip']> },
  stationId: string,
  tz: string,
) {
  const start = Date.parse(o.startsAt);
  const end = start + o.clip.durationMs;
  const fields = {
    id: announcementEntryId(o.id),
    slotId: o.id,
    source: { kind: 'announcement', overrideId: o.id } as const,
    campaignId: null,
    stationId,
    clipIds: [o.clip.id],
    ...localAt(start, tz),
    startsAt: '',
    endsAt: '',
  };
  return newWork(fields, 6, start, end);
}

/**
 * Row 6: each announcement (by start, then id) plays unless `above` (rows 1-5) or an earlier announcement
 * holds the air; then the slot entries it overlaps are skipped `preempted`. Returns the announcements and
 * adds the scheduled ones' air to `placed`.
 */
export function placeAnnouncements(
  overrides: Override[],
  above: Blocker[][],
  placed: Blocker[],
  slots: Work[],
  at: { stationId: string; tz: string; m: Margins },
): Work[] {
  const out: Work[] = [];
  for (const o of overrides) {
    if (o.kind !== 'announce' || !o.clip) continue;
    out.push(announcementWork({ ...o, clip: o.clip }, at.stationId, at.tz));
  }
  out.sort((a, b) => a.start - b.start || (a.fields.id < b.fields.id ? -1 : 1));
  const earlier: Blocker[] = [];
  for (const w of out) {
    const b = hit(w.start, w.end, [...above, earlier], at.m);
    if (b) w.skip = b.skip;
    else {
      earlier.push(airOf(w, { code: 'overlap', entryId: w.fields.id }, at.m));
      placed.push(airOf(w, blockedBy(w), at.m));
    }
  }
  if (placed.length === 0) return out;
  for (const w of slots) {
    if (!scheduled(w)) continue;
    const b = hit(w.start, w.end, [placed], at.m);
    if (b) w.skip = b.skip;
  }
  return out;
}

/** Row 7: the skip overrides by the entry they name. */
export function skipsByEntry(overrides: Override[]): Map<string, Override[]> {
  const out = new Map<string, Override[]>();
  for (const o of overrides) {
    if (o.kind !== 'skip' || !o.entryId) continue;
    out.set(o.entryId, [...(out.get(o.entryId) ?? []), o]);
  }
  return out;
}

/** The skip override that applies to sound [start, end): one naming the entry whose time meets it. */
export function skipFor(skips: Map<string, Override[]>, id: string, spans: [number, number][]) {
  return skips
    .get(id)
    ?.find((o) => spans.some(([s, e]) => s < Date.parse(o.endsAt) && Date.parse(o.startsAt) < e));
}

/**
 * Row 7 for slot entries: a scheduled entry named by a skip override is skipped. The slot and date the
 * id names are compared (entry-ids.ts), so the compiler's strings are shared.
 */
export function applySkips(skips: Map<string, Override[]>, slots: Work[]): void {
  for (const [entryId, list] of skips) {
    const named = parseEntryId(entryId);
    if (named?.kind !== 'slot') continue;
    const { slotId, localDate } = named;
    for (const w of slots) {
      if (!scheduled(w) || w.fields.slotId !== slotId || w.fields.localDate !== localDate) continue;
      const spans: [number, number][] = [
        [w.start, w.end],
        [w.origStart, w.origEnd],
      ];
      const o = list.find((o) =>
        spans.some(([s, e]) => s < Date.parse(o.endsAt) && Date.parse(o.startsAt) < e),
      );
      if (o) w.skip = { code: 'override', overrideId: o.id, overrideKind: 'skip' };
    }
  }
}
