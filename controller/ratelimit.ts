// Rate limits: back-off after failed logins or enrolments, and a request budget per client.
import type { Context } from 'hono';
import type { FailureLimiter } from '../schedules/backoff.ts';
import type { Clock } from './deps.ts';
import { HttpError } from './errors.ts';

export { type BackoffOptions, createFailureLimiter, type FailureLimiter } from '../schedules/backoff.ts';

/** A token bucket per client: `ratePerSec` sustained, `burst` at once. */
export function createRequestLimiter(clock: Clock, ratePerSec: number, burst: number) {
  const buckets = new Map<string, { tokens: number; at: number }>();
  return {
    take(key: string): boolean {
      const t = clock.now().getTime();
      const b = buckets.get(key) ?? { tokens: burst, at: t };
      b.tokens = Math.min(burst, b.tokens + ((t - b.at) / 1000) * ratePerSec);
      b.at = t;
      const ok = b.tokens >= 1;
      if (ok) b.tokens -= 1;
      buckets.set(key, b);
      if (buckets.size > 100_000) buckets.delete(buckets.keys().next().value as string);
      return ok;
    },
  };
}

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
