// What the runner plans with besides the desired state, read from the store: the overrides ward staff
// made, the volume they set and the bulletins. Plain functions of the store and the time, so the runner
// needs neither the overrides nor the bulletins part to plan.
import type { AlertPlan } from '../../schedules/alerts.ts';
import { type Override, overrideActive } from '../../schedules/overrides.ts';
import type { AgentStore } from '../state/store.ts';

const DAY = 24 * 3_600_000;

/** Overrides not ended, or ended within the last week; newest first. */
export const recentOverrides = (store: Pick<AgentStore, 'overridesSince'>, now: number): Override[] =>
  store.overridesSince(new Date(now - 7 * DAY).toISOString());

/** The volume factor at `at` (ms): the newest volume override in force then, else 1. */
export const volumeAt = (overrides: readonly Override[], at: number): number =>
  overrides.find((o) => o.kind === 'volume' && overrideActive(o, at))?.volume ?? 1;

/** An emergency just received while the station is idle: its warm-up overlaps its clip's download. */
export interface EmergencyOverlap {
  /** The emergency's warm-up (ms). */
  warmUpMs: number;
  /** Whether nothing is on air (an amplifier already on needs no overlap: the clip is awaited, then it cuts in). */
  idle: boolean;
}

/**
 * Bulletins for the timetable (those of the last two days). An emergency plays the moment its clip is on the
 * station, so until then it is left out - it would cut what plays for a clip it does not have - unless it can
 * no longer play (withdrawn or expired), which is then recorded, or it has just come to an idle station: then
 * its relay goes on at once and its sound is planned a warm-up later, while the clip downloads.
 */
export function bulletinPlans(
  store: Pick<AgentStore, 'alertPlans'>,
  now: number,
  overlap?: EmergencyOverlap,
): AlertPlan[] {
  return store.alertPlans(new Date(now - 2 * DAY).toISOString()).flatMap((p) => {
    if (p.alert.level !== 'emergency' || p.readyAt || p.alert.cancelledAt) return [p];
    if (Date.parse(p.alert.expiresAt) <= now) return [p];
    const received = Date.parse(p.receivedAt);
    if (!overlap?.idle || p.startedAt || now - received > overlap.warmUpMs) return [];
    return [{ ...p, readyAt: new Date(received + overlap.warmUpMs).toISOString() }];
  });
}
