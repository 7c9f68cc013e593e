// Reports through the day summaries: a month of as-run for 10,000 stations (6 million rows, 20 a station a
// day, stored as the ingest stores them, summaries included), plus a whole year at one station. Measured
// side by side in the same run: the province's month report and the station's year, through the
// summaries (what the API does) and row by row (what it did before), and that both give the same report;
// and what writing the summaries costs the ingest (records/s with and without them).
import path from 'node:path';
import { newVersion } from '../../controller/areas/history.ts';
import { insertArea, replaceLevels } from '../../controller/areas/tree.ts';
import { type Db, openDb } from '../../controller/db.ts';
import { areaReport } from '../../controller/plays/area-report.ts';
import { summarise } from '../../controller/plays/rollup.ts';
import { stationReport } from '../../controller/plays/station-report.ts';
import { storeAsRun } from '../../controller/plays/store.ts';
import { insertStation } from '../../controller/stations/store.ts';
import type { AsRunRecord } from '../../schedules/protocol.ts';
import { tempDir } from '../support/temp.ts';
import { log, median, runBench } from './support/bench.ts';

const COMMUNES = 100;
const PER_COMMUNE = Number(process.env.BENCH_REPORT_STATIONS_PER_COMMUNE ?? 100);
const PER_DAY = 20;
const RUNS = 5;
const MONTH_GOAL_MS = 1000;
const YEAR_GOAL_MS = 200;
const DAY = 86_400_000;
// November 2026 and the year to its end, local (UTC+7)
const MONTH = { from: '2026-10-31T17:00:00.000Z', to: '2026-11-30T17:00:00.000Z' };
const YEAR = { from: '2025-11-30T17:00:00.000Z', to: '2026-11-30T17:00:00.000Z' };
const OUTCOMES = ['played', 'played', 'played', 'played', 'played', 'played', 'skipped', 'missed'];

const record = (station: string, t: number, i: number): AsRunRecord => {
  const outcome = OUTCOMES[i % OUTCOMES.length] as AsRunRecord['outcome'];
  const at = new Date(t).toISOString();
  return {
    id: `r-${t}-${i}`,
    stationId: station,
    entryId: `slot-${i}@${at}`,
    slotId: `slot-${i}`,
    campaignId: i % 2 ? 'camp-1' : null,
    clipIds: ['clip-a'],
    scheduledAt: at,
    outcome,
    reason: outcome === 'skipped' ? 'online-class' : null,
    detail: null,
    relayOnAt: null,
    audioStartAt: outcome === 'played' ? new Date(t + 2000).toISOString() : null,
    audioEndAt: outcome === 'played' ? new Date(t + 92_000).toISOString() : null,
    relayOffAt: null,
    desiredVersion: 1,
    recordedAt: at,
  };
};

/** A station's day: 20 entries between 05:00 and 20:00 local. */
const day = (station: string, dayStart: number) =>
  Array.from({ length: PER_DAY }, (_, i) => record(station, dayStart + 5 * 3_600_000 + i * 45 * 60_000, i));

function seedTree(db: Db): string[] {
  const now = '2025-01-01T00:00:00.000Z';
  const stations: string[] = [];
  db.transaction(() => {
    replaceLevels(db, [
      { id: 'province', name: 'Tỉnh' },
      { id: 'commune', name: 'Xã' },
    ]);
    const area = (id: string, parent: string | null, level: string) => {
      const row = { id, parent_id: parent, level, code: null };
      insertArea(db, { ...row, name: id, created_at: now });
      newVersion(db, { ...row, name: id }, now);
    };
    area('p', null, 'province');
    for (let c = 0; c < COMMUNES; c++) {
      area(`x-${c}`, 'p', 'commune');
      for (let s = 0; s < PER_COMMUNE; s++) {
        const id = `st-${c}-${s}`;
        insertStation(
          db,
          id,
          { name: id, areaId: `x-${c}`, zones: [], timezone: 'Asia/Ho_Chi_Minh' },
          id,
          new Date(now),
        );
        stations.push(id);
      }
    }
  })();
  return stations;
}

/** Stores records in turns of 500, as the ingest does; records/s. */
function ingest(db: Db, records: AsRunRecord[], store = storeAsRun): number {
  const t0 = performance.now();
  const at = new Date();
  for (let i = 0; i < records.length; i += 500)
    db.transaction(() => store(db, records.slice(i, i + 500), at))();
  return records.length / ((performance.now() - t0) / 1000);
}

const timed = (runs: number, work: () => unknown) => {
  const ms: number[] = [];
  let out: unknown;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    out = work();
    ms.push(performance.now() - t0);
  }
  return { ms, median: median(ms), out };
};

