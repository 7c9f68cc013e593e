// The measured phases of the fleet benchmark, each bounded in time so that a broker that falls behind
// still gives what it reached: connect, desired-state fan-out, emergency bulletin, as-run ingest, storm.

import { sleep } from '../../../common/sleep.ts';
import { hashSecret } from '../../../controller/users/secrets.ts';
import type { SimController } from '../../../scripts/sim/controller.ts';
import { controllerView } from '../../../scripts/sim/controller.ts';
import type { Fleet } from '../../../scripts/sim/fleet.ts';

/** Counts at given seconds of a bounded wait: [second, count]. */
export type Marks = [number, number][];

/**
 * Polls `count` every 50 ms until it reaches `target` or `limitMs` (from `t0`, a performance.now() instant)
 * has passed; notes the count at each mark (seconds). Answers the time since t0 (ms) or null, and the marks.
 */
export async function reach(
  count: () => number,
  target: number,
  limitMs: number,
  marksSec: number[] = [],
  t0 = performance.now(),
): Promise<{ ms: number | null; marks: Marks; last: number }> {
  const marks: Marks = [];
  let next = 0;
  for (;;) {
    const c = count();
    const elapsed = performance.now() - t0;
    while (next < marksSec.length && elapsed >= (marksSec[next] as number) * 1000) {
      marks.push([marksSec[next] as number, c]);
      next++;
    }
    if (c >= target) return { ms: elapsed, marks, last: c };
    if (elapsed >= limitMs) return { ms: null, marks, last: c };
    await sleep(50);
  }
}

export const currentVersion = (ctl: SimController) =>
  (ctl.db.prepare('SELECT MIN(desired_version) AS v FROM stations').get() as { v: number }).v;

let qwSeq = 0;
/** One change that touches every station: a city-wide quiet window, as POST /api/quiet-windows stores it. */
export function touchAll(ctl: SimController): void {
  const id = `bench-qw-${++qwSeq}`;
  const body = {
    id,
    weekdays: [1, 2, 3, 4, 5, 6, 7],
    startTime: '09:00',
    endTime: '10:00',
    startDate: '2026-01-01',
    endDate: '2099-12-31',
    reason: 'online-class',
    note: '',
    target: { scope: 'city' },
  };
  ctl.db
    .prepare('INSERT INTO quiet_windows (id, body, created_at) VALUES (?, ?, ?)')
    .run(id, JSON.stringify(body), new Date().toISOString());
  ctl.desired.sync();
}

/**
 * Fan-out: one change for all; until every station online has applied it, and the controller heard so.
 * syncMs: the controller's own part, `desired.sync()` (rebuild, hash, hand every state to the broker).
 */
export async function fanOut(
  ctl: SimController,
  fleet: Fleet,
  population: number,
): Promise<{ ms: number | null; ctlMs: number | null; reached: number; syncMs: number }> {
  const t0 = performance.now();
  touchAll(ctl);
  const syncMs = performance.now() - t0;
  const v = currentVersion(ctl);
  const applied = await reach(() => fleet.appliedAtLeast(v), population, 60_000, [], t0);
  const seen = await reach(() => controllerView(ctl.db, '0').inSync, population, 60_000, [], t0);
  return { ms: applied.ms, ctlMs: seen.ms, reached: applied.last, syncMs };
}

/** An approved clip the bulletins play (a row only: simulated stations do not download it). */
export function benchClip(ctl: SimController, durationMs: number): string {
  const id = 'bench-alert-clip';
  ctl.db
    .prepare(
      `INSERT OR IGNORE INTO clips (id, title, original_name, source_format, sha256, bytes, duration_ms, created_at, status)
       VALUES (?, 'Cảnh báo', 'alarm.opus', 'opus', ?, 40000, ?, ?, 'approved')`,
    )
    .run(id, hashSecret(id), durationMs, new Date().toISOString());
  return id;
}

export async function apiToken(api: string, password: string): Promise<string> {
  const r = await fetch(`${api}/api/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password }),
  });
  if (!r.ok) throw new Error(`sign-in: ${r.status}`);
  return ((await r.json()) as { token: string }).token;
}

export interface EmergencyRun {
  /** POST /api/alerts answered (ms). */
  apiMs: number;
  /** The controller's store shows 99% / 100% of the N target stations started (or finished): ms or null. */
  p99Ms: number | null;
  allMs: number | null;
  /** When 99% of the target stations had reported `started`, by the `at` of their own reports: ms or null. */
  sentP99Ms: number | null;
  /** Started in the store when the wait ended. */
  reached: number;
}

/**
 * An emergency bulletin to the whole city through POST /api/alerts; timed from just before the call until
 * the controller's store (alert_stations, what GET /api/alerts/:id reads) shows 99% and then 100% of the
 * target stations `started`. Counted by SQL in this process every 50 ms, not through HTTP.
 */
export async function emergency(
  ctl: SimController,
  fleet: Fleet,
  token: string,
  clipId: string,
  n: number,
  limitMs: number,
): Promise<EmergencyRun> {
  const count = ctl.db.prepare(
    `SELECT COUNT(*) AS c FROM alert_stations WHERE alert_id = ? AND state IN ('started', 'finished')`,
  );
  const t0 = performance.now();
  const wall0 = Date.now();
  const res = await fetch(`${ctl.api}/api/alerts`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      level: 'emergency',
      title: 'Cảnh báo khẩn cấp (benchmark)',
      reason: 'benchmark of the emergency path',
      clipId,
      targets: [{ scope: 'city' }],
      ignoreQuietWindows: true,
    }),
  });
  const apiMs = performance.now() - t0;
  const body = (await res.json()) as { id?: string; message?: string };
  if (res.status !== 201 || !body.id) throw new Error(`POST /api/alerts: ${res.status} ${body.message}`);
  const id = body.id;
  const started = () => (count.get(id) as { c: number }).c;
  const p99 = Math.ceil(n * 0.99);
  const first = await reach(started, p99, limitMs, [], t0);
  const all = first.ms === null ? first : await reach(started, n, limitMs, [], t0);
  // The stations' own times of `started` (same machine, same clock): the 99th percentile of the N.
  const times = ctl.db
    .prepare(
      'SELECT started_at AS t FROM alert_stations WHERE alert_id = ? AND started_at IS NOT NULL ORDER BY t',
    )
    .all(id) as { t: string }[];
  const t99 = times[p99 - 1]?.t;
  const sentP99Ms = t99 ? Date.parse(t99) - wall0 : null;
  // Let the simulated clips finish (statuses `finished`) before the next run.
  await reach(() => fleet.stats().alerts.get(id)?.finished ?? 0, fleet.stats().online, 15_000);
  return { apiMs, p99Ms: first.ms, allMs: all.ms, sentP99Ms, reached: started() };
}
