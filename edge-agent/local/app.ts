// The station's local HTTP app for ward staff: public status, PIN sign-in, the API and the page.
import { type Context, type Env, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { z } from 'zod';
import type { AgentStatus } from '../status.ts';
import { jsonBody, type LocalEnv, mountApi } from './api.ts';
import {
  createPinLimiter,
  createSessions,
  csrfMatches,
  MAX_PIN_LENGTH,
  parsePinHash,
  verifyPin,
} from './auth.ts';
import { createLocalClips, type LocalClips } from './clips.ts';
import { fromAgentError, LocalError } from './errors.ts';
import { mountForms } from './forms.tsx';
import { type Lang, langOf } from './page/i18n.ts';
import { renderPage } from './page/page.tsx';
import { createStationSpeech } from './speech.ts';
import type { LocalDeps } from './types.ts';

export const SESSION_COOKIE = 'loa_local';
const LANG_COOKIE = 'loa_lang';
const DEFAULT_TTL_MS = 12 * 3_600_000;

const SignIn = z
  .object({
    pin: z.string().min(1, 'give the PIN').max(MAX_PIN_LENGTH),
    name: z.string().trim().min(1, 'give your name').max(100, 'at most 100 characters'),
  })
  .strict();

/** The peer address of a request served by @hono/node-server; 'local' for in-process requests. */
export function clientAddress(c: Context): string {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress ?? 'local';
}

/** The public, read-only status: `GET /api/status` and `GET /healthz`. */
export function mountStatus<E extends Env>(app: Hono<E>, deps: { status(): AgentStatus }): void {
  app.get('/api/status', (c) => c.json(deps.status()));
  app.get('/healthz', (c) => c.text('ok'));
}

export function createStatusApp(deps: { status(): AgentStatus }): Hono {
  const app = new Hono();
  mountStatus(app, deps);
  return app;
}

export interface LocalApp {
  app: Hono<LocalEnv>;
  clips: LocalClips;
}

export function createLocalApp(deps: LocalDeps): LocalApp {
  const { config, clock, log } = deps;
  const app = new Hono<LocalEnv>();
  const ttlMs = deps.sessionTtlMs ?? DEFAULT_TTL_MS;
  const sessions = createSessions(clock, ttlMs);
  const failures = createPinLimiter(clock);
  const clips = createLocalClips(deps);
  const speech = createStationSpeech(deps, clips);
  const lang = (c: Context): Lang => langOf(c.req.query('lang'), getCookie(c, LANG_COOKIE));
  const pinHash = config.localPinHash && parsePinHash(config.localPinHash) ? config.localPinHash : null;
  if (config.localPinHash && !pinHash)
    log.error('local page: localPinHash is not a hash written by npm run agent-pin; the page is read-only');

  app.onError((err, c) => {
    const refusal = fromAgentError(err);
    if (refusal)
      return c.json(
        {
          error: refusal.code,
          message: refusal.say(lang(c)),
          ...(refusal.words ? { words: refusal.words } : {}),
        },
        refusal.status,
      );
    log.error(`local page: ${c.req.method} ${c.req.path}: ${err instanceof Error ? err.stack : String(err)}`);
    return c.json({ error: 'internal', message: 'internal error; see the agent log' }, 500);
  });
  app.notFound((c) =>
    c.req.path.startsWith('/api/')
      ? c.json({ error: 'not_found', message: `no route ${c.req.method} ${c.req.path}` }, 404)
      : c.text('not found', 404),
  );

  app.use('*', async (c, next) => {
    c.set('https', new URL(c.req.url).protocol === 'https:');
    c.set('session', sessions.get(getCookie(c, SESSION_COOKIE)));
    c.header('x-content-type-options', 'nosniff');
    c.header('referrer-policy', 'no-referrer');
    c.header('x-frame-options', 'DENY');
    await next();
  });

  // Public, read-only.
  mountStatus(app, deps.agent);

  const limitJson = bodyLimit({
    maxSize: 64 * 1024,
    onError: () => {
      throw new LocalError(413, 'too_large', 'request body larger than 64 KB');
    },
  });

  app.post('/api/session', limitJson, async (c) => {
    if (!pinHash)
      throw new LocalError(
        403,
        'no_pin',
        'no PIN is set for this station, so its page is read-only; on the station run: npm run agent-pin -- --config FILE',
      );
    const address = clientAddress(c);
    const wait = failures.retryAfterMs(address);
    if (wait > 0) {
      const seconds = Math.ceil(wait / 1000);
      c.header('retry-after', String(seconds));
      throw new LocalError(429, 'too_many_attempts', `too many wrong PINs; try again in ${seconds} s`);
    }
    const { pin, name } = await jsonBody(c, SignIn);
    if (!(await verifyPin(pin, pinHash))) {
      failures.fail(address);
      log.warn(`local page: wrong PIN from ${address} (name "${name}")`);
      throw new LocalError(401, 'wrong_pin', 'wrong PIN');
    }
    failures.succeed(address);
    const { token, session } = sessions.create(name);
    setCookie(c, SESSION_COOKIE, token, {
      httpOnly: true,
      sameSite: 'Strict',
      secure: c.get('https'),
      path: '/',
      maxAge: Math.floor(ttlMs / 1000),
    });
    log.info(`local page: ${name} signed in from ${address}`);
    return c.json({
      name: session.name,
      csrfToken: session.csrfToken,
      expiresAt: new Date(session.expiresAt).toISOString(),
    });
  });

  // Everything below needs a session; a change also needs the session's CSRF token.
  app.use('/api/*', async (c, next) => {
    const session = c.get('session');
    if (!session) throw new LocalError(401, 'no_session', 'sign in first (POST /api/session)');
    if (
      c.req.method !== 'GET' &&
      c.req.method !== 'HEAD' &&
      !csrfMatches(session, c.req.header('x-csrf-token'))
    )
      throw new LocalError(403, 'csrf', 'missing or wrong x-csrf-token header for this session');
    await next();
  });
  app.use('/api/*', (c, next) => (c.req.path === '/api/clips' ? next() : limitJson(c, next)));

  app.get('/api/session', (c) => {
    const s = c.get('session') as NonNullable<ReturnType<typeof sessions.get>>;
    return c.json({ name: s.name, csrfToken: s.csrfToken, expiresAt: new Date(s.expiresAt).toISOString() });
  });
  app.post('/api/session/logout', (c) => {
    sessions.end(getCookie(c, SESSION_COOKIE));
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    return c.json({ ok: true });
  });

  mountApi(app, deps, clips, speech);
  mountForms(app, deps, lang);

  app.get('/', (c) => {
    const query = c.req.query('lang');
    if (query === 'en' || query === 'vi')
      setCookie(c, LANG_COOKIE, query, { sameSite: 'Strict', path: '/', maxAge: 365 * 86_400 });
    return c.html(
      renderPage(deps, {
        canSignIn: pinHash !== null,
        lang: (query ?? getCookie(c, LANG_COOKIE)) === 'en' ? 'en' : 'vi',
        session: c.get('session'),
        https: c.get('https'),
        host: c.req.header('host') ?? '',
      }),
    );
  });

  return { app, clips };
}