async function main() {
  const tmp = tempDir('bench-reports');
  const db = openDb(path.join(tmp.dir, 'controller.db'));
  const stations = seedTree(db);
  log(`${stations.length} stations`);

  // the summaries' cost to the ingest, side by side: a day of the fleet stored each way in turn
  const noSummaries = (d: Db, rs: AsRunRecord[], at: Date) => {
    const insert =
      d.prepare(`INSERT OR IGNORE INTO plays (id, station_id, entry_id, slot_id, campaign_id, clip_ids, scheduled_at,
      outcome, reason, detail, relay_on_at, audio_start_at, audio_end_at, relay_off_at, desired_version, recorded_at, received_at)
      VALUES (@id, @stationId, @entryId, @slotId, @campaignId, @clipIds, @scheduledAt, @outcome, @reason, @detail,
      @relayOnAt, @audioStartAt, @audioEndAt, @relayOffAt, @desiredVersion, @recordedAt, @receivedAt)`);
    for (const r of rs)
      insert.run({ ...r, clipIds: JSON.stringify(r.clipIds), receivedAt: at.toISOString() });
    return rs.map((r) => r.id);
  };
  const rates: { with: number[]; without: number[] } = { with: [], without: [] };
  const monthStart = Date.parse(MONTH.from);
  for (let d = 0; d < 30; d++) {
    const records = stations.flatMap((st) => day(st, monthStart + d * DAY));
    if (d >= 6) ingest(db, records);
    else if (d % 2 === 0) rates.with.push(ingest(db, records));
    else {
      rates.without.push(ingest(db, records, noSummaries));
      db.transaction(() => summarise(db, records))(); // summarised afterwards, so the reports stay whole
    }
    if (d % 5 === 4) log(`day ${d + 1} stored`);
  }
  const yearStation = stations[0] as string;
  const year: AsRunRecord[] = [];
  for (let t = Date.parse(YEAR.from); t < monthStart; t += DAY) year.push(...day(yearStation, t));
  ingest(db, year);
  const rows = db.prepare('SELECT count(*) FROM plays').pluck().get() as number;
  const summaryRows = db.prepare('SELECT count(*) FROM station_days').pluck().get() as number;
  log(`${rows} rows, ${summaryRows} station-day summaries`);

  const month = timed(RUNS, () => areaReport(db, 'p', MONTH));
  const monthRows = timed(2, () => areaReport(db, 'p', { ...MONTH, rowsOnly: true }));
  const yearR = timed(RUNS, () => stationReport(db, yearStation, YEAR));
  const yearRows = timed(RUNS, () => stationReport(db, yearStation, { ...YEAR, rowsOnly: true }));
  const same =
    JSON.stringify(month.out) === JSON.stringify(monthRows.out) &&
    JSON.stringify(yearR.out) === JSON.stringify(yearRows.out);
  const total = (month.out as ReturnType<typeof areaReport>).total.records;
  db.close();
  tmp.cleanup();

  const f = (ms: number) => `${ms.toFixed(ms < 10 ? 1 : 0)} ms`;
  const runs = (xs: number[]) => xs.map((x) => x.toFixed(0)).join(', ');
  const verdict = (ms: number, goal: number) => (ms <= goal ? 'met' : '**missed**');
  const perSec = (xs: number[]) => `${Math.round(median(xs)).toLocaleString('en')}/s`;
  console.log(
    [
      '## Reports through the day summaries',
      '',
      `${stations.length.toLocaleString('en')} stations in ${COMMUNES} communes of one province, ${PER_DAY} as-run records a station a day for November 2026, and a whole year at one station: ${rows.toLocaleString('en')} rows, ${summaryRows.toLocaleString('en')} station-day summaries. Medians of ${RUNS} runs (the month row by row: 2), in one process, on a file database.`,
      '',
      '| report | goal | through the summaries | row by row (before) | runs (summaries) |',
      '| --- | --- | --- | --- | --- |',
      `| the province's month (${total.toLocaleString('en')} records, by commune) | ≤ ${MONTH_GOAL_MS} ms | **${f(month.median)}** (${verdict(month.median, MONTH_GOAL_MS)}) | ${f(monthRows.median)} | ${runs(month.ms)} |`,
      `| a station's year, by day | ≤ ${YEAR_GOAL_MS} ms | **${f(yearR.median)}** (${verdict(yearR.median, YEAR_GOAL_MS)}) | ${f(yearRows.median)} | ${runs(yearR.ms)} |`,
      '',
      `Both ways give the same reports: ${same ? 'yes' : '**NO**'}.`,
      '',
      `The summaries' cost to the ingest (a day of the fleet, ${(stations.length * PER_DAY).toLocaleString('en')} records, in turns of 500): ${perSec(rates.with)} with them, ${perSec(rates.without)} without (the first 6 days, each way in turn).`,
      '',
      '<!-- summary -->',
      `Issue 22 reports: the province's month over ${(rows / 1e6).toFixed(1)} M rows in ${f(month.median)} (goal ${MONTH_GOAL_MS}: ${month.median <= MONTH_GOAL_MS ? 'met' : 'missed'}; ${f(monthRows.median)} row by row), a station's year in ${f(yearR.median)} (goal ${YEAR_GOAL_MS}: ${yearR.median <= YEAR_GOAL_MS ? 'met' : 'missed'}); same reports both ways: ${same ? 'yes' : 'no'}; ingest ${perSec(rates.with)} with the summaries, ${perSec(rates.without)} without.`,
      '<!-- /summary -->',
    ].join('\n'),
  );
  if (!same) throw new Error('the summaries and the rows gave different reports');
}

runBench(main);
