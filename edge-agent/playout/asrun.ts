// Builds as-run records for timetable entries: one record per entry, its id being the entry id.
import { errorMessage, type Logger } from '../../common/log.ts';
import type { SkipReason, TimetableEntry } from '../../schedules/model.ts';
import type { AsRunRecord, Outcome } from '../../schedules/protocol.ts';
import type { ReasonCode } from '../../schedules/reason-words.ts';
import { skipReasonCode, skipReasonDetail } from '../../schedules/reasons.ts';
import { contentMsOf, readingsHeard } from '../../schedules/repeat.ts';
import type { AgentStore } from '../state/store.ts';

export type AirTimes = Partial<
  Pick<AsRunRecord, 'relayOnAt' | 'audioStartAt' | 'audioEndAt' | 'relayOffAt' | 'heardMs'>
>;

export interface RecordContext {
  stationId: string;
  desiredVersion: number;
  recordedAt: Date;
}

export function asRunRecord(
  e: TimetableEntry,
  ctx: RecordContext,
  outcome: Outcome,
  reason: ReasonCode | null,
  detail: string | null,
  times: AirTimes = {},
): AsRunRecord {
  return {
    id: e.id,
    stationId: ctx.stationId,
    entryId: e.id,
    slotId: e.slotId,
    campaignId: e.campaignId,
    clipIds: e.clipIds,
    scheduledAt: e.startsAt,
    outcome,
    reason,
    detail: detail?.slice(0, 1000) ?? null,
    relayOnAt: times.relayOnAt ?? null,
    audioStartAt: times.audioStartAt ?? null,
    audioEndAt: times.audioEndAt ?? null,
    relayOffAt: times.relayOffAt ?? null,
    ...(times.heardMs != null ? { heardMs: times.heardMs } : {}),
    ...(e.repeat ? { repeat: { planned: e.repeat.times, played: readings(e, outcome, times) } } : {}),
    desiredVersion: ctx.desiredVersion,
    recordedAt: ctx.recordedAt.toISOString(),
  };
}

/** How many readings of a repeated entry were heard to their end: all when it played, else by its sound's length. */
function readings(e: TimetableEntry, outcome: Outcome, t: AirTimes): number {
  const times = e.repeat?.times ?? 1;
  if (outcome === 'played') return times;
  if (!t.audioStartAt || !t.audioEndAt) return 0;
  const heard = Date.parse(t.audioEndAt) - Date.parse(t.audioStartAt);
  return readingsHeard(heard, contentMsOf(Date.parse(e.endsAt) - Date.parse(e.startsAt), e), e);
}

export type RecordFn = (
  e: TimetableEntry,
  outcome: Outcome,
  reason: ReasonCode | null,
  detail: string | null,
  t?: AirTimes,
) => AsRunRecord;

/** A record builder bound to a context read at each call (the desired version changes with re-plans). */
export const recorder =
  (ctx: () => RecordContext): RecordFn =>
  (e, outcome, reason, detail, t) =>
    asRunRecord(e, ctx(), outcome, reason, detail, t);

/** The as-run reason and detail for a compiler skip, worded as the controller's previews word it. */
export function skipReason(skip: SkipReason): { reason: ReasonCode; detail: string } {
  return { reason: skipReasonCode(skip), detail: skipReasonDetail(skip) };
}

export interface Committer {
  /** Stores the record (and queues it for the controller); one the store refuses waits in memory. */
  commit(r: AsRunRecord): void;
  /** Stores the records that wait; if some still do, `retry` is called a minute later. */
  flush(): void;
  /** Cancels the retry. */
  stop(): void;
  /** Whether the entry's record waits (it must not be armed again meanwhile). */
  has(entryId: string): boolean;
}

/**
 * Commits as-run records. A record the store refuses (a full disk: SQLITE_FULL) is kept in memory and stored
 * once the disk takes it again, so it is neither lost nor played again meanwhile; after a restart the plan
 * judges such entries anew (their time passed: missed).
 */
export function createCommitter(deps: {
  store: Pick<AgentStore, 'recordOutcome'>;
  log: Logger;
  /** The record is stored. */
  committed(r: AsRunRecord): void;
  /** Records still wait after a flush: called a minute later (the runner re-plans, which flushes). */
  retry(): void;
}): Committer {
  const waiting = new Map<string, AsRunRecord>();
  let timer: NodeJS.Timeout | undefined;
  const store = (r: AsRunRecord): boolean => {
    try {
      const fresh = deps.store.recordOutcome(r);
      waiting.delete(r.entryId);
      if (fresh) deps.committed(r);
      return true;
    } catch (err) {
      if (!waiting.has(r.entryId))
        deps.log.error(`as-run ${r.entryId}: cannot be stored yet (${errorMessage(err)}); kept until it can`);
      waiting.set(r.entryId, r);
      return false;
    }
  };
  return {
    commit: (r) => void store(r),
    flush() {
      for (const r of [...waiting.values()]) if (!store(r)) break;
      if (waiting.size === 0 || timer) return;
      timer = setTimeout(() => {
        timer = undefined;
        deps.retry();
      }, 60_000);
    },
    stop() {
      clearTimeout(timer);
      timer = undefined;
    },
    has: (id) => waiting.has(id),
  };
}
