// Provinces on a broker cluster (issue 20): two provinces of N simulated stations each (scripts/sim, protocol
// v2) spread over three RabbitMQ nodes (test/support/rabbit-cluster.ts) whose logins and topic rights are
// checked for real by the controllers' auth callback through the broker-auth router, side by side with one
// Mosquitto 2 carrying both provinces in the same run. Each province's controller is a process of its own.
// A national controller process sends the national emergency. Phases: connect, the national emergency (3
// runs), the emergency with one node SIGKILLed 200 ms after the call, the reconnect storm after every broker
// restarts. Every phase is bounded; everything started is stopped and
// every folder removed, also when a phase fails. BENCH_CLUSTER_N (per province, default 5000),
// BENCH_CLUSTER_BROKERS (rabbitmq,mosquitto).
import os from 'node:os';
import { sleep } from '../../common/sleep.ts';
import { controllerView } from '../../scripts/sim/controller.ts';
import { startFleet } from '../../scripts/sim/fleet.ts';
import { cpuMsOf } from '../support/process.ts';
import { type RabbitCluster, rabbitAvailable } from '../support/rabbit-cluster.ts';
import { tempDir } from '../support/temp.ts';
import { log, runBench } from './support/bench.ts';
import { type Brokers, nodeEvents, probeSubscribes, startBrokers } from './support/cluster/brokers.ts';
import {
  addNationalLogins,
  type NationalController,
  sendNationalEmergency,
  stageNationalClip,
  startNationalController,
} from './support/cluster/national.ts';
import {
  emergencyWithKill,
  nationalEmergency,
  type ProvinceFleet,
  provinceVersion,
  touchProvince,
} from './support/cluster/phases.ts';
import {
  type Province,
  prepareProvince,
  startProvince,
  stopProvince,
  storeOf,
} from './support/cluster/provinces.ts';
import { type ClusterRow, printCluster, rowsFromLogs } from './support/cluster/report.ts';
import { reach } from './support/fleet-phases.ts';

const N = Number(process.env.BENCH_CLUSTER_N ?? 5000);
const BROKERS = (process.env.BENCH_CLUSTER_BROKERS ?? 'rabbitmq,mosquitto').split(',');
const PROVINCES = [
  { id: 'can-tho', name: 'Thành phố Cần Thơ', prefix: 'ct' },
  { id: 'hau-giang', name: 'Tỉnh Hậu Giang', prefix: 'hg' },
];
const CONNECT_RATE = Number(process.env.BENCH_CLUSTER_RATE ?? 200); // new connections a second, over both provinces
const RUNS = 3;
const CLIP_MS = 3000;
const KILL_AFTER_MS = 200;
const KILLED = 1; // the second node: not the one the others joined
// connect: all arrivals at CONNECT_RATE, with half as long again to be in sync
const LIMIT = {
  connectMs: Math.max(240e3, ((1.5 * N * PROVINCES.length) / CONNECT_RATE) * 1000),
  nationalMs: 30e3,
  killMs: 90e3,
  restartMs: 180e3,
  stormMs: 120e3,
};

type Cpu = Record<string, number>;
type Probes = NonNullable<ClusterRow['probe']>;
const AUTH: Record<string, string> = {
  rabbitmq: 'auth callback',
  'rabbitmq-internal': "RabbitMQ's internal users, one shared login: stand-in",
  mosquitto: 'password and ACL files',
};

/** What is running now, stopped in reverse on the way out: at the end of a row, or on SIGINT / SIGTERM. */
const closers: (() => Promise<unknown>)[] = [];
async function closeAll(downTo = 0): Promise<void> {
  while (closers.length > downTo) await (closers.pop() as () => Promise<unknown>)().catch(() => {});
}
for (const sig of ['SIGINT', 'SIGTERM'] as const)
  process.once(sig, () => void Promise.race([closeAll(), sleep(30_000)]).finally(() => process.exit(1)));

