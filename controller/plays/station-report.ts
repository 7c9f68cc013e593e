// A station's report: its as-run records of a period counted by local day, read through the day
// summaries (a year is 365 summary reads, not 7,000 rows).
import { loadHistory } from '../areas/history.ts';
import type { Db } from '../db.ts';
import { badRequest } from '../http/errors.ts';
import { stationInfo } from '../stations/store.ts';
import { readPeriod } from './period.ts';
import { addCounted, noOutcomes, type Outcomes, shown } from './tally.ts';

export function stationReport(
  db: Db,
  stationId: string,
  query: { from: string; to: string; rowsOnly?: boolean },
) {
  const station = stationInfo(db, stationId);
  if (query.to <= query.from)
    throw badRequest(['"to" must be after "from"', 'Ngày kết thúc phải sau ngày bắt đầu.']);
  const total = noOutcomes();
  const byDay = new Map<string, Outcomes>();
  const read = readPeriod(
    db,
    {
      stations: [station.id],
      from: query.from,
      to: query.to,
      history: loadHistory(db),
      byDay: true,
      rowsOnly: query.rowsOnly,
    },
    (c) => {
      const day = byDay.get(c.day) ?? noOutcomes();
      byDay.set(c.day, day);
      addCounted(day, c);
      addCounted(total, c);
    },
  );
  return {
    station: { id: station.id, name: station.name },
    from: read.from,
    to: read.to,
    total: shown(total),
    byDay: [...byDay.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([date, t]) => ({ date, ...shown(t) })),
  };
}
