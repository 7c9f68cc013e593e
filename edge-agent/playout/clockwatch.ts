// Wall-clock steps (NTP corrections, manual changes), seen by comparing wall and monotonic time deltas: the
// watch that re-plans on a step, the doubt a forward step leaves (a wrong time may be corrected soon after),
// and the timeline that keeps one entry's recorded instants in order across a step.
import type { Clock } from '../../common/clock.ts';

export interface ClockWatchDeps {
  clock: Clock;
  /** Monotonic milliseconds; defaults to performance.now. */
  monotonic?: () => number;
  everyMs?: number;
  /** A discrepancy above this between the two deltas is a jump. */
  jumpMs?: number;
  /** Called with the jump (positive: the wall clock moved forward) when the periodic check sees one. */
  onJump(driftMs: number): void;
  /** Called on every periodic check without a jump. */
  onTick?(wallMs: number): void;
}

export interface ClockWatch {
  /** Checks now: the jump since the last check (ms, positive forward), or null if there was none. */
  poll(): number | null;
  stop(): void;
}

/** Starts checking every `everyMs` (5 s by default). */
export function watchClock(deps: ClockWatchDeps): ClockWatch {
  const monotonic = deps.monotonic ?? (() => performance.now());
  const jumpMs = deps.jumpMs ?? 5000;
  let lastWall = deps.clock.now().getTime();
  let lastMono = monotonic();
  const poll = (): number | null => {
    const wall = deps.clock.now().getTime();
    const mono = monotonic();
    const drift = wall - lastWall - (mono - lastMono);
    lastWall = wall;
    lastMono = mono;
    return Math.abs(drift) > jumpMs ? drift : null;
  };
  const timer = setInterval(() => {
    const drift = poll();
    if (drift !== null) deps.onJump(drift);
    else deps.onTick?.(lastWall);
  }, deps.everyMs ?? 5000);
  return { poll, stop: () => clearInterval(timer) };
}

/** Below this, a difference between wall and monotonic time is the two clocks' noise, not a step. */
const STEP_MS = 1000;

export interface Timeline {
  /** How far the wall clock has stepped since the timeline began (ms, positive forward; 0 below 1 s). */
  stepped(): number;
  /** Now, on the timeline: the wall clock as it read when the timeline began, plus monotonic time since. */
  now(): string;
  /** A wall-clock instant read just now by someone else (the player), brought onto the timeline. */
  of(wall: Date): string;
}

/**
 * One entry's instants (relay on, first and last sample, relay off) on one line: a step of the wall clock in
 * the middle of an entry moves none of them, so they stay in order and their differences stay true.
 */
export function timeline(clock: Clock, monotonic: () => number): Timeline {
  const wall0 = clock.now().getTime();
  const mono0 = monotonic();
  const drift = () => {
    const d = clock.now().getTime() - wall0 - (monotonic() - mono0);
    return Math.abs(d) < STEP_MS ? 0 : d;
  };
  return {
    stepped: drift,
    now: () => new Date(clock.now().getTime() - drift()).toISOString(),
    of: (wall) => new Date(wall.getTime() - drift()).toISOString(),
  };
}

export interface StepSpan {
  fromMs: number;
  toMs: number;
  /** Still in doubt: its entries are neither played nor recorded yet. */
  held: boolean;
}

export interface StepDoubt {
  /** Notes a step of `driftMs` seen now; a forward one leaves its span in doubt for the doubt period. */
  stepped(driftMs: number): void;
  /** The spans of the last day, in doubt or no longer (a plan reaches back to them to record what they hold). */
  spans(): readonly StepSpan[];
  clear(): void;
}

const DAY = 24 * 3_600_000;

/**
 * What a forward step jumped over stays in doubt for `doubtMs`: its entries are neither played nor recorded
 * missed until then, so a wrong time corrected soon after (a step back) costs nothing. `onOver` is called when
 * a span leaves doubt (its entries are then recorded missed by the plan).
 */
export function createStepDoubt(o: {
  doubtMs: number;
  nowMs(): number;
  monotonic(): number;
  onOver(): void;
  /** Keeps the spans across a restart (an agent killed while in doubt still records what a step jumped over). */
  saved?: { load(): string | null; save(json: string): void };
}): StepDoubt {
  type Span = { fromMs: number; toMs: number; until: number; timer?: NodeJS.Timeout };
  // spans from before a restart are no longer held: the plan records what they hold
  let spans: Span[] = [];
  try {
    const before = JSON.parse(o.saved?.load() ?? '[]') as { fromMs: number; toMs: number }[];
    spans = before.filter((s) => o.nowMs() - s.toMs < DAY).map((s) => ({ ...s, until: -Infinity }));
  } catch {}
  const save = () => {
    try {
      o.saved?.save(JSON.stringify(spans.map(({ fromMs, toMs }) => ({ fromMs, toMs }))));
    } catch {} // a full disk: saved with the next step
  };
  return {
    stepped(drift) {
      if (drift <= 0) return;
      const to = o.nowMs();
      spans = spans.filter((s) => to - s.toMs < DAY);
      const timer = setTimeout(() => o.onOver(), o.doubtMs);
      spans.push({ fromMs: to - drift, toMs: to, until: o.monotonic() + o.doubtMs, timer });
      save();
    },
    spans: () => spans.map(({ fromMs, toMs, until }) => ({ fromMs, toMs, held: o.monotonic() < until })),
    clear() {
      for (const s of spans) clearTimeout(s.timer);
      spans = [];
    },
  };
}
