// Rate limits over HTTP: a request's client address, and the 429 answer of a locked key.
import type { Context } from 'hono';
import type { FailureLimiter } from '../../common/backoff.ts';
import { HttpError } from './errors.ts';

/** The peer address of a request served by @hono/node-server; 'local' for in-process requests. */
export function clientAddress(c: Context): string {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress ?? 'local';
}

/** Refuses a locked key with 429 and Retry-After; does nothing if the key may try now. */
export function refuseIfLocked(c: Context, limiter: FailureLimiter, keys: string[], what: string): void {
  const wait = Math.max(...keys.map((k) => limiter.retryAfterMs(k)));
  if (wait <= 0) return;
  const seconds = Math.ceil(wait / 1000);
  c.header('retry-after', String(seconds));
  throw new HttpError(429, 'too_many_attempts', `too many failed ${what}; try again in ${seconds} s`);
}
