// Short codes and English details for skips and moves, for as-run records, logs and previews.
import type { BlockReason, Placement, SkipReason } from './model.ts';

/**
 * The as-run reason of a skip: a quiet window reports its own reason ('online-class', 'national-relay',
 * ...) because that is what the plan asks stations to account for; the others report their code.
 */
export function skipReasonCode(skip: SkipReason): string {
  return skip.code === 'quiet-window' ? skip.quietReason : skip.code;
}

const blocker = (b: BlockReason) =>
  b.code === 'quiet-window' ? `quiet window ${b.quietWindowId} (${b.quietReason})` : `entry ${b.entryId}`;

/** One English sentence for a skip; the UI translates by code. */
export function skipReasonDetail(skip: SkipReason): string {
  switch (skip.code) {
    case 'quiet-window':
      return `inside ${blocker(skip)}`;
    case 'overlap':
      return `overlaps entry ${skip.entryId}`;
    case 'clip-unknown':
      return `clip ${skip.clipId} is not in the desired state`;
    case 'no-room': {
      const by = skip.blockedBy.length ? `: blocked by ${skip.blockedBy.map(blocker).join(', ')}` : '';
      return `no room between ${skip.windowStart} and ${skip.windowEnd}${by}`;
    }
  }
}

/** One English sentence for why a flexible entry did not start at its window start, or null. */
export function placementDetail(placement: Placement): string | null {
  if (placement.movedBecause.length === 0) return null;
  return `moved from ${placement.requestedFrom}: ${placement.movedBecause.map(blocker).join(', ')}`;
}
