// At a province: a POST that carries an Idempotency-Key answers, when the same key comes again to the same
// route, what its first success answered, instead of creating a second bulletin, campaign or rule (the
// national level retries after timeouts: docs/national.md). Only successes are kept; a refusal can be tried
// again. Two requests with one key at once: the second waits for the first.
import type { Context, MiddlewareHandler } from 'hono';
import type { Db } from '../db.ts';

/** The routes whose POST honours the header. */
export const IDEMPOTENT_ROUTES = [
  '/api/alerts',
  '/api/campaigns',
  '/api/slots',
  '/api/quiet-windows',
] as const;

const KEY = /^[\w.:@-]{8,200}$/;

export function idempotentPosts(db: Db, now: () => Date): MiddlewareHandler {
  const find = db.prepare('SELECT status, body FROM idempotent_answers WHERE key = ? AND route = ?');
  const keep = db.prepare(
    'INSERT OR IGNORE INTO idempotent_answers (key, route, status, body, at) VALUES (?, ?, ?, ?, ?)',
  );
  const inFlight = new Map<string, Promise<void>>();
  const replay = (c: Context, row: { status: number; body: string }) => {
    c.header('idempotent-replay', 'true');
    return c.body(row.body, row.status as 200, { 'content-type': 'application/json' });
  };
  return async (c, next) => {
    const key = c.req.header('idempotency-key');
    const route = c.req.path;
    if (
      c.req.method !== 'POST' ||
      !key ||
      !KEY.test(key) ||
      !(IDEMPOTENT_ROUTES as readonly string[]).includes(route)
    )
      return next();
    const id = `${route} ${key}`;
    await inFlight.get(id);
    const before = find.get(key, route) as { status: number; body: string } | undefined;
    if (before) return replay(c, before);
    let done = () => {};
    inFlight.set(id, new Promise<void>((r) => (done = r)));
    try {
      await next();
      const res = c.res;
      if (res.status >= 200 && res.status < 300 && /json/.test(res.headers.get('content-type') ?? ''))
        keep.run(key, route, res.status, await res.clone().text(), now().toISOString());
    } finally {
      inFlight.delete(id);
      done();
    }
  };
}
