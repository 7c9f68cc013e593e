// The provinces of the cluster benchmark: each its own SQLite file with N simulated stations (scripts/sim/
// fleet.ts), its controller in a process of its own (scripts/sim/province.ts) on a fixed HTTP port (the
// auth router must know it before the brokers start), and a read-only handle on its store to count by SQL.
import { type ChildProcess, fork } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import Database from 'better-sqlite3';
import { type Db, openDb } from '../../../../controller/db.ts';
import { brokerHash, newSecret } from '../../../../controller/users/secrets.ts';
import type { SimController } from '../../../../scripts/sim/controller.ts';
import { registerStations } from '../../../../scripts/sim/fleet.ts';
import type { SimCredential } from '../../../../scripts/sim/messages.ts';
import type { ProvinceArgs, ProvinceReady } from '../../../../scripts/sim/province.ts';
import { ROOT } from '../../../support/process.ts';
import { apiToken, benchClip } from '../fleet-phases.ts';

export const ADMIN_PASSWORD = 'bench-admin-password';

export interface Province {
  id: string;
  /** As people read it (the national view names provinces by it). */
  name: string;
  dataDir: string;
  stations: SimCredential[];
  /** The controller's MQTT password and its Mosquitto hash. */
  password: string;
  passwordHash: string;
  httpPort: number;
  clipId: string;
  /** Set while its controller runs. */
  proc: ChildProcess | null;
  api: string | null;
  token: string | null;
  /** Read-only, for counting (WAL: the controller writes meanwhile). */
  store: Db | null;
}

/** A province's folder and database with `n` stations (ids `<prefix>-000000`…), their broker hashes too. */
export async function prepareProvince(
  root: string,
  { id, name, prefix }: { id: string; name: string; prefix: string },
  n: number,
  clipMs: number,
) {
  const dataDir = path.join(root, id);
  mkdirSync(dataDir, { recursive: true });
  const db = openDb(path.join(dataDir, 'controller.db'));
  const stations = registerStations(db, n, { prefix, brokerHashes: true });
  const clipId = benchClip({ db } as SimController, clipMs);
  db.close();
  const password = newSecret('ctl');
  const p: Province = {
    id,
    name,
    dataDir,
    stations,
    password,
    passwordHash: brokerHash(password),
    httpPort: await portBelowEphemeral(),
    clipId,
    proc: null,
    api: null,
    token: null,
    store: null,
  };
  return p;
}

/**
 * A free port below Linux's ephemeral range (32768-60999): the province's port is chosen before the brokers
 * start and listened on minutes later, and a port of that range may meanwhile be taken as the local end of
 * some outgoing connection (seen: EADDRINUSE at the province's start).
 */
async function portBelowEphemeral(): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    const free = await new Promise<boolean>((resolve) => {
      const s = createServer();
      s.once('error', () => resolve(false));
      s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
    });
    if (free) return port;
  }
}

/** Opens the province's database (for a broker's files) and closes it. */
export function withProvinceDb<T>(p: Province, f: (db: Db) => T): T {
  const db = openDb(path.join(p.dataDir, 'controller.db'));
  try {
    return f(db);
  } finally {
    db.close();
  }
}

/** Starts the province's controller process against `url` (brokers separated by commas). */
export async function startProvince(
  p: Province,
  url: string,
  o: { brokerAuthToken?: string; login?: { username: string; password: string } } = {},
): Promise<void> {
  // Each broker row starts from an empty as-run log and no bulletins (the stations' record ids repeat).
  withProvinceDb(p, (db) => db.exec('DELETE FROM plays; DELETE FROM alert_stations; DELETE FROM alerts;'));
  const args: ProvinceArgs = {
    dataDir: p.dataDir,
    province: p.id,
    url,
    password: o.login?.password ?? p.password,
    ...(o.login ? { username: o.login.username } : {}),
    adminPassword: ADMIN_PASSWORD,
    httpPort: p.httpPort,
    ...(o.brokerAuthToken ? { brokerAuthToken: o.brokerAuthToken } : {}),
    verbose: !!process.env.BENCH_CLUSTER_VERBOSE,
  };
  const child = fork(path.join(ROOT, 'scripts/sim/province.ts'), [JSON.stringify(args)], {
    cwd: ROOT,
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  p.proc = child;
  const ready = await new Promise<ProvinceReady>((resolve, reject) => {
    child.once('message', (m: ProvinceReady) => resolve(m));
    child.once('exit', (code) => reject(new Error(`province ${p.id}'s controller exited (${code})`)));
  });
  p.api = ready.api;
  p.token = await apiToken(ready.api, ADMIN_PASSWORD);
  p.store = new Database(path.join(p.dataDir, 'controller.db'), { readonly: true, fileMustExist: true });
}

export async function stopProvince(p: Province): Promise<void> {
  p.store?.close();
  p.store = null;
  const c = p.proc;
  p.proc = null;
  if (!c || c.exitCode !== null || c.signalCode !== null) return;
  const exited = new Promise<void>((r) => c.once('exit', () => r()));
  c.kill('SIGTERM');
  const t = setTimeout(() => c.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(t);
}

/** The province's read-only store (while its controller runs). */
export function storeOf(p: Province): Db {
  if (!p.store) throw new Error(`province ${p.id} is not running`);
  return p.store;
}

/** Stations of the province started (or finished) on this bulletin, at its controller's store. */
export function startedAt(p: Province, alertId: string): number {
  return (
    (
      p.store
        ?.prepare(
          `SELECT COUNT(*) AS c FROM alert_stations WHERE alert_id = ? AND state IN ('started', 'finished')`,
        )
        .get(alertId) as { c: number } | undefined
    )?.c ?? 0
  );
}
