// The provincial link (docs/province.md) against the fake provincial server in a process of its own: (1) a
// province emergency over the link until 99% of N simulated stations (scripts/sim, embedded aedes) report
// `started`, from the poll that brings it; (2) the outbox after a 6-hour outage of N stations (the as-run
// backlog made in compressed time), drained, none lost or kept twice. Prints a Markdown section.
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { resolveFfmpeg } from '../../audio/index.ts';
import { systemClock } from '../../common/clock.ts';
import { silentLogger } from '../../common/log.ts';
import { sleep } from '../../common/sleep.ts';
import { loadConfig } from '../../controller/config.ts';
import { openDb } from '../../controller/db.ts';
import type { ControllerDeps } from '../../controller/deps.ts';
import { queueBroadcastLogs } from '../../controller/province/asrun.ts';
import { createProvinceLink } from '../../controller/province/link.ts';
import { parseProvinceSettings } from '../../controller/province/settings.ts';
import { backlogOf } from '../../controller/province/store.ts';
import { startSimController } from '../../scripts/sim/controller.ts';
import { registerStations, startFleet } from '../../scripts/sim/fleet.ts';
import { tone } from '../audio/fixtures.ts';
import { cpuMsOf } from '../support/process.ts';
import { forkProvinceServer } from '../support/province-server.ts';
import { tempDir } from '../support/temp.ts';
import { log, median, runBench } from './support/bench.ts';
import { reach } from './support/fleet-phases.ts';

const N = Number(process.env.BENCH_PROVINCE_N ?? 10_000);
const PARTS = (process.env.BENCH_PROVINCE_PARTS ?? 'emergency,drain').split(',');
const RUNS = Number(process.env.BENCH_PROVINCE_RUNS ?? 3);
/** A provincial record every 30 minutes per station, for 6 hours. */
const OUTAGE_HOURS = 6;
const PER_STATION = OUTAGE_HOURS * 2;
const GOAL = { emergencyMs: 3000, drainPerSec: 2000 };

type Province = Awaited<ReturnType<typeof forkProvinceServer>>;

const settingsFor = (url: string, root: string) =>
  parseProvinceSettings({
    name: 'Tỉnh mô phỏng',
    baseUrl: url,
    username: 'loa-phuong',
    password: 'mat-khau-tinh',
    sourceId: 'NGUON-01',
    sourceName: 'Truyền thanh mô phỏng',
    areas: { TINH: root },
    concurrency: 64,
  });

function depsOf(
  dataDir: string,
  db: ControllerDeps['db'],
  extra: Partial<ControllerDeps> = {},
): ControllerDeps {
  return {
    config: loadConfig({ DATA_DIR: dataDir }),
    db,
    clock: systemClock,
    ffmpeg: resolveFfmpeg(process.env),
    desired: { sync() {} },
    log: silentLogger,
    ...extra,
  };
}

interface EmergencyRun {
  issuedMs: number;
  p99Ms: number | null;
  allMs: number | null;
}

/** (1) Each run a new recording (other bytes: fetched and processed anew), MucDoUuTien 1, to the whole province. */
async function emergencyPart(province: Province): Promise<{ runs: EmergencyRun[]; online: number }> {
  const tmp = tempDir('bench-province-em');
  try {
    const db0 = openDb(path.join(tmp.dir, 'controller.db'));
    const stations = registerStations(db0, N, { prefix: 'st' });
    db0.close();
    const ctl = await startSimController({ dataDir: tmp.dir });
    const fleet = await startFleet({ url: ctl.url, stations, procs: 2, ratePerSec: 1000 });
    const up = await reach(() => fleet.stats().online, N, 600_000);
    // counted over the stations online once connecting is over (as the fleet benchmark counts)
    const population = fleet.stats().online;
    log(`emergency: ${population} of ${N} online (${up.ms === null ? 'not all' : `${up.ms.toFixed(0)} ms`})`);
    await sleep(5000);
    const root = (ctl.db.prepare('SELECT id FROM areas WHERE parent_id IS NULL').get() as { id: string }).id;
    const deps = depsOf(tmp.dir, ctl.db, {
      desired: ctl.desired,
      bus: { publish: (t, p, o) => ctl.link.publish(t, p, o) },
    });
    const link = createProvinceLink(deps, settingsFor(province.url, root));
    const count = ctl.db.prepare(
      `SELECT COUNT(*) AS c FROM alert_stations WHERE alert_id = ? AND state IN ('started', 'finished')`,
    );
    const runs: EmergencyRun[] = [];
    for (let r = 0; r < RUNS; r++) {
      const name = `khan-cap-${r}.wav`;
      await province.ask({
        op: 'audio',
        name,
        bytes: readFileSync(tone(path.join(tmp.dir, name), 3 + r / 10)).toString('base64'),
      });
      await province.ask({
        op: 'bulletins',
        items: [
          {
            BanTinID: `KC-${r}`,
            MucDoUuTien: 1,
            TieuDe: 'Cảnh báo khẩn cấp (đo hiệu năng)',
            NoiDung: `${province.url}/audio/${name}`,
            DanhSachDiaBan: ['TINH'],
          },
        ],
      });
      const t0 = performance.now();
      const got = await link.poll();
      const issuedMs = performance.now() - t0;
      const id = (
        ctl.db.prepare('SELECT alert_id FROM province_items WHERE province_id = ?').get(`KC-${r}`) as
          | { alert_id: string }
          | undefined
      )?.alert_id;
      if (!id) throw new Error(`the bulletin was not taken: ${JSON.stringify(got)}`);
      const started = () => (count.get(id) as { c: number }).c;
      const p99 = await reach(started, Math.ceil(population * 0.99), 60_000, [], t0);
      const all = await reach(started, population, 10_000, [], t0);
      runs.push({ issuedMs, p99Ms: p99.ms, allMs: all.ms });
      log(`emergency run ${r + 1}: ${JSON.stringify(runs[runs.length - 1])}`);
      await province.ask({ op: 'bulletins', items: [] });
      await sleep(4000);
    }
    await fleet.stop();
    await ctl.close();
    return { runs, online: population };
  } finally {
    tmp.cleanup();
  }
}

