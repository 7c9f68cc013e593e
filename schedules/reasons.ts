// Short codes and English details for skips and moves, for as-run records, logs and previews.
import type { BlockReason, Placement, SkipReason } from './model.ts';
import type { ReasonCode } from './reason-words.ts';

/**
 * The as-run reason of a skip: a quiet window reports its own reason ('online-class', 'national-relay',
 * ...) because that is what the plan asks stations to account for; the others report their code.
 */
export function skipReasonCode(skip: SkipReason): ReasonCode {
  switch (skip.code) {
    case 'quiet-window':
      return skip.quietReason;
    case 'override':
      return `local-${skip.overrideKind}`;
    case 'preempted':
      return PREEMPTED_CODE[skip.by];
    default:
      return skip.code;
  }
}

const PREEMPTED_CODE = {
  emergency: 'emergency',
  priority: 'priority-bulletin',
  announcement: 'local-announcement',
} as const;

const OVERRIDE_WORDS = {
  stop: 'stopped by ward staff',
  pause: 'broadcasting paused by ward staff',
  quiet: 'inside a local quiet window',
  skip: 'skipped (or declined) by ward staff',
} as const;

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
    case 'override':
      return `${OVERRIDE_WORDS[skip.overrideKind]} (override ${skip.overrideId})`;
    case 'preempted':
      return `the air is held by ${skip.by === 'announcement' ? 'local announcement' : `${skip.by} bulletin`} ${skip.entryId}`;
    case 'expired':
      return 'the bulletin expired before it could play';
    case 'cancelled':
      return 'the bulletin was withdrawn by its sender';
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
