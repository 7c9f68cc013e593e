// A campaign's as-run records as CSV for spreadsheet programs: UTF-8 with a BOM, every cell quoted and
// defused so none runs as a formula.
import { loadHistory } from '../areas/history.ts';
import { loadTree } from '../areas/tree.ts';
import type { Db } from '../db.ts';
import { sees } from '../http/scope.ts';
import type { Principal } from '../users/roles.ts';
import { campaignPlaysWithStations } from './store.ts';

const CSV_COLUMNS = [
  'id',
  'stationId',
  'stationName',
  'areaId',
  /** The station's area as it was named when the entry was scheduled. */
  'area',
  'scheduledAt',
  'outcome',
  'reason',
  'detail',
  'audioStartAt',
  'audioEndAt',
];
const csvCell = (v: unknown) => {
  const s = v === null || v === undefined ? '' : String(v);
  // Quote always; a leading = + - @ is defused so spreadsheet programs do not run it as a formula.
  return `"${(/^[=+\-@]/.test(s) ? `'${s}` : s).replaceAll('"', '""')}"`;
};

/** The records of the principal's area, newest first, one line each. */
export function campaignPlaysCsv(db: Db, campaignId: string, principal: Principal | null): string {
  const tree = loadTree(db);
  const history = loadHistory(db);
  const visible = campaignPlaysWithStations(db, campaignId).filter((r) =>
    sees(principal, { path: r.area_id ? tree.chain(r.area_id) : [], name: r.station_name ?? r.station_id }),
  );
  const lines = [CSV_COLUMNS.join(',')].concat(
    visible.map((r) => {
      const areaId = history.placeAt(r.station_id, r.scheduled_at) ?? r.area_id;
      const then = areaId ? history.areaAt(areaId, r.scheduled_at) : undefined;
      return [
        r.id,
        r.station_id,
        r.station_name,
        areaId,
        then?.name ?? areaId,
        r.scheduled_at,
        r.outcome,
        r.reason,
        r.detail,
        r.audio_start_at,
        r.audio_end_at,
      ]
        .map(csvCell)
        .join(',');
    }),
  );
  // The BOM makes spreadsheet programs read the Vietnamese text as UTF-8.
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
