// The controller's HTTP app: health, metrics, auth, the /api route table and its OpenAPI document.
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { alertRoutes } from './alerts.ts';
import { auditRoutes } from './audit.ts';
import { campaignRoutes } from './campaigns.ts';
import { clipRoutes } from './clips.ts';
import { mountConsole } from './console/index.tsx';
import { credentialRoutes } from './credentials.ts';
import type { ControllerDeps } from './deps.ts';
import { HttpError } from './errors.ts';
import { overrideRoutes } from './overrides.ts';
import { playRoutes } from './plays.ts';
import { policyRoutes } from './policies.ts';
import { quietCopyRoutes } from './quiet-copy.ts';
import { clientAddress, createFailureLimiter, createRequestLimiter } from './ratelimit.ts';
import { reportRoutes } from './reports.ts';
import { type AnyRoute, defineRoute, mountRoutes, openApiDocument } from './routes.ts';
import { stationImportRoutes } from './station-import.ts';
import { stationRoutes } from './stations.ts';
import { userRoutes } from './users.ts';

export const API_VERSION = '0.1.0';

export interface AppExtras {
  /** Whether the controller's MQTT link is up, for /healthz. */
  mqttConnected(): boolean;
}

export function createApp(deps: ControllerDeps, extras: AppExtras): Hono {
  const { db, clock, config, log } = deps;
  const app = new Hono();

  // Failed sign-ins and enrolments: 5 free, then a lock from 30 s doubling up to 15 min.
  const backoff = { freeFailures: 5, baseLockMs: 30_000, maxLockMs: 15 * 60_000, windowMs: 15 * 60_000 };
  const logins = createFailureLimiter(clock, backoff);
  const enrolments = createFailureLimiter(clock, backoff);
  const requests = createRequestLimiter(clock, config.apiRatePerSec, config.apiRatePerSec * 10);

  const routes: AnyRoute[] = [
    ...userRoutes(deps, logins),
    ...credentialRoutes(deps, enrolments),
    ...stationRoutes(deps),
    ...clipRoutes(deps),
    ...campaignRoutes(deps),
    ...playRoutes(deps),
    ...reportRoutes(deps),
    ...policyRoutes(deps),
    ...quietCopyRoutes(deps),
    ...stationImportRoutes(deps),
    ...alertRoutes(deps),
    ...overrideRoutes(deps),
    ...auditRoutes(db),
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

  app.use('/api/*', async (c, next) => {
    if (!requests.take(clientAddress(c))) {
      c.header('retry-after', '1');
      return c.json(
        { error: 'rate_limited', message: 'too many requests from this address; slow down' },
        429,
      );
    }
    await next();
  });
  const limitBody = bodyLimit({
    maxSize: config.maxUploadBytes,
    onError: (c) =>
      c.json({ error: 'too_large', message: `request body over ${config.maxUploadBytes} bytes` }, 413),
  });
  // Clip uploads stream to disk and count their own bytes (controller/clips/upload.ts): this
  // middleware would hold a chunked (no Content-Length) body whole in memory.
  app.use('/api/*', (c, next) =>
    c.req.method === 'POST' && c.req.path === '/api/clips' ? next() : limitBody(c, next),
  );

  app.get('/healthz', (c) => {
    const checks = { database: dbOk(deps), mqtt: extras.mqttConnected() };
    const ok = Object.values(checks).every(Boolean);
    return c.json({ status: ok ? 'ok' : 'degraded', checks }, ok ? 200 : 503);
  });
  app.get('/metrics', (c) => c.text(metrics(deps), 200, { 'content-type': 'text/plain; version=0.0.4' }));

  mountRoutes(app, routes, db, () => clock.now());
  mountConsole(app, config);

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

function metrics({ db, clock }: ControllerDeps): string {
  const one = (sql: string, ...args: string[]) => (db.prepare(sql).get(...args) as { n: number }).n;
  const now = clock.now().toISOString();
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
    '# HELP loa_alerts_active Bulletins neither cancelled nor expired.',
    '# TYPE loa_alerts_active gauge',
    `loa_alerts_active ${one('SELECT COUNT(*) AS n FROM alerts WHERE cancelled_at IS NULL AND expires_at > ?', now)}`,
    '# HELP loa_overrides_active Local overrides reported by stations, not ended and not cancelled.',
    '# TYPE loa_overrides_active gauge',
    `loa_overrides_active ${one('SELECT COUNT(*) AS n FROM overrides WHERE cancelled_at IS NULL AND ends_at > ?', now)}`,
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
