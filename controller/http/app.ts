// The controller's HTTP app: every route table in one list, the limits on /api, the console, and the
// one place errors become answers.
import { type Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { createFailureLimiter } from '../../common/backoff.ts';
import { createRequestLimiter } from '../../common/rate-limit.ts';
import { capFeedRoutes } from '../alerts/cap-feed/routes.ts';
import { alertRoutes } from '../alerts/routes.ts';
import { areaRoutes } from '../areas/routes.ts';
import { backupRoutes } from '../backup/routes.ts';
import { type BrokerAuth, mountBrokerAuth } from '../broker-auth/index.ts';
import { campaignRoutes } from '../campaigns/routes.ts';
import { clipReviewRoutes, clipRoutes } from '../clips/routes.ts';
import { mountConsole } from '../console/index.tsx';
import type { ControllerDeps } from '../deps.ts';
import { liveRoutes } from '../live/routes.ts';
import { mobileRoutes } from '../mobile/routes.ts';
import { idempotentPosts } from '../national/idempotency.ts';
import { nationalRoutes } from '../national/routes.ts';
import { overrideRoutes } from '../overrides/routes.ts';
import { playRoutes, reportRoutes } from '../plays/routes.ts';
import { policyRoutes } from '../policies/routes.ts';
import { provinceRoutes } from '../province/routes.ts';
import { quietWindowCopyRoutes, quietWindowRoutes, slotRoutes } from '../rules/routes.ts';
import { whatIfRoutes } from '../rules/what-if/routes.ts';
import { signingRoutes } from '../signing/routes.ts';
import { stationRoutes } from '../stations/routes.ts';
import { streamRoutes } from '../stream/routes.ts';
import { userRoutes } from '../users/routes.ts';
import { auditRoutes } from './audit.ts';
import { fromSqlite, HttpError, refusalBody } from './errors.ts';
import { type AppExtras, metaRoutes } from './meta.ts';
import { mountRoutes } from './mount.ts';
import { clientAddress } from './ratelimit.ts';
import type { AnyRoute } from './route.ts';

/** `brokerAuth`: RabbitMQ's auth callback, served at /broker-auth/<BROKER_AUTH_TOKEN>/… when both are set. */
export function createApp(
  deps: ControllerDeps,
  extras: AppExtras & { brokerAuth?: BrokerAuth | null },
): Hono {
  const { db, clock, config, log } = deps;
  const app = new Hono();

  // Failed sign-ins and enrolments: 5 free, then a lock from 30 s doubling up to 15 min.
  const backoff = { freeFailures: 5, baseLockMs: 30_000, maxLockMs: 15 * 60_000, windowMs: 15 * 60_000 };
  const logins = createFailureLimiter(clock, backoff);
  const enrolments = createFailureLimiter(clock, backoff);
  const requests = createRequestLimiter(clock, config.apiRatePerSec, config.apiRatePerSec * 10);

  // A national controller holds no stations: only its own routes (docs/national.md); the others answer 404.
  const national = config.role === 'national' && deps.national ? deps.national : null;
  const routes: AnyRoute[] = national
    ? [
        ...userRoutes(deps, logins),
        ...nationalRoutes(deps, national),
        ...auditRoutes(db),
        ...metaRoutes(deps, extras, () => routes),
      ]
    : [
        ...userRoutes(deps, logins),
        ...stationRoutes(deps, enrolments),
        ...signingRoutes(deps),
        ...areaRoutes(deps),
        ...mobileRoutes(deps),
        ...clipRoutes(deps),
        ...clipReviewRoutes(deps),
        ...campaignRoutes(deps),
        ...slotRoutes(deps),
        ...quietWindowRoutes(deps),
        ...quietWindowCopyRoutes(deps),
        ...whatIfRoutes(deps),
        ...playRoutes(deps),
        ...reportRoutes(deps),
        ...policyRoutes(deps),
        // before /api/alerts/:id, which would take "feeds" for an id
        ...capFeedRoutes(deps),
        ...alertRoutes(deps),
        ...provinceRoutes(deps),
        ...liveRoutes(deps),
        ...overrideRoutes(deps),
        ...auditRoutes(db),
        ...backupRoutes(deps),
        ...streamRoutes(deps),
        ...metaRoutes(deps, extras, () => routes),
      ];

  app.use('/api/*', async (c, next) => {
    // Icecast asks once per station listening, all from its one address: the route checks its token first
    if (c.req.path === '/api/stream/listener') return next();
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
  // Clip uploads stream to disk and count their own bytes (common/upload.ts): this
  // middleware would hold a chunked (no Content-Length) body whole in memory.
  app.use('/api/*', (c, next) =>
    c.req.method === 'POST' && c.req.path === '/api/clips' ? next() : limitBody(c, next),
  );

  // a retried POST with the same Idempotency-Key answers the first success (national/idempotency.ts)
  app.use(
    '/api/*',
    idempotentPosts(db, () => clock.now()),
  );
  mountRoutes(app, routes, db, () => clock.now());
  mountConsole(app, config);
  const brokerToken = config.brokerAuth.token;
  if (brokerToken && extras.brokerAuth)
    mountBrokerAuth(app, {
      token: brokerToken,
      auth: extras.brokerAuth,
      failures: createFailureLimiter(clock, backoff),
      log,
    });

  const refuse = (c: Context, e: HttpError) => {
    const { body, redacted } = refusalBody(e);
    // the guard of last resort: whatever produced the text should be fixed to say it plainly
    if (redacted) log.warn(`${c.req.method} ${c.req.path}: redacted from the answer: ${e.message}`);
    return c.json(body, e.status);
  };
  app.notFound((c) =>
    refuse(
      c,
      new HttpError(
        404,
        'not_found',
        national
          ? [
              `no route ${c.req.method} ${c.req.path}: this controller is national and holds no stations, areas, slots or timetables`,
              'Đây là máy chủ điều hành cấp quốc gia: không quản lý đài, địa bàn, khung giờ phát hay lịch phát.',
            ]
          : `no route ${c.req.method} ${c.req.path}`,
      ),
    ),
  );
  app.onError((err, c) => {
    if (err instanceof HttpError) return refuse(c, err);
    const sqlite = fromSqlite(err);
    if (sqlite) log.warn(`${c.req.method} ${c.req.path}: ${err.message}`);
    else log.error(`${c.req.method} ${c.req.path}: ${err.stack ?? err.message}`);
    return sqlite ? refuse(c, sqlite) : c.json({ error: 'internal', message: 'internal error' }, 500);
  });
  return app;
}
