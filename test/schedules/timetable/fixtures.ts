// For the compiler's example tests: station An Hòa with its clips, compile() over 2021-09-20..10-03, and
// short views of what it compiled.

import type { TimetableEntry } from '../../../schedules/model.ts';
import { zonedToUtc } from '../../../schedules/time.ts';
import {
  type CompileInput,
  type CompileOptions,
  compileTimetable,
} from '../../../schedules/timetable/compile.ts';
import { AN_HOA, CLIPS, quietWith, slotWith, TZ } from '../fixtures.ts';

export const station = AN_HOA;
export const clips = [{ id: 'clip-thong-diep', durationMs: 90_000 }, ...CLIPS];

export const at = (date: string, time: string, tz = TZ) => zonedToUtc(date, time, tz);
export const slot = slotWith;
export const quiet = quietWith;

/** The timetable of `input` at station An Hòa, from 2021-09-20 to 2021-10-04 unless `options` say otherwise. */
export function compile(
  input: Partial<CompileInput>,
  options: Partial<CompileOptions> = {},
): TimetableEntry[] {
  return compileTimetable(
    { station, slots: [], quietWindows: [], clips, ...input },
    { from: at('2021-09-20', '00:00'), to: at('2021-10-04', '00:00'), ...options },
  );
}
export const byId = (entries: TimetableEntry[]) => new Map(entries.map((e) => [e.id, e]));
export const summary = (entries: TimetableEntry[]) =>
  entries.map((e) => `${e.id} ${e.status === 'scheduled' ? 'scheduled' : e.skip.code}`);
/** Friday 2021-09-24 (the 25th is a Saturday, the 26th a Sunday). */
export const DAY = { from: at('2021-09-24', '00:00'), to: at('2021-09-25', '00:00') };
