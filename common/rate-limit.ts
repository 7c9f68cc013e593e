// A request budget per client (an address): a token bucket, for the HTTP API and the broker's accept.
import type { Clock } from './clock.ts';

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
