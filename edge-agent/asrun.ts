// Builds as-run records for timetable entries: one record per entry, its id being the entry id.
import type { SkipReason, TimetableEntry } from '../schedules/model.ts';
import type { AsRunRecord, Outcome } from '../schedules/protocol.ts';

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
  reason: string | null,
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
    reason: reason?.slice(0, 100) ?? null,
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
  reason: string | null,
  detail: string | null,
  t?: AirTimes,
) => AsRunRecord;

/** A record builder bound to a context read at each call (the desired version changes with re-plans). */
export const recorder =
  (ctx: () => RecordContext): RecordFn =>
  (e, outcome, reason, detail, t) =>
    asRunRecord(e, ctx(), outcome, reason, detail, t);

/** The as-run reason and a human detail for a compiler skip; quiet windows report their own reason. */
export function skipReason(skip: SkipReason): { reason: string; detail: string } {
  switch (skip.code) {
    case 'quiet-window':
      return {
        reason: skip.quietReason,
        detail: `inside quiet window ${skip.quietWindowId} (${skip.quietReason})`,
      };
    case 'overlap':
      return { reason: 'overlap', detail: `overlaps entry ${skip.entryId}` };
    case 'clip-unknown':
      return { reason: 'clip-unknown', detail: `clip ${skip.clipId} is not in the desired state` };
    case 'no-room':
      return {
        reason: 'no-room',
        detail: `no time clear of ${skip.blockedBy.map((b) => (b.code === 'overlap' ? b.entryId : b.quietWindowId)).join(', ') || 'other entries'} between ${skip.windowStart} and ${skip.windowEnd}`,
      };
  }
}
