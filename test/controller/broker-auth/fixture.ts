// A province's broker-auth callback over a real SQLite file with three stations (root > district > ward),
// mounted on a Hono app as the controller mounts it; `ask` posts a form as RabbitMQ does.
import path from 'node:path';
import { Hono } from 'hono';
import { Registry } from 'prom-client';
import { createFailureLimiter } from '../../../common/backoff.ts';
import type { Clock } from '../../../common/clock.ts';
import { type Logger, silentLogger } from '../../../common/log.ts';
import {
  type BrokerAuth,
  createBrokerAuth,
  mountBrokerAuth,
  type ProvinceRules,
  registerBrokerAuthMetrics,
} from '../../../controller/broker-auth/index.ts';
import { type Db, openDb } from '../../../controller/db.ts';
import { registerStations } from '../../../scripts/sim/fleet.ts';
import type { SimCredential } from '../../../scripts/sim/messages.ts';
import { tempDir } from '../../support/temp.ts';

export const TOKEN = 'tok_0123456789abcdefghijklmnop';
export const CONTROLLER_PASSWORD = 'ctl-password-for-tests';

export interface AuthFixture {
  app: Hono;
  db: Db;
  auth: BrokerAuth;
  registry: Registry;
  stations: SimCredential[];
  ask(path: string, form: Record<string, string>, token?: string): Promise<{ status: number; text: string }>;
  cleanup(): void;
}

export function authFixture(
  o: { rules?: Partial<ProvinceRules>; clock?: Clock; cacheMs?: number; log?: Logger; prefix?: string } = {},
): AuthFixture {
  const tmp = tempDir('broker-auth');
  const db = openDb(path.join(tmp.dir, 'controller.db'));
  const stations = registerStations(db, 3, { prefix: o.prefix ?? 'ct' });
  const clock = o.clock ?? { now: () => new Date() };
  const registry = new Registry();
  const rules: ProvinceRules = {
    province: 'can-tho',
    protocols: ['v1', 'v2'],
    controllerUsername: 'controller@can-tho',
    ...o.rules,
  };
  const auth = createBrokerAuth({
    db,
    clock,
    log: o.log ?? silentLogger,
    rules,
    controllerPassword: CONTROLLER_PASSWORD,
    cacheMs: o.cacheMs ?? 5000,
    metrics: registerBrokerAuthMetrics(registry),
  });
  const app = new Hono();
  const failures = createFailureLimiter(clock, {
    freeFailures: 5,
    baseLockMs: 30_000,
    maxLockMs: 15 * 60_000,
    windowMs: 15 * 60_000,
  });
  mountBrokerAuth(app, { token: TOKEN, auth, failures, log: o.log ?? silentLogger });
  const ask = async (p: string, form: Record<string, string>, token = TOKEN) => {
    const res = await app.request(`/broker-auth/${token}/${p}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    });
    return { status: res.status, text: await res.text() };
  };
  return {
    app,
    db,
    auth,
    registry,
    stations,
    ask,
    cleanup: () => {
      db.close();
      tmp.cleanup();
    },
  };
}
