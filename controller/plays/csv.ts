// A campaign's as-run records as CSV for spreadsheet programs: UTF-8 with a BOM, every cell quoted and
// defused so none runs as a formula; Vietnamese headers, outcomes and reasons in words with their codes
// in the last columns; times local (dd/mm/yyyy HH:mm:ss, the zone named in the header).

import { DEFAULT_TIMEZONE } from '../../schedules/model.ts';
import { reasonText } from '../../schedules/reason-words.ts';
import { loadHistory } from '../areas/history.ts';
import { loadTree } from '../areas/tree.ts';
import { localizeText, localStampSeconds } from '../console/local-time.ts';
import { outcomeWord } from '../console/say/outcomes.ts';
import type { Db } from '../db.ts';
import { sees } from '../http/scope.ts';
import type { Principal } from '../users/roles.ts';
import { stationsUnder } from './area-report.ts';
import { readPeriod } from './period.ts';
import { campaignPlaysWithStations, timesPlayed } from './store.ts';
import { addCounted, noOutcomes, type Outcomes, shown } from './tally.ts';

/** The zone the campaign CSV's times are written in (the deployment's), named in its header. */
const CSV_ZONE = DEFAULT_TIMEZONE;
const CSV_COLUMNS = [
  'Mã bản ghi',
  'Mã đài',
  'Tên đài',
  'Mã địa bàn',
  /** The station's area as it was named when the entry was scheduled. */
  'Địa bàn (khi đó)',
  `Giờ theo lịch (${CSV_ZONE})`,
  'Kết quả',
  'Lý do',
  'Chi tiết',
  `Bắt đầu phát (${CSV_ZONE})`,
  `Kết thúc phát (${CSV_ZONE})`,
  /** How many times the content was heard to its end: a repeated slot's readings, else 1 if played. */
  'Số lần phát',
  // the codes behind the words, for whoever reads the file by program
  'Mã kết quả',
  'Mã lý do',
];
const csvTime = (iso: string | null) => (iso ? localStampSeconds(iso, CSV_ZONE) : '');
const csvCell = (v: unknown) => {
  const s = v === null || v === undefined ? '' : String(v);
  // Quote always; a leading = + - @ is defused so spreadsheet programs do not run it as a formula.
  return `"${(/^[=+\-@]/.test(s) ? `'${s}` : s).replaceAll('"', '""')}"`;
};

const csv = (rows: unknown[][]) =>
  // The BOM makes spreadsheet programs read the Vietnamese text as UTF-8.
  `\uFEFF${rows.map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`;

/**
 * An area's period as CSV, a line per station and local day (dd/mm/yyyy), read through the day summaries
 * (areaReport's stations and rules): what a province keeps after the rows themselves are archived.
 */
export function areaDaysCsv(db: Db, areaId: string, query: { from: string; to: string; rowsOnly?: boolean }) {
  const history = loadHistory(db);
  const names = new Map(
    (db.prepare('SELECT id, name FROM stations').all() as { id: string; name: string }[]).map((r) => [
      r.id,
      r.name,
    ]),
  );
  const lines = new Map<string, { stationId: string; day: string; at: string; t: Outcomes }>();
  readPeriod(db, { stations: stationsUnder(db, areaId), ...query, history, byDay: true }, (c) => {
    const key = `${c.day}\u0000${c.stationId}`;
    const line = lines.get(key) ?? { stationId: c.stationId, day: c.day, at: c.at, t: noOutcomes() };
    lines.set(key, line);
    addCounted(line.t, c);
  });
  const header = [
    'Ngày',
    'Mã đài',
    'Tên đài',
    'Địa bàn (khi đó)',
    'Số bản ghi',
    'Đã phát',
    'Bỏ qua',
    'Lỗi',
    'Lỡ',
    'Bị ngắt',
    'Số phút phát',
    'Tiếp sóng',
    'Không tiếp sóng được',
    'Số phút tiếp sóng',
    'Phát trực tiếp',
    'Số phút phát trực tiếp',
  ];
  const body = [...lines.values()]
    .sort((a, b) => a.day.localeCompare(b.day) || a.stationId.localeCompare(b.stationId))
    .map(({ stationId, day, at, t }) => {
      const areaId = history.placeAt(stationId, at);
      const shownT = shown(t);
      const skipped = Object.values(t.skipped).reduce((n, k) => n + k, 0);
      return [
        day.split('-').reverse().join('/'),
        stationId,
        names.get(stationId) ?? stationId,
        areaId ? (history.areaAt(areaId, at)?.name ?? areaId) : '',
        t.records,
        t.played,
        skipped,
        t.failed,
        t.missed,
        t.interrupted,
        shownT.minutesOnAir,
        t.relay,
        t.relayFailed,
        shownT.minutesRelayed,
        t.live,
        shownT.minutesLive,
      ];
    });
  return csv([header, ...body]);
}

/** The records of the principal's area, newest first, one line each. */
export function campaignPlaysCsv(db: Db, campaignId: string, principal: Principal | null): string {
  const tree = loadTree(db);
  const history = loadHistory(db);
  const visible = campaignPlaysWithStations(db, campaignId).filter((r) =>
    sees(principal, { path: r.area_id ? tree.chain(r.area_id) : [], name: r.station_name ?? r.station_id }),
  );
  return csv([
    CSV_COLUMNS,
    ...visible.map((r) => {
      const areaId = history.placeAt(r.station_id, r.scheduled_at) ?? r.area_id;
      const then = areaId ? history.areaAt(areaId, r.scheduled_at) : undefined;
      return [
        r.id,
        r.station_id,
        r.station_name,
        areaId,
        then?.name ?? areaId,
        csvTime(r.scheduled_at),
        outcomeWord('vi', r.outcome),
        r.reason ? reasonText('vi', r.reason) : '',
        r.detail ? localizeText(r.detail, CSV_ZONE) : r.detail,
        csvTime(r.audio_start_at),
        csvTime(r.audio_end_at),
        timesPlayed(r),
        r.outcome,
        r.reason,
      ];
    }),
  ]);
}
