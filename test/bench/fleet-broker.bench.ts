// Fleet over MQTT: N simulated stations (scripts/sim) against the controller core with its HTTP API, on the
// embedded aedes broker as `npm run controller` runs it (retained messages indexed, the controller linked in
// process, a bounded close) side by side with Debian's Mosquitto in the same run (and, on request, aedes in a
// process of its own). Connect, memory, desired-state fan-out, emergency bulletin, as-run ingest and the
// reconnect storm after a broker restart; every phase is bounded, so a broker that falls behind still
// reports what it reached. Prints a Markdown section with its summary block (support/fleet-report.ts).
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { sleep } from '../../common/sleep.ts';
import { openDb } from '../../controller/db.ts';
import { mosquittoFiles, readStationsForBroker } from '../../controller/mqtt/broker-files.ts';
import { brokerHash, newSecret } from '../../controller/users/secrets.ts';
import {
  controllerView,
  type SimBroker,
  type SimController,
  startSimController,
} from '../../scripts/sim/controller.ts';
import { type Fleet, registerStations, startFleet } from '../../scripts/sim/fleet.ts';
import type { SimCredential } from '../../scripts/sim/messages.ts';
import { findMosquitto, type Mosquitto, startMosquitto } from '../support/mqtt/mosquitto.ts';
import { cpuMsOf, rssOf } from '../support/process.ts';
import { tempDir } from '../support/temp.ts';
import { log, runBench } from './support/bench.ts';
import { apiToken, benchClip, currentVersion, emergency, fanOut, reach } from './support/fleet-phases.ts';
import { type BrokerKind, printFleet, type Row } from './support/fleet-report.ts';

const SIZES = (process.env.BENCH_FLEET_N ?? '1000,3000,10000').split(',').map(Number);
const BROKERS = (process.env.BENCH_FLEET_BROKERS ?? 'aedes,mosquitto').split(',') as BrokerKind[];
const CONNECT_RATE = 1000;
const ASRUN_TOTAL = 100_000;
const FANOUT_RUNS = 3;
const ALERT_RUNS = 3;
const ALERT_CLIP_MS = 3000;
const ADMIN_PASSWORD = 'bench-admin-password';
const LIMIT = { connectMs: 300_000, alertMs: 60_000, asRunMs: 180_000, stormMs: 240_000 };
const MARKS = { connect: [30, 60, 120, 180, 240, 300], storm: [30, 60, 120, 180, 240] };
const gc = () => (globalThis as { gc?: () => void }).gc?.();

