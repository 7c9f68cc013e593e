// `npm run sim -- --stations N`: a fleet of simulated stations speaking the agent's MQTT protocol.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createLogger } from '../common/log.ts';
import { openDb } from '../controller/db.ts';
import { controllerView, type SimController, startSimController } from './sim/controller.ts';
import { registerStations, startFleet } from './sim/fleet.ts';
import type { SimCredential } from './sim/messages.ts';

const usage = `usage: npm run sim -- --stations N [options]
  --stations N      simulated stations (required)
  --procs P         worker processes (default 2)
  --rate R          new connections per second over the whole fleet (default 200)
  --prefix P        station ids P-000000... (default sim)
  --as-run K        once all are online, each station sends K as-run records (batches of 100)
  --duration S      stop after S seconds (default: run until Ctrl-C)
  --data-dir DIR    controller data directory (default: a temporary one)
  --broker-process  run the controller core's aedes broker in a process of its own (as an external
                    broker on the same database) instead of in the controller's thread
  --mqtt-url URL    use this broker instead of starting a controller with its embedded broker;
                    stations are then written into DIR/controller.db (--data-dir is required) of the
                    controller that uses that broker, with the Mosquitto hash for broker files
Alone, the simulator starts its own controller core (database, desired-state sync, MQTT link, embedded
aedes broker with the per-address connection limit lifted) and registers the stations in its database.`;

const options = {
  stations: { type: 'string' },
  procs: { type: 'string', default: '2' },
  rate: { type: 'string', default: '200' },
  prefix: { type: 'string', default: 'sim' },
  'as-run': { type: 'string', default: '0' },
  duration: { type: 'string', default: '0' },
  'data-dir': { type: 'string' },
  'mqtt-url': { type: 'string' },
  'broker-process': { type: 'boolean' },
  help: { type: 'boolean' },
} as const;

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

async function main(): Promise<void> {
  let a: ReturnType<typeof parseArgs<{ options: typeof options }>>['values'];
  try {
    a = parseArgs({ options }).values;
  } catch (e) {
    fail(`${(e as Error).message}\n${usage}`);
  }
  const n = Number(a.stations);
  if (a.help || !Number.isInteger(n) || n < 1) fail(usage);
  const procs = Number(a.procs);
  const rate = Number(a.rate);
  const asRun = Number(a['as-run']);
  const duration = Number(a.duration);
  if (![procs, rate].every((x) => Number.isFinite(x) && x > 0))
    fail(`--procs and --rate must be positive\n${usage}`);
  if (a['mqtt-url'] && !a['data-dir']) fail(`--mqtt-url needs --data-dir\n${usage}`);
  const log = createLogger('sim');

  const temp = a['data-dir'] ? null : mkdtempSync(path.join(tmpdir(), 'loa-sim-'));
  const dataDir = path.resolve(a['data-dir'] ?? (temp as string));
  let ctl: SimController | null = null;
  let url: string;
  let stations: SimCredential[];
  const t0 = performance.now();
  if (a['mqtt-url']) {
    url = a['mqtt-url'];
    const db = openDb(path.join(dataDir, 'controller.db'));
    stations = registerStations(db, n, { prefix: a.prefix, brokerHashes: true });
    db.close();
    log.info(`registered ${n} stations in ${dataDir}/controller.db`);
    log.info(
      'an external broker needs `npm run broker-files` and a reload now; the embedded broker of a running ' +
        'controller admits 30 connections, then 2 a second, from one address: use --rate 2 against it',
    );
  } else {
    ctl = await startSimController({
      dataDir,
      log: { ...log, info: () => {} },
      broker: { kind: a['broker-process'] ? 'process' : 'embedded' },
    });
    stations = registerStations(ctl.db, n, { prefix: a.prefix });
    ctl.desired.sync();
    url = ctl.url;
    const where = a['broker-process'] ? 'in its own process' : 'in the same process';
    log.info(`controller core with the aedes broker ${where} on ${url}, data in ${dataDir}`);
  }
  log.info(
    `${n} stations ready in ${Math.round(performance.now() - t0)} ms; connecting at ${rate}/s in ${procs} process(es)`,
  );
  const since = new Date().toISOString();
  const fleet = await startFleet({ url, stations, procs, ratePerSec: rate });

  const report = () => {
    const s = fleet.stats();
    const versions = [...s.versions].map(([v, c]) => `v${v}:${c}`).join(' ');
    const view = ctl ? controllerView(ctl.db, since) : null;
    log.info(
      `started ${s.started}/${n}, online ${s.online}, applied ${versions || '-'}, as-run acked ${s.acked} ` +
        `pending ${s.pending}${view ? `; controller sees ${view.online} online, ${view.inSync} in sync` : ''}`,
    );
  };
  const ticker = setInterval(report, 2000);

  let stopping = false;
  const stop = async (why: string) => {
    if (stopping) return;
    stopping = true;
    clearInterval(ticker);
    log.info(`${why}: stopping`);
    report();
    await fleet.stop();
    await ctl?.close();
    if (temp) rmSync(temp, { recursive: true, force: true });
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
  if (duration > 0) setTimeout(() => void stop(`${duration} s elapsed`), duration * 1000);

  const tOnline = await fleet.until((s) => s.online >= n, 3_600_000, 'all stations online');
  log.info(`all ${n} stations online after ${(tOnline / 1000).toFixed(1)} s`);
  if (asRun > 0) {
    fleet.asRun(asRun, 100);
    const tAcked = await fleet.until((s) => s.acked >= n * asRun, 3_600_000, 'as-run acks');
    log.info(`${n * asRun} as-run records acknowledged in ${(tAcked / 1000).toFixed(1)} s`);
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.stack : e);
  process.exit(1);
});