interface DrainRun {
  records: number;
  queueMs: number;
  drainMs: number;
  perSec: number;
  kept: number;
  repeats: number;
  /** CPU time per record (ms): the controller's process, the province's; what a quiet machine's cores bound. */
  cpuPerRecord: { controller: number; province: number };
}

/** (2) The backlog of a 6-hour outage: N stations' provincial as-run records, queued, then drained. */
async function drainPart(province: Province): Promise<DrainRun[]> {
  const tmp = tempDir('bench-province-drain');
  try {
    const db = openDb(path.join(tmp.dir, 'controller.db'));
    registerStations(db, N, { prefix: 'st' });
    const root = (db.prepare('SELECT id FROM areas WHERE parent_id IS NULL').get() as { id: string }).id;
    const s = settingsFor(province.url, root);
    const now = new Date().toISOString();
    db.prepare(
      `INSERT INTO province_items (kind, province_id, digest, document, campaign_id, received_at) VALUES ('schedule', 'LP-1', 'x', '{}', 'prov-camp', ?)`,
    ).run(now);
    db.prepare(
      `INSERT INTO province_clips (clip_id, bulletin_id, url, document) VALUES ('prov-clip', 'BT-1', 'http://tinh/a.mp3', ?)`,
    ).run(
      JSON.stringify({
        BanTinID: 'BT-1',
        TieuDe: 'Tuyên truyền',
        NoiDung: 'http://tinh/a.mp3',
        LoaiBanTin: 2,
      }),
    );
    const start = Date.now() - OUTAGE_HOURS * 3_600_000;
    const insert = db.prepare(
      `INSERT INTO plays (id, station_id, entry_id, slot_id, campaign_id, clip_ids, scheduled_at, outcome, audio_start_at, audio_end_at, desired_version, recorded_at, received_at)
       VALUES (?, ?, ?, 'slot-p', 'prov-camp', '["prov-clip"]', ?, 'played', ?, ?, 1, ?, ?)`,
    );
    const runs: DrainRun[] = [];
    for (let r = 0; r < RUNS; r++) {
      db.exec(
        `DELETE FROM plays; DELETE FROM province_outbox; DELETE FROM province_delivered; UPDATE province_link SET asrun_cursor = 0;`,
      );
      await province.ask({ op: 'reset' });
      db.transaction(() => {
        for (let k = 0; k < PER_STATION; k++)
          for (let i = 0; i < N; i++) {
            const at = new Date(start + k * 1_800_000 + i).toISOString();
            const st = `st-${String(i).padStart(6, '0')}`;
            insert.run(`r${r}-${k}`, st, `slot-p@${k}`, at, at, at, at, at);
          }
      })();
      const link = createProvinceLink(depsOf(tmp.dir, db), s);
      // the outage: the province answers 500 while the records come in and the statuses are queued
      await province.ask({ op: 'outage', outage: '500' });
      const q0 = performance.now();
      while (queueBroadcastLogs(db, s, new Date(), 20_000) > 0);
      const queueMs = performance.now() - q0;
      link.queueStatuses();
      const down = await link.send();
      if (!down?.outage) throw new Error('the outage did not stop the send');
      const records = backlogOf(db).logs;
      await province.ask({ op: 'outage', outage: null });
      const t0 = performance.now();
      const cpu0 = { ctl: process.cpuUsage(), province: cpuMsOf(province.pid) };
      const up = createProvinceLink(depsOf(tmp.dir, db), s);
      const done = await up.send();
      const drainMs = performance.now() - t0;
      const ctlCpu = process.cpuUsage(cpu0.ctl);
      const cpuPerRecord = {
        controller: (ctlCpu.user + ctlCpu.system) / 1000 / records,
        province: (cpuMsOf(province.pid) - cpu0.province) / records,
      };
      const stats = await province.ask({ op: 'stats' });
      const left = backlogOf(db).waiting;
      if (done?.outage || left) throw new Error(`drain stopped: ${done?.outage?.message}, ${left} left`);
      runs.push({
        records,
        queueMs,
        drainMs,
        perSec: (records / drainMs) * 1000,
        kept: stats.logs,
        repeats: stats.repeats,
        cpuPerRecord,
      });
      log(`drain run ${r + 1}: ${JSON.stringify(runs[runs.length - 1])}`);
    }
    db.close();
    return runs;
  } finally {
    tmp.cleanup();
  }
}

