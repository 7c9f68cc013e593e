// Rate limits over HTTP: a request's client address, and the 429 answer of a locked key.
import type { Context } from 'hono';
import type { FailureLimiter } from '../../common/backoff.ts';
import { HttpError } from './errors.ts';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/**
 * The client's address of a request served by @hono/node-server ('local' for in-process requests). Behind
 * a reverse proxy on this machine (TRUST_PROXY=true, set by the composition root in the server's env), the
 * address the proxy saw: the last of X-Forwarded-For, taken only from a loopback peer.
 */
export function clientAddress(c: Context): string {
  const env = c.env as
    | { incoming?: { socket?: { remoteAddress?: string } }; trustProxy?: boolean }
    | undefined;
  const peer = env?.incoming?.socket?.remoteAddress ?? 'local';
  if (!env?.trustProxy || !LOOPBACK.has(peer)) return peer;
  return c.req.header('x-forwarded-for')?.split(',').at(-1)?.trim() || peer;
}

/** Refuses a locked key with 429 and Retry-After; does nothing if the key may try now. */
export function refuseIfLocked(c: Context, limiter: FailureLimiter, keys: string[], what: string): void {
  const wait = Math.max(...keys.map((k) => limiter.retryAfterMs(k)));
  if (wait <= 0) return;
  const seconds = Math.ceil(wait / 1000);
  c.header('retry-after', String(seconds));
  throw new HttpError(429, 'too_many_attempts', `too many failed ${what}; try again in ${seconds} s`);
}
