// The broker-auth benchmark's province: its callback served over HTTP from a process of its own, as a
// controller serves it in a deployment, so that the requesters' thread and the server's do not share one
// process's pauses. A child of test/bench/broker-auth.bench.ts (fork, IPC): answers `{ type: 'ready', url }`,
// then to `fresh` (a new callback with an empty cache) `{ type: 'fresh' }`, to `hits` the cache hits so far.
import path from 'node:path';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { Registry } from 'prom-client';
import { createFailureLimiter } from '../../../../common/backoff.ts';
import { silentLogger } from '../../../../common/log.ts';
import { mountBrokerAuth, registerBrokerAuthMetrics } from '../../../../controller/broker-auth/index.ts';
import { openDb } from '../../../../controller/db.ts';
import { benchCallback } from './load.ts';

export type ProvinceMessage = { type: 'fresh' } | { type: 'hits' };
export type ProvinceAnswer =
  | { type: 'ready'; url: string }
  | { type: 'fresh' }
  /** Cache hits so far, and the p99 of the checks since the last `fresh` as this process timed them (ms,
   * from the request's arrival at the app to its answer). */
  | { type: 'hits'; hits: number; serverP99Ms: number };

const [dataDir, token] = process.argv.slice(2) as [string, string];
const db = openDb(path.join(dataDir, 'controller.db'));
const clock = { now: () => new Date() };
const registry = new Registry();
const metrics = registerBrokerAuthMetrics(registry);
let current = benchCallback(db, metrics);
const app = new Hono();
// each check's time inside this process, for the p99 as the server sees it (without the requesters' own delays)
let timings: number[] = [];
app.use('*', async (_c, next) => {
  const t0 = performance.now();
  await next();
  timings.push(performance.now() - t0);
});
const failures = createFailureLimiter(clock, { freeFailures: 5, baseLockMs: 1, maxLockMs: 1, windowMs: 1 });
mountBrokerAuth(app, {
  token,
  auth: { check: (p, q) => current.check(p, q), forget: (id) => current.forget(id) },
  failures,
  log: silentLogger,
});
const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
  const send = (m: ProvinceAnswer) => process.send?.(m);
  send({ type: 'ready', url: `http://127.0.0.1:${info.port}/broker-auth/${token}` });
  process.on('message', async (m: ProvinceMessage) => {
    if (m.type === 'fresh') {
      current = benchCallback(db, metrics);
      timings = [];
      send({ type: 'fresh' });
    } else {
      const v = await registry.getSingleMetric('loa_broker_auth_cache_hits_total')?.get();
      const sorted = [...timings].sort((a, b) => a - b);
      const serverP99Ms = sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))] ?? 0;
      send({ type: 'hits', hits: (v?.values ?? []).reduce((a, x) => a + x.value, 0), serverP99Ms });
    }
  });
});
process.once('disconnect', () => {
  server.close();
  db.close();
  process.exit(0);
});
