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

/**
 * How a connection attempt ended, for the reconnect back-off. `refused`: nothing listened (ECONNREFUSED,
 * answered at once by the broker host's kernel while the broker restarts), which cost the broker nothing;
 * `failed`: anything that may have cost it work or says it is overloaded or out of reach (a timeout, a
 * refused login, a reset, a connection dropped by the broker); `dropped`: a working connection was lost.
 */
export type AttemptEnd = 'refused' | 'failed' | 'dropped';

/** The end of an attempt: `dropped` once it had connected (whatever the error), else from the client's last error. */
export function attemptEnd(error: unknown, wasConnected = false): AttemptEnd {
  if (wasConnected) return 'dropped';
  return (error as { code?: unknown } | null)?.code === 'ECONNREFUSED' ? 'refused' : 'failed';
}

export interface ReconnectBackoff extends RetryBackoff {
  /**
   * Refusals in a row that leave the ceiling where it is (default 12: about 30 s of attempts at a 5 s
   * ceiling); later ones raise it like failures, so a broker down for maintenance is not asked for ever
   * at the shortest pace.
   */
  freeRefusals?: number;
}

/**
 * A link's reconnect waits: full jitter under a ceiling that doubles from minMs with each failed attempt
 * since the last connect (up to maxMs). An immediate refusal does not raise it (up to `freeRefusals` in a
 * row): after a broker restart a fleet keeps retrying within minMs while nothing listens and is back
 * within minMs of the broker's return, instead of having doubled its ceiling several times over a few
 * seconds of downtime (test/bench/RESULTS.md, fleet-broker storm; docs/scale.md).
 */
export function createReconnectBackoff(backoff: ReconnectBackoff, random = Math.random) {
  const freeRefusals = backoff.freeRefusals ?? 12;
  let failures = 0;
  let refusals = 0;
  return {
    /** The wait before the next attempt, after one that ended so. */
    next(end: AttemptEnd): number {
      if (end === 'refused' && refusals < freeRefusals) refusals++;
      else if (end !== 'dropped') failures++;
      return retryDelay(failures, backoff, random);
    },
    /** Connected: the next loss starts from minMs again. */
    connected(): void {
      failures = 0;
      refusals = 0;
    },
    /** Failed attempts counted so far (those that raised the ceiling). */
    get failures(): number {
      return failures;
    },
  };
}
