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

/**
 * Bulletins for the timetable (those of the last two days). An emergency plays the moment its clip is
 * on the station, so until then it is left out - it would cut what plays for a clip it does not have -
 * unless it can no longer play (withdrawn or expired), which is then recorded.
 */
export function bulletinPlans(store: Pick<AgentStore, 'alertPlans'>, now: number): AlertPlan[] {
  return store
    .alertPlans(new Date(now - 2 * DAY).toISOString())
    .filter(
      (p) =>
        p.alert.level !== 'emergency' ||
        p.readyAt ||
        p.alert.cancelledAt ||
        Date.parse(p.alert.expiresAt) <= now,
    );
}
