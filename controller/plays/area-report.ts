// An area's report: the as-run records of a period at the stations that lay in or under the area at the
// time of each record, counted by area as the areas were named then.
import { areaGroups } from '../areas/groups.ts';
import { getAreaRow, loadTree } from '../areas/tree.ts';
import type { Db } from '../db.ts';
import { badRequest } from '../http/errors.ts';
import type { PlayRow } from './store.ts';

interface Outcomes {
  records: number;
  played: number;
  skipped: Record<string, number>;
  failed: number;
  missed: number;
  interrupted: number;
  minutesOnAir: number;
}
const none = (): Outcomes => ({
  records: 0,
  played: 0,
  skipped: {},
  failed: 0,
  missed: 0,
  interrupted: 0,
  minutesOnAir: 0,
});

function add(t: Outcomes, p: PlayRow): void {
  t.records++;
  if (p.outcome === 'played') {
    t.played++;
    if (p.audio_start_at && p.audio_end_at)
      t.minutesOnAir += (Date.parse(p.audio_end_at) - Date.parse(p.audio_start_at)) / 60_000;
  } else if (p.outcome === 'skipped')
    t.skipped[p.reason ?? 'unknown'] = (t.skipped[p.reason ?? 'unknown'] ?? 0) + 1;
  else if (p.outcome === 'failed' || p.outcome === 'missed' || p.outcome === 'interrupted') t[p.outcome]++;
}

export function areaReport(db: Db, areaId: string, query: { from: string; to: string; level?: string }) {
  const area = getAreaRow(db, areaId);
  if (query.to <= query.from) throw badRequest('"to" must be after "from"');
  const tree = loadTree(db);
  // stations that ever hung from an area under this one (areas merged away keep their place in the tree)
  const areas = [...tree.byId.keys()].filter((id) => tree.chain(id).includes(areaId));
  const stations = db
    .prepare(
      'SELECT DISTINCT station_id FROM station_places WHERE area_id IN (SELECT value FROM json_each(?))',
    )
    .all(JSON.stringify(areas)) as { station_id: string }[];
  const rows = db
    .prepare(
      `SELECT * FROM plays WHERE station_id IN (SELECT value FROM json_each(?))
         AND scheduled_at >= ? AND scheduled_at < ? ORDER BY scheduled_at`,
    )
    .all(JSON.stringify(stations.map((s) => s.station_id)), query.from, query.to) as PlayRow[];
  const groups = areaGroups(db, none, { area: areaId, ...(query.level ? { level: query.level } : {}) });
  const total = none();
  for (const p of rows) {
    const t = groups.at({ id: p.station_id, areaPath: [] }, p.scheduled_at);
    if (!t) continue;
    add(t, p);
    add(total, p);
  }
  return {
    area: { id: area.id, name: area.name, level: area.level, code: area.code, retiredAt: area.retired_at },
    from: query.from,
    to: query.to,
    total,
    byArea: groups.rows(),
  };
}
