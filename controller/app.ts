// The controller's HTTP app: health, metrics, auth, the /api route table and its OpenAPI document.
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';
import { issueToken } from './auth.ts';
import { campaignRoutes } from './campaigns.ts';
import { clipRoutes } from './clips.ts';
import type { ControllerDeps } from './deps.ts';
import { HttpError, unauthorized } from './errors.ts';
import { playRoutes } from './plays.ts';
import { type AnyRoute, defineRoute, mountRoutes, openApiDocument } from './routes.ts';
import { stationRoutes } from './stations.ts';

export const API_VERSION = '0.1.0';

const Login = z.strictObject({ username: z.string().min(1).max(100), password: z.string().min(1).max(200) });

export interface AppExtras {
  /** Whether the controller's MQTT link is up, for /healthz. */
  mqttConnected(): boolean;
}

export function createApp(deps: ControllerDeps, extras: AppExtras): Hono {
  const { db, clock, config, log } = deps;
  const app = new Hono();

  const routes: AnyRoute[] = [
    defineRoute({
      method: 'post',
      path: '/api/auth/token',
      tag: 'auth',
      summary: 'Exchange a username and password for a bearer token',
      access: 'public',
      body: Login,
      handle: async ({ body }) => {
        const t = await issueToken(db, body.username, body.password, clock.now(), config.tokenTtlMs);
        if (!t) throw unauthorized('wrong username or password');
        return { json: t };
      },
    }),
    ...stationRoutes(deps),
    ...clipRoutes(deps),
    ...campaignRoutes(deps),
    ...playRoutes(deps),
  ];
  routes.push(
    defineRoute({
      method: 'get',
      path: '/api/openapi.json',
      tag: 'meta',
      summary: 'This document',
      access: 'public',
      handle: () => ({ json: openApiDocument(routes, API_VERSION) }),
    }),
  );

  app.use(
    '/api/*',
    bodyLimit({
      maxSize: config.maxUploadBytes,
      onError: (c) =>
        c.json({ error: 'too_large', message: `request body over ${config.maxUploadBytes} bytes` }, 413),
    }),
  );

  app.get('/healthz', (c) => {
    const checks = { database: dbOk(deps), mqtt: extras.mqttConnected() };
    const ok = Object.values(checks).every(Boolean);
    return c.json({ status: ok ? 'ok' : 'degraded', checks }, ok ? 200 : 503);
  });
  app.get('/metrics', (c) => c.text(metrics(deps), 200, { 'content-type': 'text/plain; version=0.0.4' }));

  mountRoutes(app, routes, db, () => clock.now());

  app.notFound((c) => c.json({ error: 'not_found', message: `no route ${c.req.method} ${c.req.path}` }, 404));
  app.onError((err, c) => {
    if (err instanceof HttpError) {
      return c.json({ error: err.code, message: err.message, details: err.details }, err.status);
    }
    log.error(`${c.req.method} ${c.req.path}: ${err.stack ?? err.message}`);
    return c.json({ error: 'internal', message: 'internal error' }, 500);
  });
  return app;
}

function dbOk({ db }: ControllerDeps): boolean {
  try {
    db.prepare('SELECT 1').get();
    return true;
  } catch {
    return false;
  }
}

function metrics({ db }: ControllerDeps): string {
  const one = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
  const lines = [
    '# HELP loa_stations Registered stations.',
    '# TYPE loa_stations gauge',
    `loa_stations ${one('SELECT COUNT(*) AS n FROM stations')}`,
    '# HELP loa_stations_online Stations whose last presence message said online.',
    '# TYPE loa_stations_online gauge',
    `loa_stations_online ${one('SELECT COUNT(*) AS n FROM stations WHERE online = 1')}`,
    '# HELP loa_clips Stored clips.',
    '# TYPE loa_clips gauge',
    `loa_clips ${one('SELECT COUNT(*) AS n FROM clips')}`,
    '# HELP loa_plays_total As-run records received, by outcome.',
    '# TYPE loa_plays_total counter',
  ];
  const byOutcome = db.prepare('SELECT outcome, COUNT(*) AS n FROM plays GROUP BY outcome').all() as {
    outcome: string;
    n: number;
  }[];
  for (const r of byOutcome) lines.push(`loa_plays_total{outcome="${r.outcome}"} ${r.n}`);
  return `${lines.join('\n')}\n`;
}
