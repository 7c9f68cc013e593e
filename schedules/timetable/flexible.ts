// Flexible slots: the earliest whole second in a slot's window at which it fits clear of what blocks it.

import type { BlockReason, ClipRef, Slot } from '../model.ts';
import { shapedMs } from '../repeat.ts';
import { seconds } from './expand.ts';

/** An interval on-air time must not touch: a quiet window, or an accepted entry's on-air time. */
export interface Blocker {
  start: number;
  end: number;
  why: BlockReason;
}

export type Room = { start: number; movedBecause: BlockReason[] } | { start: null; blockedBy: BlockReason[] };

const ceilSecond = (ms: number) => Math.ceil(ms / 1000) * 1000;

/** Blockers kept sorted by start, so that a flexible entry only looks at the few near its window. */
export class Blockers {
  private items: Blocker[] = [];
  private longest = 0;

  /** Index of the first blocker starting after t. */
  private after(t: number): number {
    let lo = 0;
    let hi = this.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.items[mid] as Blocker).start <= t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  add(b: Blocker): void {
    this.items.splice(this.after(b.start), 0, b);
    this.longest = Math.max(this.longest, b.end - b.start);
  }

  /** Blockers with end > from and start < until, in start order. */
  between(from: number, until: number): Blocker[] {
    const out: Blocker[] = [];
    // one starting at or before from - longest has ended by from
    for (let i = this.after(from - this.longest); i < this.items.length; i++) {
      const b = this.items[i] as Blocker;
      if (b.start >= until) break;
      if (b.end > from) out.push(b);
    }
    return out;
  }
}

function unique(reasons: BlockReason[]): BlockReason[] {
  const seen = new Set<string>();
  return reasons.filter((r) => {
    const key = JSON.stringify(r);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Where a flexible entry of `durationMs` plays in [windowStart, windowEnd]: the earliest whole second s
 * with s + duration <= windowEnd whose on-air interval [s - lead, s + duration + tail] touches no blocker.
 * s is barred exactly when it lies in the open interval (b.start - duration - tail, b.end + lead) of some
 * blocker b, so the earliest free s is the window start or the (rounded-up) end of one of those intervals:
 * only those are tried. movedBecause names every blocker that bars some second before s.
 */
export function findRoom(
  windowStart: number,
  windowEnd: number,
  durationMs: number,
  blockers: Blockers,
  leadMs: number,
  tailMs: number,
): Room {
  const first = ceilSecond(windowStart);
  const latest = windowEnd - durationMs;
  if (latest < first) return { start: null, blockedBy: [] };
  const near = blockers
    .between(first - leadMs, latest + durationMs + tailMs)
    .map((b) => ({ lo: b.start - durationMs - tailMs, hi: b.end + leadMs, why: b.why }));
  const tries = [first, ...near.map((b) => ceilSecond(b.hi))].filter((s) => s >= first && s <= latest);
  tries.sort((a, b) => a - b);
  for (const s of tries) {
    if (near.some((b) => b.lo < s && s < b.hi)) continue;
    return { start: s, movedBecause: unique(near.filter((b) => b.lo < s && b.hi > first).map((b) => b.why)) };
  }
  return { start: null, blockedBy: unique(near.map((b) => b.why)) };
}

const toMs = (time: string) => {
  const [h = 0, m = 0, s = 0] = seconds(time).split(':').map(Number);
  return ((h * 60 + m) * 60 + s) * 1000;
};
const minutes = (ms: number) => `${Math.round(ms / 6000) / 10} min`;

/**
 * For the controller when a slot is saved: why a flexible slot's clips can never fit its window, or null.
 * Unknown clips are left to the caller's own check; the window is taken at its nominal local length.
 */
export function flexibleFitProblem(
  slot: Pick<Slot, 'clipIds' | 'startTime' | 'flexibleUntil' | 'repeat' | 'chime'>,
  clips: Pick<ClipRef, 'id' | 'durationMs'>[],
): string | null {
  if (slot.flexibleUntil == null) return null;
  const durations = new Map(clips.map((c) => [c.id, c.durationMs]));
  const soundMs = shapedMs(
    slot.clipIds.reduce((sum, id) => sum + (durations.get(id) ?? 0), 0),
    slot,
  );
  const windowMs = toMs(slot.flexibleUntil) - toMs(slot.startTime);
  if (soundMs <= windowMs) return null;
  return (
    `the clips${slot.repeat && slot.repeat.times > 1 ? `, read ${slot.repeat.times} times,` : ''} last ${minutes(soundMs)} but the window ${slot.startTime}-${slot.flexibleUntil} ` +
    `is only ${minutes(windowMs)}`
  );
}
