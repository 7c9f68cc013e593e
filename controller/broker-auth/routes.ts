// RabbitMQ's HTTP auth backend on the controller's port: POST /broker-auth/<token>/user|vhost|resource|topic
// with a form body, answered `allow` or `deny` in plain text. The token is in the path because RabbitMQ
// cannot send a header; a wrong one is a 404 like any unknown path, and counts as a failure of its address.
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import type { Context, Hono } from 'hono';
import type { FailureLimiter } from '../../common/backoff.ts';
import type { Logger } from '../../common/log.ts';
import { clientAddress } from '../http/ratelimit.ts';
import type { AuthPath } from './cache.ts';
import type { BrokerAuth } from './province.ts';

export interface BrokerAuthMount {
  token: string;
  auth: BrokerAuth;
  /** The failures of wrong tokens, by client address (the app's failure limiter). */
  failures: FailureLimiter;
  log: Logger;
}

const PATHS = new Set<string>(['user', 'vhost', 'resource', 'topic']);
/** A check's form is a few short fields: anything larger is not RabbitMQ. */
const MAX_BODY = 16 * 1024;

const sameToken = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

const notFound = (c: Context) => c.json({ error: 'not_found', message: 'no such route' }, 404);

export function mountBrokerAuth(app: Hono, m: BrokerAuthMount): void {
  app.post('/broker-auth/:token/:path', async (c: Context) => {
    // answered here, not thrown: the router serves these routes without the controller's error handler
    const key = `broker-auth:${clientAddress(c)}`;
    const wait = m.failures.retryAfterMs(key);
    if (wait > 0) {
      c.header('retry-after', String(Math.ceil(wait / 1000)));
      return c.json({ error: 'too_many_attempts', message: 'too many failed broker-auth calls' }, 429);
    }
    const path = c.req.param('path') ?? '';
    if (!sameToken(c.req.param('token') ?? '', m.token)) {
      m.failures.fail(key);
      m.log.warn(`broker-auth: wrong token from ${clientAddress(c)}`);
      // the same answer as any unknown path, without echoing the path (it holds the token tried)
      return notFound(c);
    }
    if (!PATHS.has(path)) return notFound(c);
    const body = await formOf(c);
    if (body === null) return c.text('deny', 413);
    const params = Object.fromEntries(new URLSearchParams(body));
    return answer(c, await m.auth.check(path as AuthPath, params));
  });
}

/**
 * The form's text, or null when over MAX_BODY. Read from the Node request itself when served by
 * @hono/node-server: the web stream `c.req.text()` builds costs more than the whole check (measured by
 * test/bench/broker-auth.bench.ts); `app.request` in tests has no Node request and reads it the usual way.
 */
async function formOf(c: Context): Promise<string | null> {
  if (Number(c.req.header('content-length') ?? 0) > MAX_BODY) return null;
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  if (!incoming) {
    const text = await c.req.text();
    return text.length > MAX_BODY ? null : text;
  }
  return new Promise((resolve) => {
    let text = '';
    incoming.setEncoding('utf8');
    incoming.on('data', (chunk: string) => {
      text += chunk;
      if (text.length > MAX_BODY) {
        incoming.removeAllListeners('data');
        incoming.resume();
        resolve(null);
      }
    });
    incoming.on('end', () => resolve(text));
    incoming.on('error', () => resolve(null));
  });
}

/**
 * `allow` or `deny` as text/plain; written straight to the Node response when there is one (a third less
 * work per check than a web Response, measured), else as Hono answers.
 */
function answer(c: Context, text: string): Response {
  const outgoing = (c.env as { outgoing?: ServerResponse } | undefined)?.outgoing;
  if (!outgoing) return c.text(text);
  outgoing.writeHead(200, { 'content-type': 'text/plain; charset=UTF-8', 'content-length': text.length });
  outgoing.end(text);
  return RESPONSE_ALREADY_SENT;
}
