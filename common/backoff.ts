// Back-off after failures: growing locks after repeated failed sign-ins (sign-in, enrolment, the
// station page's PIN), and jittered retry delays (reconnects). Pure apart from the limiter's own memory.

export interface BackoffOptions {
  /** Failures allowed before the first lock. */
  freeFailures: number;
  /** The first lock; each further failure doubles it, up to maxLockMs. */
  baseLockMs: number;
  maxLockMs: number;
  /** A failure this long after the previous one starts the count again. */
  windowMs: number;
}

/** Locks a key (an address, a user name) for a growing time after repeated failures. */
export function createFailureLimiter(clock: { now(): Date }, opts: BackoffOptions, maxKeys = 100_000) {
  const state = new Map<string, { failures: number; last: number; lockedUntil: number }>();
  const now = () => clock.now().getTime();
  return {
    /** Milliseconds until this key may try again; 0 if it may now. */
    retryAfterMs(key: string): number {
      const s = state.get(key);
      return s ? Math.max(0, s.lockedUntil - now()) : 0;
    },
    fail(key: string): void {
      const t = now();
      const s = state.get(key);
      const failures = s && t - s.last < opts.windowMs ? s.failures + 1 : 1;
      const over = failures - opts.freeFailures;
      const lock = over > 0 ? Math.min(opts.maxLockMs, opts.baseLockMs * 2 ** (over - 1)) : 0;
      state.set(key, { failures, last: t, lockedUntil: t + lock });
      // forget the oldest key rather than grow without bound under a flood of addresses
      if (state.size > maxKeys) state.delete(state.keys().next().value as string);
    },
    succeed(key: string): void {
      state.delete(key);
    },
  };
}
export type FailureLimiter = ReturnType<typeof createFailureLimiter>;

/** Reconnect back-off: the ceiling doubles from minMs up to maxMs. */
export interface RetryBackoff {
  minMs: number;
  maxMs: number;
}

/**
 * The wait before retry `failures` + 1, uniform in [0, min(maxMs, minMs * 2^failures)] ("full jitter"):
 * a fleet cut off at once (a broker restart) comes back spread over the window, not in the same second.
 */
export function retryDelay(failures: number, backoff: RetryBackoff, random = Math.random): number {
  const ceiling = Math.min(backoff.maxMs, backoff.minMs * 2 ** Math.min(failures, 20));
  return Math.round(random() * ceiling);
}
