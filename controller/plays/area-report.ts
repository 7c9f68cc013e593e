// An area's report: the as-run records of a period at the stations that lay in or under the area at the
// time of each record, counted by area as the areas were named then; read through the day summaries.
import { areaGroups } from '../areas/groups.ts';
import { loadHistory } from '../areas/history.ts';
import { getAreaRow, loadTree } from '../areas/tree.ts';
import type { Db } from '../db.ts';
import { badRequest } from '../http/errors.ts';
import { readPeriod } from './period.ts';
import { addCounted, noOutcomes, shown } from './tally.ts';

export interface AreaReportQuery {
  from: string;
  to: string;
  level?: string;
  /** Read every row instead of the summaries (the reference they are tested against). */
  rowsOnly?: boolean;
}

/** The stations that ever hung from the area or one under it (areas merged away keep their place in the tree). */
export function stationsUnder(db: Db, areaId: string): string[] {
  const tree = loadTree(db);
  const areas = [...tree.byId.keys()].filter((id) => tree.chain(id).includes(areaId));
  return db
    .prepare(
      'SELECT DISTINCT station_id FROM station_places WHERE area_id IN (SELECT value FROM json_each(?))',
    )
    .pluck()
    .all(JSON.stringify(areas)) as string[];
}

export function areaReport(db: Db, areaId: string, query: AreaReportQuery) {
  const area = getAreaRow(db, areaId);
  if (query.to <= query.from)
    throw badRequest(['"to" must be after "from"', 'Ngày kết thúc phải sau ngày bắt đầu.']);
  const stations = stationsUnder(db, areaId);
  const history = loadHistory(db);
  const level = query.level ? { level: query.level } : {};
  const groups = areaGroups(db, noOutcomes, { area: areaId, ...level }, history);
  const total = noOutcomes();
  const read = readPeriod(
    db,
    { stations, from: query.from, to: query.to, history, rowsOnly: query.rowsOnly },
    (c) => {
      const t = groups.at({ id: c.stationId, areaPath: [] }, c.at);
      if (!t) return;
      addCounted(t, c);
      addCounted(total, c);
    },
  );
  return {
    area: { id: area.id, name: area.name, level: area.level, code: area.code, retiredAt: area.retired_at },
    from: read.from,
    to: read.to,
    total: shown(total),
    byArea: groups.rows().map(shown),
  };
}