async function runOne(
  kind: string,
  provinces: Province[],
  national: NationalController,
): Promise<ClusterRow> {
  const notes: string[] = [];
  let brokers: Brokers | null = null;
  let cluster: RabbitCluster | null = null;
  const fleets: ProvinceFleet[] = [];
  const mine = closers.length;
  closers.push(
    async () => brokers?.stop(),
    async () => {
      for (const p of provinces) await stopProvince(p);
    },
    async () => Promise.all(fleets.map(({ fleet }) => fleet.stop())),
  );
  const row: ClusterRow = {
    broker: kind.startsWith('rabbitmq') ? 'RabbitMQ 3.10, 3 nodes' : 'Mosquitto 2, one broker',
    n: N,
    provinces: provinces.length,
    auth: AUTH[kind] ?? kind,
    connect: { ms: null, online: 0, nodes: [] },
    national: [],
    kill: null,
    storm: { downMs: 0, ms: null, ctlMs: null, online: 0, inSync: 0, bumped: false },
    cpu: {},
    load: [],
    notes,
  };
  const loadTimer = setInterval(() => row.load.push(os.loadavg()[0] as number), 10_000);
  const cpuNow = (): Cpu => {
    const c: Cpu = {};
    const u = process.cpuUsage();
    c['bench (counting, auth router)'] = (u.user + u.system) / 1000;
    for (const p of provinces) c[`controller ${p.id}`] = cpuMsOf(p.proc?.pid);
    c['national controller'] = cpuMsOf(national.proc.proc.child.pid);
    c['simulated stations'] = fleets.reduce((s, f) => s + f.fleet.stats().workerCpuMs, 0);
    if (cluster)
      for (let i = 0; i < cluster.nodes.length; i++) c[`rabbit node ${i + 1}`] = cpuMsOf(cluster.pid(i));
    if (brokers?.mosquitto) c.mosquitto = cpuMsOf(brokers.mosquitto.pid());
    return c;
  };
  const phase = async <T>(name: string, f: () => Promise<T>): Promise<T> => {
    const c0 = cpuNow();
    const t0 = performance.now();
    try {
      return await f();
    } finally {
      const ms = performance.now() - t0;
      const c1 = cpuNow();
      row.cpu[name] = Object.fromEntries(
        Object.entries(c1).map(([k, v]) => [k, Math.max(0, v - (c0[k] ?? 0)) / ms]),
      );
    }
  };
  try {
    const b = await startBrokers(kind, provinces);
    brokers = b;
    cluster = b.cluster;
    const { urls, token, login } = b;
    for (const p of provinces)
      await startProvince(p, urls.join(','), {
        ...(token ? { brokerAuthToken: token } : {}),
        ...(login ? { login } : {}),
      });
    for (const p of provinces) await addNationalLogins(p);
    await stageNationalClip(national);
    const send = () => sendNationalEmergency(national);
    const first = provinces[0] as Province;
    row.probe = { idle: await probeSubscribes(b, first, 300, 60_000).catch(() => null), loaded: null };
    log(`${kind}: controllers up; ${provinces.length * N} stations connecting at ${CONNECT_RATE}/s`);
    await phase('connect', async () => {
      for (const p of provinces)
        fleets.push({
          p,
          fleet: await startFleet({
            urls,
            province: p.id,
            ...(login ? { login } : {}),
            stations: p.stations,
            procs: 1,
            ratePerSec: CONNECT_RATE / provinces.length,
          }),
        });
      const v0 = provinces.map((p) => Math.max(1, provinceVersion(p)));
      const inSync = () =>
        fleets.reduce(
          (s, { fleet }, i) => s + Math.min(fleet.stats().online, fleet.appliedAtLeast(v0[i] as number)),
          0,
        );
      const c = await reach(inSync, N * provinces.length, LIMIT.connectMs);
      const nodes = urls.map((_, i) => fleets.reduce((s, { fleet }) => s + (fleet.stats().nodes[i] ?? 0), 0));
      row.connect = {
        ms: c.ms,
        online: c.last,
        nodes,
        hellos: fleets.reduce((n, { fleet }) => n + fleet.stats().hellos, 0),
      };
    });
    log(`${kind}: connect ${JSON.stringify(row.connect)}`);
    row.callback = { connect: await b.callback(), end: null };
    (row.probe as Probes).loaded = await probeSubscribes(b, first, 100, 120_000).catch(() => null);
    log(`${kind}: callback ${JSON.stringify(row.callback.connect)}; probe ${JSON.stringify(row.probe)}`);
    await sleep(2000);
    await phase('national', async () => {
      for (let r = 0; r < RUNS; r++) {
        const x = await nationalEmergency(fleets, send, LIMIT.nationalMs);
        row.national.push(x);
        log(`${kind}: national run ${r + 1} ${JSON.stringify(x.provinces)}`);
        await sleep(CLIP_MS + 1500);
      }
    });
    if (cluster) {
      const c = cluster;
      row.kill = await phase('kill', () =>
        emergencyWithKill(fleets, send, () => c.kill(KILLED), KILLED, {
          afterMs: KILL_AFTER_MS,
          limitMs: LIMIT.killMs,
          perStation: 2,
        }),
      );
      log(`${kind}: kill ${JSON.stringify({ ...row.kill, run: row.kill.run.provinces })}`);
      await c
        .start(KILLED)
        .catch((e) => notes.push(`the killed node did not come back: ${(e as Error).message}`));
      await sleep(CLIP_MS + 1500);
    }
    await phase('storm', async () => {
      const since = new Date().toISOString();
      const t1 = performance.now();
      // A new desired version is made while every broker is down: the stations get it through hello.
      const bump = () =>
        Promise.all(provinces.map(touchProvince)).then(
          () => (row.storm.bumped = true),
          (e) => notes.push(`storm: no new version (${(e as Error).message.slice(0, 200)})`),
        );
      // Bounded: three nodes booting together on a loaded machine can take minutes.
      if (cluster) {
        const up = Promise.race([
          cluster.restartAll().then(() => true),
          sleep(LIMIT.restartMs).then(() => false),
        ]);
        const [back] = await Promise.all([up, sleep(1000).then(bump)]);
        if (!back)
          notes.push(`storm: the cluster was not back ${LIMIT.restartMs / 1000} s after its restart began`);
      } else if (brokers?.mosquitto)
        await Promise.all([brokers.mosquitto.restart(2000), sleep(500).then(bump)]);
      row.storm.downMs = performance.now() - t1;
      // the goal's 60 s count from the brokers' return: how long three nodes take to boot is the cluster's
      const returned = performance.now();
      const v = provinces.map((p) => Math.max(1, provinceVersion(p)));
      const back = () =>
        fleets.reduce(
          (s, { fleet }, i) => s + Math.min(fleet.stats().online, fleet.appliedAtLeast(v[i] as number)),
          0,
        );
      const seen = () => provinces.reduce((s, p) => s + controllerView(storeOf(p), since).inSync, 0);
      const [b, c] = await Promise.all([
        reach(back, N * provinces.length, LIMIT.stormMs, [], returned),
        reach(seen, N * provinces.length, LIMIT.stormMs, [], returned),
      ]);
      row.storm = { ...row.storm, ms: b.ms, ctlMs: c.ms, online: b.last, inSync: c.last };
    });
    log(`${kind}: storm ${JSON.stringify(row.storm)}`);
  } catch (e) {
    notes.push(`stopped early: ${(e as Error).message.slice(0, 500)}`);
    log(`${kind}: ${(e as Error).stack}`);
  } finally {
    if (row.callback) row.callback.end = (await brokers?.callback().catch(() => null)) ?? null;
    if (cluster) row.nodeEvents = nodeEvents(cluster);
    clearInterval(loadTimer);
    await closeAll(mine);
  }
  log(`ROW ${JSON.stringify(row)}`);
  return row;
}

