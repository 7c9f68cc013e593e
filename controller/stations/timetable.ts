// A station's timetable preview, computed as the agent computes it: its rules, the overrides it reported
// and the bulletins sent to it, through the same precedence.

import { DEFAULT_TAIL_MS, DEFAULT_WARM_UP_MS } from '../../schedules/model.ts';
import { compileTimetable } from '../../schedules/timetable/compile.ts';
import { alertPlansFor } from '../alerts/store.ts';
import type { Db } from '../db.ts';
import { badRequest } from '../http/errors.ts';
import { overridesFor } from '../overrides/store.ts';
import { allRulesFor } from '../rules/station-rules.ts';

const DAY_MS = 86_400_000;

/** [from, to) of a preview: the next 7 days by default, at most 62 days. */
export function previewRange(query: { from?: string; to?: string }, now: Date) {
  const from = query.from ? new Date(query.from) : now;
  const to = query.to ? new Date(query.to) : new Date(from.getTime() + 7 * DAY_MS);
  if (to <= from) throw badRequest(['"to" must be after "from"', 'Ngày kết thúc phải sau ngày bắt đầu.']);
  if (to.getTime() - from.getTime() > 62 * DAY_MS)
    throw badRequest(['preview at most 62 days at a time', 'Mỗi lần chỉ xem trước được tối đa 62 ngày.']);
  return { from, to };
}

export function previewTimetable(
  db: Db,
  stationId: string,
  query: { from?: string; to?: string },
  now: Date,
) {
  const rules = allRulesFor(db, stationId);
  const { from, to } = previewRange(query, now);
  const input = {
    ...rules,
    overrides: overridesFor(db, rules.station.id, from, to),
    alerts: alertPlansFor(db, rules.station, from, to),
  };
  // The agent's default warm-up and tail count as on-air time, so the preview skips what it skips.
  return compileTimetable(input, { from, to, leadMs: DEFAULT_WARM_UP_MS, tailMs: DEFAULT_TAIL_MS });
}
