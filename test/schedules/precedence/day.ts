// The day the precedence examples play on: station s1 on Friday 2021-09-24, compile() with a lead and a
// tail, and short views of what it compiled.

import type { StationInfo, TimetableEntry } from '../../../schedules/model.ts';
import type { Override } from '../../../schedules/overrides.ts';
import type { AlertPlan } from '../../../schedules/precedence/precedence.ts';
import { skipReasonCode } from '../../../schedules/reasons.ts';
import { zonedToUtc } from '../../../schedules/time.ts';
import {
  type CompileInput,
  type CompileOptions,
  compileTimetable,
} from '../../../schedules/timetable/compile.ts';
import { CLIPS, TZ } from '../fixtures.ts';

export const station: StationInfo = {
  id: 's1',
  name: 'Trạm s1',
  areaPath: ['root', 'd1', 'w1'],
  timezone: TZ,
};
export const clips = CLIPS;
// Friday 2021-09-24, local time
export const t = (time: string) => zonedToUtc('2021-09-24', time, TZ).toISOString();
export const ms = (time: string) => Date.parse(t(time));
export const LEAD = 2000;
export const TAIL = 1000;

export interface Case extends Partial<Omit<CompileInput, 'overrides' | 'alerts'>> {
  overrides?: Override[];
  alerts?: AlertPlan[];
}
export function compile(input: Case, options: Partial<CompileOptions> = {}): TimetableEntry[] {
  return compileTimetable(
    { station, slots: [], quietWindows: [], clips, ...input },
    {
      from: new Date(t('00:00')),
      to: new Date(zonedToUtc('2021-09-25', '00:00', TZ)),
      leadMs: LEAD,
      tailMs: TAIL,
      ...options,
    },
  );
}
export const outcome = (e: TimetableEntry) =>
  e.status === 'scheduled' ? 'scheduled' : skipReasonCode(e.skip);
export const summary = (entries: TimetableEntry[]) =>
  entries.map((e) => `${e.id} ${e.startsAt.slice(11, 19)} ${outcome(e)}`);
export const get = (entries: TimetableEntry[], id: string) => {
  const e = entries.find((x) => x.id === id);
  if (!e) throw new Error(`no entry ${id} in ${summary(entries).join(', ')}`);
  return e;
};
export const skipOf = (e: TimetableEntry) => (e.status === 'skipped' ? e.skip : null);
export const S = (id: string) => `${id}@2021-09-24`;
