// The measured phases of the cluster benchmark, on every province at once: a national emergency, the same
// with one node killed under it (who moved, when each was back and reported; as-run sent against stored),
// and the reconnect storm after a restart of every broker (online and in sync through hello).
import { sleep } from '../../../../common/sleep.ts';
import type { Fleet } from '../../../../scripts/sim/fleet.ts';
import { reach } from '../fleet-phases.ts';
import { type Province, startedAt, storeOf } from './provinces.ts';

export interface ProvinceFleet {
  p: Province;
  fleet: Fleet;
}

export interface NationalRun {
  /** The national controller's answer (ms). */
  apiMs: number;
  /** 99% of every province's stations `started` at its controller's store (ms from the call), or null. */
  p99Ms: number | null;
  /** Per province: the bulletin made there (ms from the call), 99% at its store, and by the stations' own
   * `started` times. */
  provinces: {
    id: string;
    madeMs: number | null;
    p99Ms: number | null;
    sentP99Ms: number | null;
    reached: number;
  }[];
  /** The bulletin's id at each province. */
  ids: Record<string, string>;
}

/** The bulletin at the province's store that is not one of `seen` (the one the national level made). */
const newBulletin = (p: Province, seen: string[]) =>
  (
    storeOf(p)
      .prepare('SELECT id FROM alerts WHERE id NOT IN (SELECT value FROM json_each(?)) LIMIT 1')
      .get(JSON.stringify(seen)) as { id: string } | undefined
  )?.id ?? null;

/**
 * A national emergency: `POST /api/national/bulletins` at the national controller, which sends it to every
 * province through its outbox (controller/national/), timed until 99% of each province's stations are
 * `started` at that province's store, counted by SQL every 50 ms.
 */
export async function nationalEmergency(
  all: ProvinceFleet[],
  send: () => Promise<string>,
  limitMs: number,
  during?: (t0: number) => void,
): Promise<NationalRun> {
  const seen = all.map(({ p }) => storeOf(p).prepare('SELECT id FROM alerts').pluck().all() as string[]);
  const t0 = performance.now();
  const wall0 = Date.now();
  during?.(t0);
  await send();
  const apiMs = performance.now() - t0;
  const ids: Record<string, string> = {};
  const provinces = await Promise.all(
    all.map(async ({ p }, i) => {
      const before = seen[i] as string[];
      const made = await reach(() => (newBulletin(p, before) ? 1 : 0), 1, limitMs, [], t0);
      const id = newBulletin(p, before);
      if (made.ms === null || !id)
        return { id: p.id, madeMs: null, p99Ms: null, sentP99Ms: null, reached: 0 };
      ids[p.id] = id;
      const n = p.stations.length;
      const p99 = Math.ceil(n * 0.99);
      const r = await reach(() => startedAt(p, id), p99, limitMs, [], t0);
      const times = storeOf(p)
        .prepare(
          'SELECT started_at AS t FROM alert_stations WHERE alert_id = ? AND started_at IS NOT NULL ORDER BY t',
        )
        .all(id) as { t: string }[];
      const t99 = times[p99 - 1]?.t;
      return {
        id: p.id,
        madeMs: made.ms,
        p99Ms: r.ms,
        sentP99Ms: t99 ? Date.parse(t99) - wall0 : null,
        reached: r.last,
      };
    }),
  );
  const worst = provinces.map((x) => x.p99Ms);
  return { apiMs, p99Ms: worst.includes(null) ? null : Math.max(...(worst as number[])), provinces, ids };
}

export interface KillRun {
  run: NationalRun;
  killedAtMs: number;
  /** Stations online on the killed node just before it went. */
  onNode: number;
  /** Of those: back on another node, and back with the bulletin's state reported at their store (ms from the kill). */
  movedP100Ms: number | null;
  reportedP100Ms: number | null;
  moved: number;
  reported: number;
  /** `pending`: not acknowledged when the wait ended, still in the stations' outboxes (sent again later). */
  asRun: { sent: number; stored: number; distinct: number; acked: number; pending?: number };
}

/**
 * The national emergency with node `node` SIGKILLed `afterMs` after the call, as-run records in flight
 * (`perStation` each, sent with the call). Which stations were on it, when each was back on another node,
 * and when its bulletin state was at its controller; then every as-run record sent against those stored.
 */