async function main(): Promise<void> {
  const started = new Date();
  const runs = `stations arriving at ${CONNECT_RATE}/s in the connect phase (BENCH_CLUSTER_RATE), at their own backoff in the storm; the national emergency sent by the national controller (POST /api/national/bulletins), its recording staged at both provinces first`;
  // BENCH_CLUSTER_ROWS=log1,log2: no run, the report of the rows logged by earlier runs (`ROW {...}` on stderr).
  if (process.env.BENCH_CLUSTER_ROWS) {
    const rows = rowsFromLogs(process.env.BENCH_CLUSTER_ROWS.split(','));
    const note = process.env.BENCH_CLUSTER_ROWS_NOTE ?? '';
    console.log(printCluster(rows, { started, runs: `${runs}; rows of earlier runs: ${note}` }));
    return;
  }
  const tmp = tempDir('bench-cluster');
  closers.push(async () => tmp.cleanup());
  const rows: ClusterRow[] = [];
  try {
    const provinces: Province[] = [];
    for (const p of PROVINCES) provinces.push(await prepareProvince(tmp.dir, p, N, CLIP_MS));
    log(`registered ${PROVINCES.length} × ${N} stations`);
    const national = await startNationalController(tmp.dir, provinces);
    closers.push(() => national.proc.proc.stop());
    for (const kind of BROKERS) {
      if (kind.startsWith('rabbitmq') && !rabbitAvailable()) {
        log('rabbitmq-server is not installed: its row is left out');
        continue;
      }
      rows.push(await runOne(kind, provinces, national));
    }
  } finally {
    await closeAll();
  }
  console.log(printCluster(rows, { started, runs }));
}

runBench(main);
