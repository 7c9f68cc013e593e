// The broker-auth router on its own: `npx tsx controller/broker-auth/serve.ts` with BROKER_AUTH_TOKEN,
// BROKER_AUTH_PROVINCES_FILE (and BROKER_AUTH_CACHE_MS, BROKER_AUTH_PORT, BROKER_AUTH_HOST,
// BROKER_AUTH_TIMEOUT_MS) answers RabbitMQ's checks for every province of the file, with /metrics.
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { Registry } from 'prom-client';
import { createFailureLimiter } from '../../common/backoff.ts';
import { type Clock, systemClock } from '../../common/clock.ts';
import { createLogger, errorMessage, type Logger } from '../../common/log.ts';
import { registerBrokerAuthMetrics } from './metrics.ts';
import { createBrokerAuthRouter } from './router.ts';
import { mountBrokerAuth } from './routes.ts';
import { brokerAuthSettingsOf, type ProvinceRoute } from './settings.ts';

export interface RouterServerOptions {
  token: string;
  provinces: readonly ProvinceRoute[];
  cacheMs: number;
  timeoutMs?: number;
  host?: string;
  /** 0: any free port */
  port?: number;
  clock?: Clock;
  log: Logger;
}

export interface RouterServer {
  port: number;
  /** `http://host:port/broker-auth/<token>`: RabbitMQ's auth_http paths are this and /user, /vhost... */
  url: string;
  close(): Promise<void>;
}

/** Serves the router on host:port until closed. */
export async function startBrokerAuthRouter(o: RouterServerOptions): Promise<RouterServer> {
  const clock = o.clock ?? systemClock;
  const registry = new Registry();
  const metrics = registerBrokerAuthMetrics(registry);
  const auth = createBrokerAuthRouter({ ...o, clock, metrics });
  const app = new Hono();
  const failures = createFailureLimiter(clock, {
    freeFailures: 5,
    baseLockMs: 30_000,
    maxLockMs: 15 * 60_000,
    windowMs: 15 * 60_000,
  });
  mountBrokerAuth(app, { token: o.token, auth, failures, log: o.log });
  app.get('/metrics', async (c) =>
    c.text(await registry.metrics(), 200, { 'content-type': registry.contentType }),
  );
  app.notFound((c) => c.text('not found', 404));
  const host = o.host ?? '127.0.0.1';
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port: o.port ?? 0, hostname: host }, () => resolve(s));
  });
  const port = (server.address() as AddressInfo).port;
  o.log.info(
    `broker-auth router on http://${host}:${port} for ${o.provinces.map((p) => p.province).join(', ')}`,
  );
  return {
    port,
    url: `http://${host}:${port}/broker-auth/${o.token}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function portOf(text: string | undefined): number {
  const port = Number(text ?? 8090);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`invalid environment:\n  BROKER_AUTH_PORT: a port number, not '${text}'`);
  return port;
}

async function main(): Promise<void> {
  const log = createLogger('broker-auth', systemClock, 'text');
  const settings = brokerAuthSettingsOf(process.env);
  if (!settings.token || !settings.provinces)
    throw new Error('set BROKER_AUTH_TOKEN and BROKER_AUTH_PROVINCES_FILE (docs/national-deployment.md)');
  const server = await startBrokerAuthRouter({
    token: settings.token,
    provinces: settings.provinces,
    cacheMs: settings.cacheMs,
    timeoutMs: settings.timeoutMs,
    host: process.env.BROKER_AUTH_HOST ?? '127.0.0.1',
    port: portOf(process.env.BROKER_AUTH_PORT),
    log,
  });
  const stop = () => void server.close().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href)
  main().catch((e) => {
    console.error(errorMessage(e));
    process.exit(1);
  });