async function runOne(
  kind: BrokerKind,
  n: number,
  dataDir: string,
  stations: SimCredential[],
  mosquittoBin: string | null,
): Promise<Row> {
  const notes: string[] = [];
  let mosq: Mosquitto | null = null;
  gc();
  let broker: SimBroker = { kind: kind === 'aedes-process' ? 'process' : 'embedded' };
  if (kind === 'mosquitto') {
    const password = newSecret('ctl');
    const db = openDb(path.join(dataDir, 'controller.db'));
    const files = mosquittoFiles(readStationsForBroker(db), {
      username: 'controller',
      brokerHash: brokerHash(password),
    });
    db.close();
    // Mosquitto queues at most 1000 QoS 1 messages per client beyond its 20 in flight and drops the
    // rest: the controller's one subscription takes every station's presence, so it needs no cap.
    // `log_type error` only: logging every connect of ten thousand clients would cost more than serving them.
    mosq = await startMosquitto(mosquittoBin as string, files, {
      logType: 'error',
      extra: ['max_queued_messages 0'],
    });
    broker = { kind: 'external', url: mosq.url, username: 'controller', password };
  }
  const ctl: SimController = await startSimController({
    dataDir,
    broker,
    http: { adminPassword: ADMIN_PASSWORD },
  });
  const brokerPid = () => mosq?.pid() ?? ctl.brokerPid();
  // Each broker gets an empty as-run log and no bulletins: the stations' record ids are the same every run.
  ctl.db.exec('DELETE FROM plays; DELETE FROM alert_stations; DELETE FROM alerts;');
  const token = await apiToken(ctl.api as string, ADMIN_PASSWORD);
  const clipId = benchClip(ctl, ALERT_CLIP_MS);
  // Every station's desired state goes out once the controller's link is up (publishAll on connect).
  await sleep(2500);
  gc();
  const row: Row = {
    broker: kind,
    n,
    connect: { ms: null, marks: [], online: 0 },
    restMb: process.memoryUsage.rss() / 2 ** 20,
    connectedMb: 0,
    brokerMb: null,
    fleetMb: 0,
    population: n,
    fanout: { ms: [], ctlMs: [], syncMs: [] },
    alerts: [],
    asRun: { perSec: null, stored: 0, total: 0, cpu: null },
    storm: { downMs: null, ms: null, ctlMs: null, marks: [], online: 0 },
    notes,
    load: [],
  };
  const loadTimer = setInterval(() => row.load?.push(os.loadavg()[0] as number), 10_000);
  const v0 = currentVersion(ctl);
  log(`${kind} N=${n}: connecting at ${CONNECT_RATE}/s`);
  let fleet: Fleet | null = null;
  try {
    const f = await startFleet({ url: ctl.url, stations, procs: 2, ratePerSec: CONNECT_RATE });
    fleet = f;
    const c = await reach(
      () => Math.min(f.stats().online, f.appliedAtLeast(v0)),
      n,
      LIMIT.connectMs,
      MARKS.connect,
    );
    row.connect = { ms: c.ms, marks: c.marks, online: c.last };
    row.population = c.ms === null ? f.stats().online : n;
    if (c.ms === null)
      notes.push(
        `connect: ${c.last} of ${n} online with their desired state after ${LIMIT.connectMs / 1000} s`,
      );
    log(`${kind} N=${n}: connect ${JSON.stringify(row.connect)}`);

    // Memory with the stations connected, once idle.
    await sleep(3000);
    gc();
    row.connectedMb = process.memoryUsage.rss() / 2 ** 20;
    row.brokerMb = brokerPid() ? rssOf(brokerPid()) / 2 ** 20 : null;
    row.fleetMb = f.stats().workerRssBytes / 2 ** 20;

    for (let r = 0; r < FANOUT_RUNS; r++) {
      const x = await fanOut(ctl, f, row.population);
      if (x.ms === null)
        notes.push(`fan-out run ${r + 1}: ${x.reached} of ${row.population} applied after 60 s`);
      if (x.ms !== null) row.fanout.ms.push(x.ms);
      if (x.ctlMs !== null) row.fanout.ctlMs.push(x.ctlMs);
      row.fanout.syncMs?.push(x.syncMs);
      await sleep(500);
    }
    log(`${kind} N=${n}: fan-out ${JSON.stringify(row.fanout)}`);

    for (let r = 0; r < ALERT_RUNS; r++) {
      const a = await emergency(ctl, f, token, clipId, n, LIMIT.alertMs);
      row.alerts.push(a);
      log(`${kind} N=${n}: emergency ${JSON.stringify(a)}`);
      await sleep(1000);
    }

    // As-run ingest: records through MQTT into `plays`, acknowledged, none lost.
    // Every station sends (one offline keeps its records until it is back), so all N count.
    const perStation = Math.max(1, Math.round(ASRUN_TOTAL / n));
    const total = perStation * n;
    const count = () => (ctl.db.prepare('SELECT COUNT(*) AS c FROM plays').get() as { c: number }).c;
    const before = count();
    const acked0 = f.stats().acked;
    // Who is busy while the records flow: the controller (this process), the broker, the simulator.
    const cpu0 = { ctl: process.cpuUsage(), broker: cpuMsOf(brokerPid()), sim: f.stats().workerCpuMs };
    const t0 = performance.now();
    f.asRun(perStation, Math.min(100, perStation));
    const a = await reach(() => f.stats().acked - acked0, total, LIMIT.asRunMs);
    const stored = count() - before;
    const ms = performance.now() - t0;
    const ctlCpu = process.cpuUsage(cpu0.ctl);
    row.asRun = {
      perSec: (stored / ms) * 1000,
      stored,
      total,
      cpu: {
        controller: (ctlCpu.user + ctlCpu.system) / 1000 / ms,
        broker: brokerPid() ? (cpuMsOf(brokerPid()) - cpu0.broker) / ms : null,
        sim: (f.stats().workerCpuMs - cpu0.sim) / ms,
      },
    };
    if (a.ms === null)
      notes.push(`as-run: ${a.last} of ${total} acknowledged after ${LIMIT.asRunMs / 1000} s`);
    log(`${kind} N=${n}: as-run ${JSON.stringify(row.asRun)}`);

    // Reconnect storm: the broker restarts (1 s down); stations return with the agent's backoff.
    await sleep(1000);
    const since = new Date().toISOString();
    const stormCpu0 = process.cpuUsage();
    const lag = monitorEventLoopDelay({ resolution: 10 });
    lag.enable();
    const t1 = performance.now();
    if (mosq) await mosq.restart(1000);
    else {
      const note = await ctl.restartBroker(1000);
      if (note) notes.push(`storm: ${note}`);
    }
    row.storm.downMs = performance.now() - t1;
    const dropped = await reach(() => n - f.stats().online, 1, 10_000);
    if (dropped.ms === null) notes.push('storm: no station saw the broker go');
    const v = currentVersion(ctl);
    const back = reach(
      () => Math.min(f.stats().online, f.appliedAtLeast(v)),
      row.population,
      LIMIT.stormMs,
      MARKS.storm,
      t1,
    );
    const seen = reach(() => controllerView(ctl.db, since).inSync, row.population, LIMIT.stormMs, [], t1);
    const [b, s] = await Promise.all([back, seen]);
    lag.disable();
    const stormCpu = process.cpuUsage(stormCpu0);
    row.storm = {
      ...row.storm,
      ms: b.ms,
      ctlMs: s.ms,
      marks: b.marks,
      online: b.last,
      ctlSeen: s.last,
      cpu: (stormCpu.user + stormCpu.system) / 1000 / (performance.now() - t1),
      lagP99Ms: lag.percentile(99) / 1e6,
    };
    if (b.ms === null)
      notes.push(`storm: ${b.last} of ${row.population} back and in sync after ${LIMIT.stormMs / 1000} s`);
    if (row.population < n) notes.push(`storm: counted over the ${row.population} stations online before it`);
  } finally {
    clearInterval(loadTimer);
    await fleet?.stop();
    await ctl.close();
    await mosq?.stop();
  }
  // One line per row, complete: BENCH_FLEET_ROWS can print a report from the logs of several runs.
  log(`ROW ${JSON.stringify(row)}`);
  return row;
}