const s1 = (ms: number | null) => (ms === null ? 'not reached' : `${(ms / 1000).toFixed(2)} s`);

async function main(): Promise<void> {
  const province = await forkProvinceServer();
  const loads: number[] = [];
  const loadTimer = setInterval(() => loads.push(os.loadavg()[0] as number), 5000);
  try {
    const em = PARTS.includes('emergency') ? await emergencyPart(province) : null;
    const dr = PARTS.includes('drain') ? await drainPart(province) : null;
    const load = loads.length ? median(loads).toFixed(1) : os.loadavg()[0]?.toFixed(1);
    const out: string[] = ['## Provincial link (`controller/province/`)', ''];
    const summary: string[] = [];
    if (em) {
      const p99 = em.runs.map((r) => r.p99Ms).filter((x): x is number => x !== null);
      const med = p99.length === em.runs.length ? median(p99) : null;
      const met = med !== null && med <= GOAL.emergencyMs;
      out.push(
        `| province emergency, N=${N} (${em.online} online) | poll to bulletin issued and published (ms): list, audio fetched and processed | to 99% of those online \`started\` | to 100% |`,
        '| --- | --- | --- | --- |',
        ...em.runs.map(
          (r, i) => `| run ${i + 1} | ${r.issuedMs.toFixed(0)} | ${s1(r.p99Ms)} | ${s1(r.allMs)} |`,
        ),
        '',
        `Median to 99% started: **${s1(med)}** (goal ${GOAL.emergencyMs / 1000} s: ${met ? 'met' : 'missed'}). ` +
          `Of it, the link's own part (the list asked, the audio fetched and put through the clip pipeline with ffmpeg, the bulletin stored and published): median ${median(em.runs.map((r) => r.issuedMs)).toFixed(0)} ms; ` +
          `the rest is the fan-out to the stations and their reports, as \`POST /api/alerts\` has it (section fleet-broker).`,
        '',
      );
      summary.push(
        `province emergency to 99% of ${N} started ${s1(med)} (goal 3 s, ${met ? 'met' : 'missed'})`,
      );
    }
    if (dr) {
      const rate = median(dr.map((r) => r.perSec));
      const clean = dr.every((r) => r.kept === r.records && r.repeats === 0);
      const met = rate >= GOAL.drainPerSec && clean;
      out.push(
        `| 6-hour outage backlog, N=${N} | records | queued from as-run (ms) | drained (ms) | records/s | kept at the province | sent twice | CPU ms per record: controller / province |`,
        '| --- | --- | --- | --- | --- | --- | --- | --- |',
        ...dr.map(
          (r, i) =>
            `| run ${i + 1} | ${r.records} | ${r.queueMs.toFixed(0)} | ${r.drainMs.toFixed(0)} | ${r.perSec.toFixed(0)} | ${r.kept} | ${r.repeats} | ${r.cpuPerRecord.controller.toFixed(3)} / ${r.cpuPerRecord.province.toFixed(3)} |`,
        ),
        '',
        `Median drain: **${rate.toFixed(0)} records/s** (goal ${GOAL.drainPerSec}: ${met ? 'met' : 'missed'}); none lost or kept twice: ${clean ? 'yes' : 'NO'}. ` +
          `The controller's process spent ${median(dr.map((r) => r.cpuPerRecord.controller)).toFixed(3)} ms of CPU per record (median): one free core would send ${(1000 / median(dr.map((r) => r.cpuPerRecord.controller))).toFixed(0)} records/s.`,
        '',
      );
      summary.push(
        `outage backlog drains at ${rate.toFixed(0)} records/s (goal 2,000, ${met ? 'met' : 'missed'})`,
      );
    }
    out.push(
      `The fake provincial server (\`test/support/province-server.ts\`) runs in a process of its own on this machine; the link sends one HTTP request per message, ${64} stations at a time, in order per station; 1-minute load average ${load} (median over the run) on ${os.cpus().length} cores.`,
      '',
      '<!-- summary -->',
      `Provincial link: ${summary.join('; ')}; load ${load}.`,
      '<!-- /summary -->',
    );
    console.log(out.join('\n'));
  } finally {
    clearInterval(loadTimer);
    province.stop();
  }
}

runBench(main);