export async function emergencyWithKill(
  all: ProvinceFleet[],
  send: () => Promise<string>,
  kill: () => Promise<void>,
  node: number,
  o: { afterMs: number; limitMs: number; perStation: number },
): Promise<KillRun> {
  const sent0 = all.map(({ fleet }) => fleet.stats().asRunSent);
  const plays = (p: Province) =>
    storeOf(p).prepare('SELECT COUNT(*) AS c, COUNT(DISTINCT id) AS d FROM plays').get() as {
      c: number;
      d: number;
    };
  const before = all.map(({ p }) => plays(p));
  let killedAt = 0;
  let onNode = new Set<string>();
  const killing = new Promise<void>((resolve, reject) => {
    void nationalEmergency(all, send, o.limitMs, (t0) => {
      for (const { fleet } of all) fleet.asRun(o.perStation, o.perStation);
      setTimeout(
        async () => {
          try {
            const reports = (await Promise.all(all.map(({ fleet }) => fleet.report()))).flat();
            onNode = new Set(reports.filter((s) => s.online && s.node === node).map((s) => s.id));
            killedAt = Date.now();
            await kill();
            resolve();
          } catch (e) {
            reject(e);
          }
        },
        Math.max(0, o.afterMs - (performance.now() - t0)),
      );
    }).then((r) => {
      run = r;
    }, reject);
  });
  let run: NationalRun | null = null;
  await killing;
  const tKill = performance.now();
  // Back on another node, and its state (started or finished) at its controller's store.
  const movedOf = async () =>
    (await Promise.all(all.map(({ fleet }) => fleet.report())))
      .flat()
      .filter(
        (s) => onNode.has(s.id) && s.online && s.moves.some((m) => m.at >= killedAt && m.node !== node),
      );
  let movedMs: number | null = null;
  let moved = 0;
  let reported = 0;
  let reportedMs: number | null = null;
  const stationIds = [...onNode];
  while (performance.now() - tKill < o.limitMs) {
    const m = await movedOf();
    moved = m.length;
    if (movedMs === null && moved >= onNode.size) movedMs = performance.now() - tKill;
    if (run) {
      const r = run as NationalRun;
      reported = all.reduce((sum, { p }) => {
        const ids = stationIds.filter((id) => p.stations.some((s) => s.id === id));
        const q = storeOf(p).prepare(
          `SELECT COUNT(*) AS c FROM alert_stations WHERE alert_id = ? AND state IN ('started', 'finished')
           AND station_id IN (SELECT value FROM json_each(?))`,
        );
        return sum + ((q.get(r.ids[p.id], JSON.stringify(ids)) as { c: number } | undefined)?.c ?? 0);
      }, 0);
      if (reported >= onNode.size && movedMs !== null) {
        reportedMs = performance.now() - tKill;
        break;
      }
    }
    await sleep(250);
  }
  while (!run && performance.now() - tKill < o.limitMs) await sleep(100);
  // Every as-run record acknowledged (or the limit): then sent against stored.
  const sent = all.reduce((s, { fleet }, i) => s + fleet.stats().asRunSent - (sent0[i] as number), 0);
  await reach(() => (all.reduce((s, { fleet }) => s + fleet.stats().pending, 0) === 0 ? 1 : 0), 1, 30_000);
  const after = all.map(({ p }) => plays(p));
  return {
    run: run ?? { apiMs: 0, p99Ms: null, provinces: [], ids: {} },
    killedAtMs: killedAt,
    onNode: onNode.size,
    movedP100Ms: movedMs,
    reportedP100Ms: reportedMs,
    moved,
    reported,
    asRun: {
      sent,
      stored: after.reduce((s, a, i) => s + a.c - (before[i]?.c ?? 0), 0),
      distinct: after.reduce((s, a, i) => s + a.d - (before[i]?.d ?? 0), 0),
      acked: all.reduce((s, { fleet }) => s + fleet.stats().acked, 0),
      pending: all.reduce((s, { fleet }) => s + fleet.stats().pending, 0),
    },
  };
}

/** One change for every station of a province through its API (a city-wide quiet window): a new version. */
export async function touchProvince(p: Province): Promise<void> {
  const res = await fetch(`${p.api}/api/quiet-windows`, {
    method: 'POST',
    headers: { authorization: `Bearer ${p.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      weekdays: [1, 2, 3, 4, 5, 6, 7],
      startTime: '09:00',
      endTime: '10:00',
      startDate: '2026-01-01',
      endDate: '2099-12-31',
      reason: 'online-class',
      target: { scope: 'city' },
    }),
  });
  if (res.status !== 201)
    throw new Error(`${p.id} POST /api/quiet-windows: ${res.status} ${await res.text()}`);
}

/** The current desired version of the province's stations (the lowest). */
export const provinceVersion = (p: Province) =>
  (storeOf(p).prepare('SELECT MIN(desired_version) AS v FROM stations').get() as { v: number }).v;
