// The fleet: simulated stations spread over a few worker processes, their credentials, and their totals.
import { type ChildProcess, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { Db } from '../../controller/db.ts';
import { brokerHash, hashSecret } from '../../controller/users/secrets.ts';
import type { SimCredential, StationsReport, ToWorker, WorkerStats } from './messages.ts';

export interface RegisterOptions {
  prefix?: string;
  /** Stations per district: each station has a ward of its own, wards are grouped into districts. */
  perDistrict?: number;
  /** Also store the Mosquitto `$7$` hash (PBKDF2, about 1 ms a station), needed only for an external broker. */
  brokerHashes?: boolean;
}

/**
 * Writes `count` stations with fresh secrets straight into a controller database (the simulator must know
 * each secret, which the API shows once per station and the CSV import not at all), with the areas
 * they hang from: the tree's root (made if there is none), a district per `perDistrict` stations and a
 * ward per station. Existing stations of the same id get a new secret.
 */
export function registerStations(db: Db, count: number, o: RegisterOptions = {}): SimCredential[] {
  const prefix = o.prefix ?? 'sim';
  const perDistrict = o.perDistrict ?? 100;
  const now = new Date().toISOString();
  const levels = (db.prepare('SELECT id FROM area_levels ORDER BY position').all() as { id: string }[]).map(
    (l) => l.id,
  );
  const level = (i: number) => levels[Math.min(i, levels.length - 1)] as string;
  const area = db.prepare(
    `INSERT INTO areas (id, parent_id, level, name, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT(id) DO NOTHING`,
  );
  const version = db.prepare(
    `INSERT INTO area_history (area_id, valid_from, name, parent_id, level) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT DO NOTHING`,
  );
  const addArea = (id: string, parent: string | null, depth: number, name: string) => {
    area.run(id, parent, level(depth), name, now);
    version.run(id, now, name, parent, level(depth));
  };
  const upsert = db.prepare(
    `INSERT INTO stations (id, name, area_id, timezone, secret_hash, broker_hash, created_at)
     VALUES (@id, @name, @areaId, 'Asia/Ho_Chi_Minh', @secretHash, @brokerHash, @now)
     ON CONFLICT(id) DO UPDATE SET secret_hash = excluded.secret_hash, broker_hash = excluded.broker_hash,
       secret_revoked = 0, area_id = excluded.area_id`,
  );
  const place = db.prepare(
    `INSERT INTO station_places (station_id, area_id, valid_from) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`,
  );
  const out: SimCredential[] = [];
  db.transaction(() => {
    const existing = db
      .prepare('SELECT id FROM areas WHERE parent_id IS NULL AND retired_at IS NULL')
      .get() as { id: string } | undefined;
    const root = existing?.id ?? `${prefix}-root`;
    if (!existing) addArea(root, null, 0, 'Tỉnh mô phỏng');
    for (let i = 0; i < count; i++) {
      const id = `${prefix}-${String(i).padStart(6, '0')}`;
      const secret = `st_${randomBytes(18).toString('base64url')}`;
      const district = `${prefix}-d${Math.floor(i / perDistrict)}`;
      const ward = `${prefix}-w${i}`;
      if (i % perDistrict === 0) addArea(district, root, 1, `Huyện mô phỏng ${Math.floor(i / perDistrict)}`);
      addArea(ward, district, 2, `Xã mô phỏng ${i}`);
      upsert.run({
        id,
        name: `Đài mô phỏng ${i}`,
        areaId: ward,
        secretHash: hashSecret(secret),
        brokerHash: o.brokerHashes ? brokerHash(secret) : null,
        now,
      });
      place.run(id, ward, now);
      out.push({ id, secret, areaPath: [root, district, ward] });
    }
  })();
  return out;
}

export interface FleetOptions {
  /** One broker, or `urls`. */
  url?: string;
  /** The brokers (a cluster's nodes): each station starts at a random one, moves to the next on a failure. */
  urls?: string[];
  /** Set: the stations speak protocol v2 of this province. */
  province?: string;
  /** A login shared by every station instead of its own (a broker without the controller's credentials). */
  login?: { username: string; password: string };
  stations: SimCredential[];
  /** Worker processes (default 2). */
  procs?: number;
  /** New connections per second, over all workers (default 200). */
  ratePerSec?: number;
  /** Reconnect backoff; the agent's default is 5 s doubling to 120 s. */
  backoff?: { minMs: number; maxMs: number };
  keepaliveSec?: number;
}

/** The workers' counts summed; versions and bulletins as maps. */
export type FleetStats = Omit<WorkerStats, 'type' | 'versions' | 'alerts' | 'rssBytes' | 'cpuMs'> & {
  versions: Map<number, number>;
  alerts: Map<string, { started: number; finished: number }>;
  workerRssBytes: number;
  /** CPU time used by the worker processes (ms). */
  workerCpuMs: number;
};

export interface Fleet {
  stats(): FleetStats;
  /** Stations that have applied at least `version`. */
  appliedAtLeast(version: number): number;
  /** Resolves with the time (ms since call) at which `done` first held, checked on every report. */
  until(done: (s: FleetStats) => boolean, timeoutMs: number, what: string): Promise<number>;
  asRun(perStation: number, batchSize: number): void;
  /** Every station: where it is, where it was, what it reported. */
  report(): Promise<StationsReport['stations']>;
  stop(): Promise<void>;
}

const here = import.meta.dirname;
const root = path.resolve(here, '../..');

export async function startFleet(o: FleetOptions): Promise<Fleet> {
  const procs = Math.max(1, Math.min(o.procs ?? 2, o.stations.length || 1));
  const rate = o.ratePerSec ?? 200;
  const workers: ChildProcess[] = [];
  const latest: (WorkerStats | null)[] = [];
  const listeners = new Set<() => void>();
  const reports: ((r: StationsReport) => void)[] = [];
  const urls = o.urls ?? (o.url ? [o.url] : []);
  if (!urls.length) throw new Error('startFleet: no broker URL');
  for (let w = 0; w < procs; w++) {
    const child = fork(path.join(here, 'worker.ts'), [], {
      cwd: root,
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    latest.push(null);
    child.on('message', (m: WorkerStats | StationsReport) => {
      if (m.type === 'report') {
        reports[w]?.(m);
        return;
      }
      latest[w] = m;
      for (const l of listeners) l();
    });
    workers.push(child);
    const slice = o.stations.filter((_, i) => i % procs === w);
    const start: ToWorker = {
      type: 'start',
      urls,
      ...(o.province === undefined ? {} : { province: o.province }),
      ...(o.login ? { login: o.login } : {}),
      stations: slice,
      ratePerSec: rate / procs,
      backoff: o.backoff ?? { minMs: 5000, maxMs: 120_000 },
      keepaliveSec: o.keepaliveSec ?? 30,
    };
    child.send(start);
  }
  const stats = (): FleetStats => {
    const s: FleetStats = {
      started: 0,
      online: 0,
      versions: new Map(),
      acked: 0,
      pending: 0,
      malformed: 0,
      alerts: new Map(),
      workerRssBytes: 0,
      workerCpuMs: 0,
      nodes: urls.map(() => 0),
      hellos: 0,
      rollCalls: 0,
      asRunSent: 0,
    };
    for (const w of latest) {
      if (!w) continue;
      w.nodes.forEach((n, i) => {
        s.nodes[i] = (s.nodes[i] ?? 0) + n;
      });
      s.hellos += w.hellos;
      s.rollCalls += w.rollCalls;
      s.asRunSent += w.asRunSent;
      s.started += w.started;
      s.online += w.online;
      s.acked += w.acked;
      s.pending += w.pending;
      s.malformed += w.malformed;
      s.workerRssBytes += w.rssBytes;
      s.workerCpuMs += w.cpuMs;
      for (const [id, a] of Object.entries(w.alerts)) {
        const t = s.alerts.get(id) ?? { started: 0, finished: 0 };
        s.alerts.set(id, { started: t.started + a.started, finished: t.finished + a.finished });
      }
      for (const [v, n] of Object.entries(w.versions))
        s.versions.set(Number(v), (s.versions.get(Number(v)) ?? 0) + n);
    }
    return s;
  };
  const appliedAtLeast = (version: number) => {
    let n = 0;
    for (const [v, c] of stats().versions) if (v >= version) n += c;
    return n;
  };
  return {
    stats,
    appliedAtLeast,
    until: (done, timeoutMs, what) => {
      const t0 = performance.now();
      return new Promise<number>((resolve, reject) => {
        const check = () => {
          if (done(stats())) {
            cleanup();
            resolve(performance.now() - t0);
          }
        };
        const timer = setTimeout(() => {
          cleanup();
          const s = stats();
          reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what} (online ${s.online})`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        check();
      });
    },
    asRun: (perStation, batchSize) => {
      for (const w of workers) w.send({ type: 'asrun', perStation, batchSize } satisfies ToWorker);
    },
    report: async () => {
      const parts = await Promise.all(
        workers.map(
          (w, i) =>
            new Promise<StationsReport>((resolve) => {
              reports[i] = resolve;
              w.send({ type: 'report' } satisfies ToWorker);
            }),
        ),
      );
      return parts.flatMap((p) => p.stations);
    },
    stop: async () => {
      await Promise.all(
        workers.map(
          (w) =>
            new Promise<void>((resolve) => {
              if (w.exitCode !== null) return resolve();
              w.once('exit', () => resolve());
              w.send({ type: 'stop' } satisfies ToWorker);
              setTimeout(() => w.kill('SIGKILL'), 10_000).unref();
            }),
        ),
      );
    },
  };
}
