// The player the agent needs: audio/index.ts's Player fits it (a player started ahead, released at the
// instant), and tests pass a fake. And how its release meets the instant.
import type { Player, PlayResult, PreparedPlay, Started } from '../../audio/index.ts';
import type { Clock } from '../../common/clock.ts';
import { sleep } from '../../common/sleep.ts';

export type { PlayResult, PreparedPlay, Started };

export type AgentPlayer = Pick<Player, 'prepare'> & Partial<Pick<Player, 'close'>>;

/**
 * Waits until the wall clock reads `at` (epoch ms), to release a player then. It ends early only when the
 * signal aborts, and it may end before `at` after polling for a bounded time (a clock stepped back): the
 * caller reads the clock again.
 */
export type InstantWait = (at: number, signal: AbortSignal) => Promise<void>;

export interface SpinOptions {
  /** Woken by a timer this long before the instant, then polling (setImmediate: the event loop still runs). */
  spinMs: number;
  /** The last stretch is a busy loop, nothing else running: a callback cannot start in it. */
  busyMs: number;
}

/**
 * A timer wakes up 1-2 ms late at best, and up to 18 ms when the event loop is busy then (test/bench/RESULTS.md,
 * slot-timing): this one wakes `spinMs` early and polls to the instant, the last `busyMs` without yielding.
 * It costs at most `spinMs` of CPU per entry. Fake timers cannot drive it (time does not pass while it polls):
 * the runner uses plain timers unless given one (edge-agent/cli/main.ts does).
 */
export function spinningWait(
  clock: Clock,
  o: SpinOptions = { spinMs: 15, busyMs: 2 },
  monotonic: () => number = () => performance.now(),
): InstantWait {
  const wall = () => clock.now().getTime();
  const immediate = () => new Promise<void>((resolve) => setImmediate(resolve));
  return async (at, signal) => {
    const left = at - wall();
    if (left > o.spinMs) await sleep(left - o.spinMs, signal);
    const giveUp = monotonic() + 2 * o.spinMs;
    while (at - wall() > o.busyMs && monotonic() < giveUp) {
      await immediate();
      if (signal.aborted) throw signal.reason;
    }
    while (wall() < at && monotonic() < giveUp) {
      // busy: the release must not wait behind a callback that would start now
    }
  };
}