/**
 * aedes 1.x (through mqemitter) can overflow the stack while it closes with many messages in flight; the
 * broker is being thrown away then, so the benchmark notes it and goes on instead of dying.
 */
const crashes: string[] = [];
process.on('uncaughtException', (e) => {
  // Also a broker or link left behind by a restart that did not finish (scripts/sim/controller.ts) may
  // still try to write to its row's closed database.
  const leftBehind = e instanceof TypeError && /database connection is not open/.test(e.message);
  if ((e instanceof RangeError && /call stack/.test(e.message)) || leftBehind) {
    crashes.push(`${e.message} at ${(e.stack ?? '').split('\n')[1]?.trim()}`);
    log(`uncaught ${e.message}`);
  } else {
    console.error(e);
    process.exit(1);
  }
});

async function main(): Promise<void> {
  const bin = findMosquitto();
  const rows: Row[] = [];
  const started = new Date();
  const merged = !!process.env.BENCH_FLEET_ROWS;
  const print = () =>
    printFleet(rows, {
      haveMosquitto: !!bin,
      crashes,
      started: merged ? null : started,
      runs: process.env.BENCH_FLEET_ROWS_NOTE,
      limits: LIMIT,
      alertClipMs: ALERT_CLIP_MS,
    });
  // BENCH_FLEET_ROWS=log1,log2: no run, the report of the rows logged by earlier runs (stderr, `ROW {...}`),
  // in the order of sizes and brokers; BENCH_FLEET_ROWS_NOTE says which runs they come from.
  if (process.env.BENCH_FLEET_ROWS) {
    for (const file of process.env.BENCH_FLEET_ROWS.split(','))
      for (const line of readFileSync(file, 'utf8').split('\n')) {
        const m = / ROW (\{.*\})$/.exec(line);
        if (m) rows.push(JSON.parse(m[1] as string) as Row);
      }
    const order = (r: Row) => r.n * 10 + ['aedes', 'aedes-process', 'mosquitto'].indexOf(r.broker);
    rows.sort((a, b) => order(a) - order(b));
    console.log(print());
    return;
  }
  for (const n of SIZES) {
    const tmp = tempDir('bench-fleet');
    const dataDir = tmp.dir;
    try {
      const db = openDb(path.join(dataDir, 'controller.db'));
      const t0 = performance.now();
      const stations = registerStations(db, n, { brokerHashes: !!bin && BROKERS.includes('mosquitto') });
      db.close();
      log(`N=${n}: registered in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      for (const kind of BROKERS) {
        if (kind === 'mosquitto' && !bin) continue;
        rows.push(await runOne(kind, n, dataDir, stations, bin));
      }
    } finally {
      tmp.cleanup();
    }
  }
  console.log(
    printFleet(rows, { haveMosquitto: !!bin, crashes, started, limits: LIMIT, alertClipMs: ALERT_CLIP_MS }),
  );
}

runBench(main);
