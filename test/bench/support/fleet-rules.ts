// The fleet benchmarks' stations: a realistic week of rules per station (city, district and ward slots,
// quiet windows) and the local overrides ward staff make over it.
import { createHash } from 'node:crypto';
import type { QuietWindow, Slot, StationInfo } from '../../../schedules/model.ts';
import type { Override } from '../../../schedules/overrides.ts';
import { overrideRecord } from '../../support/records.ts';

const WEEK = [1, 2, 3, 4, 5, 6, 7];
const range = { startDate: '2026-01-01', endDate: '2026-12-31' };
const clip = (id: string, durationMs: number) => ({
  id,
  sha256: createHash('sha256').update(id).digest('hex'),
  durationMs,
  bytes: 100_000,
});
export const clips = [clip('c-news', 300_000), clip('c-covid', 90_000), clip('c-local', 60_000)];

/**
 * A realistic week per station: 3 slots for the whole tree (its root), 2 for the area under the root
 * (a district, or a commune after 2025), 1 flexible slot for the station's own area, 3 quiet windows.
 */
export function rules(st: StationInfo): { slots: Slot[]; quietWindows: QuietWindow[] } {
  const root = { scope: 'area' as const, id: st.areaPath[0] as string };
  const upper = { scope: 'area' as const, id: (st.areaPath[1] ?? st.areaPath[0]) as string };
  const own = { scope: 'area' as const, id: st.areaPath.at(-1) as string };
  const slot = (id: string, startTime: string, clipIds: string[], extra: Partial<Slot> = {}): Slot => ({
    id,
    campaignId: null,
    clipIds,
    startTime,
    weekdays: WEEK,
    ...range,
    target: root,
    priority: 0,
    ...extra,
  });
  const slots = [
    slot('s-morning', '06:00', ['c-news', 'c-covid']),
    slot('s-noon', '11:00', ['c-covid']),
    slot('s-evening', '17:00', ['c-news', 'c-covid']),
    slot('s-class', '08:30', ['c-covid'], { target: upper }),
    slot('s-dist', '14:00', ['c-local'], { target: upper, weekdays: [1, 3, 5] }),
    slot('s-ward', '15:00', ['c-local'], { target: own, flexibleUntil: '16:30' }),
  ];
  const qw = (
    id: string,
    startTime: string,
    endTime: string,
    weekdays: number[],
    reason: QuietWindow['reason'],
  ) => ({
    id,
    weekdays,
    startTime,
    endTime,
    ...range,
    reason,
    note: '',
    target: root,
  });
  const quietWindows = [
    qw('q-am', '07:30', '11:30', [1, 2, 3, 4, 5], 'online-class'),
    qw('q-pm', '13:30', '15:30', [1, 2, 3, 4, 5], 'online-class'),
    qw('q-vtv', '19:00', '19:45', WEEK, 'national-relay'),
  ];
  return { slots, quietWindows };
}

/**
 * A few local overrides per station over the week, as ward staff make them: a local quiet window (a funeral,
 * 2 h), one entry skipped, a pause of 30 min and a local announcement of 2 min.
 */
export function localOverrides(st: StationInfo, from: Date): Override[] {
  const at = (day: number, hh: number, mm = 0) =>
    new Date(from.getTime() + day * 86_400_000 + (hh * 60 + mm) * 60_000);
  const o = (
    id: string,
    kind: Override['kind'],
    start: Date,
    end: Date,
    extra: Partial<Override> = {},
  ): Override =>
    overrideRecord({
      id: `${st.id}-${id}`,
      stationId: st.id,
      kind,
      startsAt: start.toISOString(),
      endsAt: end.toISOString(),
      reason: 'benchmark',
      createdBy: 'cán bộ phường',
      createdAt: from.toISOString(),
      ...extra,
    });
  return [
    o('quiet', 'quiet', at(1, 16), at(1, 18)),
    o('skip', 'skip', at(2, 0), at(3, 0), { entryId: 's-evening@2026-03-04' }),
    o('pause', 'pause', at(3, 5, 50), at(3, 6, 20)),
    o('announce', 'announce', at(5, 9, 45), at(5, 9, 47), { clip: announcement }),
  ];
}
export const announcement = clip('local-thong-bao', 120_000);
