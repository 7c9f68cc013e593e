// Detects wall-clock jumps (NTP corrections, manual changes) by comparing wall and monotonic time deltas.
import type { Clock } from '../../common/clock.ts';

export interface ClockWatchDeps {
  clock: Clock;
  /** Monotonic milliseconds; defaults to performance.now. */
  monotonic?: () => number;
  everyMs?: number;
  /** A discrepancy above this between the two deltas is a jump. */
  jumpMs?: number;
  /** Called with the jump (positive: the wall clock moved forward). */
  onJump(driftMs: number): void;
  /** Called on every check without a jump. */
  onTick?(wallMs: number): void;
}

/** Starts checking; returns the function that stops it. */
export function watchClock(deps: ClockWatchDeps): () => void {
  const monotonic = deps.monotonic ?? (() => performance.now());
  const jumpMs = deps.jumpMs ?? 5000;
  let lastWall = deps.clock.now().getTime();
  let lastMono = monotonic();
  const timer = setInterval(() => {
    const wall = deps.clock.now().getTime();
    const mono = monotonic();
    const drift = wall - lastWall - (mono - lastMono);
    lastWall = wall;
    lastMono = mono;
    if (Math.abs(drift) > jumpMs) deps.onJump(drift);
    else deps.onTick?.(wall);
  }, deps.everyMs ?? 5000);
  return () => clearInterval(timer);
}
