// Builds as-run records for timetable entries: one record per entry, its id being the entry id.
import type { SkipReason, TimetableEntry } from '../../schedules/model.ts';
import type { AsRunRecord, Outcome } from '../../schedules/protocol.ts';
import type { ReasonCode } from '../../schedules/reason-words.ts';
import { skipReasonCode, skipReasonDetail } from '../../schedules/reasons.ts';

export type AirTimes = Partial<Pick<AsRunRecord, 'relayOnAt' | 'audioStartAt' | 'audioEndAt' | 'relayOffAt'>>;

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
    desiredVersion: ctx.desiredVersion,
    recordedAt: ctx.recordedAt.toISOString(),
  };
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
