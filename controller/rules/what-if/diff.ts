// The difference a change makes to one station's timetable: the same station compiled without and with the
// change, entry by entry (ids are deterministic, so an entry is itself in both). Pure: no store, no clock.
import type { BlockReason, SkipReason, TimetableEntry } from '../../../schedules/model.ts';

/**
 * What happens to an entry: kept off air by a silence or a quiet window (`skipped`), pushed off by another
 * entry (`pushed-off`: "Trùng lịch", no room left, or a bulletin holding the air), moved to another time, or
 * back on air (what held it back is gone).
 */
export type ChangeKind = 'skipped' | 'pushed-off' | 'moved' | 'plays-again';

/** What causes a change, as the timetable records it: an entry, a quiet window or a local override. */
export type CauseRef =
  | { kind: 'entry'; entryId: string }
  | { kind: 'quiet-window'; quietWindowId: string }
  | { kind: 'override'; overrideId: string; overrideKind: string };

export interface EntryChange {
  change: ChangeKind;
  /** The entry is the change's own (its slot, its bulletin): only its skips are listed. */
  own: boolean;
  /** The entry as it stands with the change (as it stood, for one that is gone). */
  entry: TimetableEntry;
  /** Where a moved entry's sound now starts. */
  movedTo?: string;
  /** The skip that keeps it off air (skipped, pushed off), or the one that held it back (plays again). */
  skip?: SkipReason;
  cause?: CauseRef;
}

/** What the change's own entries come to at the station: scheduled plays without and with it. */
export interface OwnPlays {
  before: number;
  after: number;
  /** Start instants of its scheduled plays with the change, first first. */
  starts: string[];
}

const blockCause = (b: BlockReason): CauseRef =>
  b.code === 'quiet-window'
    ? { kind: 'quiet-window', quietWindowId: b.quietWindowId }
    : { kind: 'entry', entryId: b.entryId };

/** The rule, entry or override a skip names. */
export function causeOf(skip: SkipReason): CauseRef | undefined {
  switch (skip.code) {
    case 'quiet-window':
    case 'overlap':
      return blockCause(skip);
    case 'no-room':
      return skip.blockedBy[0] ? blockCause(skip.blockedBy[0]) : undefined;
    case 'preempted':
      return { kind: 'entry', entryId: skip.entryId };
    case 'override':
      return { kind: 'override', overrideId: skip.overrideId, overrideKind: skip.overrideKind };
    default:
      return undefined;
  }
}

/** Pushed off by another entry rather than kept off by a silence, a window, its clip or its expiry. */
const pushed = (skip: SkipReason) =>
  skip.code === 'overlap' || skip.code === 'no-room' || skip.code === 'preempted';

const skipOf = (e: TimetableEntry) => (e.status === 'skipped' ? e.skip : undefined);

/** Whether two skips say the same (same code, same cause): an entry still skipped for its old reason. */
const sameSkip = (a: SkipReason, b: SkipReason) => JSON.stringify(a) === JSON.stringify(b);

function otherChange(b: TimetableEntry, a: TimetableEntry): EntryChange | null {
  const was = skipOf(b);
  const now = skipOf(a);
  if (!was && now)
    return {
      change: pushed(now) ? 'pushed-off' : 'skipped',
      own: false,
      entry: a,
      skip: now,
      cause: causeOf(now),
    };
  if (was && !now) return { change: 'plays-again', own: false, entry: a, skip: was, cause: causeOf(was) };
  if (was && now) {
    if (sameSkip(was, now)) return null;
    return {
      change: pushed(now) ? 'pushed-off' : 'skipped',
      own: false,
      entry: a,
      skip: now,
      cause: causeOf(now),
    };
  }
  if (b.startsAt === a.startsAt) return null;
  const because = a.status === 'scheduled' ? a.placement?.movedBecause[0] : undefined;
  return {
    change: 'moved',
    own: false,
    entry: b,
    movedTo: a.startsAt,
    ...(because ? { cause: blockCause(because) } : {}),
  };
}

/**
 * Entry by entry, what the change does at one station: other rules' entries skipped, pushed off, moved or
 * playing again, and its own entries that will be kept off air; with the count of its own plays.
 */
export function diffTimetables(
  before: TimetableEntry[],
  after: TimetableEntry[],
  isOwn: (e: TimetableEntry) => boolean,
): { changes: EntryChange[]; own: OwnPlays } {
  const was = new Map(before.map((e) => [e.id, e]));
  const changes: EntryChange[] = [];
  const own: OwnPlays = { before: 0, after: 0, starts: [] };
  for (const e of before) if (isOwn(e) && e.status === 'scheduled') own.before++;
  for (const a of after) {
    const b = was.get(a.id);
    if (isOwn(a)) {
      if (a.status === 'scheduled') {
        own.after++;
        own.starts.push(a.startsAt);
      } else if (!b || b.status === 'scheduled' || !sameSkip(b.skip, a.skip)) {
        changes.push({
          change: pushed(a.skip) ? 'pushed-off' : 'skipped',
          own: true,
          entry: a,
          skip: a.skip,
          cause: causeOf(a.skip),
        });
      }
      continue;
    }
    const c = b ? otherChange(b, a) : null;
    if (c) changes.push(c);
  }
  own.starts.sort();
  changes.sort((x, y) =>
    x.entry.startsAt < y.entry.startsAt ? -1 : x.entry.startsAt > y.entry.startsAt ? 1 : 0,
  );
  return { changes, own };
}
