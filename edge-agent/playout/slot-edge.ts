// What the runner does when an entry's time comes while another is still in hand: the precedence ranks
// decide between kinds of entries, the configured slot-edge choice between equals.
import type { Logger } from '../../common/log.ts';
import type { TimetableEntry } from '../../schedules/model.ts';
import { entryRank } from '../../schedules/precedence/precedence.ts';
import type { ReasonCode } from '../../schedules/reason-words.ts';
import type { AgentConfig } from '../config/config.ts';
import { createJobs, type Scheduler } from './jobs.ts';

export type EdgeDecision =
  /** Cut the one in hand, `afterMs` after the newcomer's relay-on time, recording `reason`. */
  | { action: 'cut'; afterMs: number; reason: ReasonCode; detail: string }
  /** Skip the newcomer if the one in hand is still on air at its relay-on time. */
  | { action: 'skip'; reason: 'busy'; detail: string }
  /** Let the newcomer wait its turn (it is missed if that takes longer than graceMs). */
  | { action: 'wait' };

export function slotEdge(
  held: TimetableEntry,
  next: TimetableEntry,
  edge: AgentConfig['slotEdge'],
): EdgeDecision {
  const [h, n] = [entryRank(held), entryRank(next)];
  if (n < h) {
    const by = next.source?.kind === 'alert' ? next.source.level : 'announcement';
    const reason =
      by === 'emergency' ? 'emergency' : by === 'priority' ? 'priority-bulletin' : 'local-announcement';
    return { action: 'cut', afterMs: 0, reason, detail: `cut for ${next.id}, which takes precedence` };
  }
  const busy = `entry ${held.id} was still on air at its time`;
  if (edge.mode === 'skip') return { action: 'skip', reason: 'busy', detail: busy };
  if (n > h) return { action: 'wait' };
  if (edge.mode === 'cut')
    return { action: 'cut', afterMs: 0, reason: 'slot-edge', detail: `cut at the time of ${next.id}` };
  return {
    action: 'cut',
    afterMs: edge.maxLateSec * 1000,
    reason: 'slot-edge',
    detail: `cut ${edge.maxLateSec} s after the time of ${next.id}, which waited for it to finish`,
  };
}

export interface EdgeGuardDeps {
  edge: AgentConfig['slotEdge'];
  /** An entry's warm-up: its relay-on time is this long before its instant. */
  warmUpOf(e: TimetableEntry): number;
  scheduler: Scheduler;
  nowMs(): number;
  /** Whether the relay is on (the entry in hand is on air, not just preparing). */
  onAir(): boolean;
  log: Logger;
}

/** Carries out slotEdge's decisions at the newcomer's relay-on time; its timers outlive re-plans. */
export function createEdgeGuard(deps: EdgeGuardDeps) {
  /** Entries to be skipped because the one before them was still on air at their time, with why. */
  const busy = new Map<string, string>();
  const jobs = createJobs(deps.scheduler, deps.nowMs);
  return {
    /**
     * `next` comes while `held` is in hand; `stillHeld` tells at the edge whether it still is, and `cut`
     * cuts it (recorded `interrupted` with the reason).
     */
    contend(
      held: TimetableEntry,
      next: TimetableEntry,
      stillHeld: () => boolean,
      cut: (reason: ReasonCode, detail: string) => void,
    ): void {
      const d = slotEdge(held, next, deps.edge);
      if (d.action === 'wait') return;
      const act = () => {
        if (!stillHeld()) return;
        if (d.action === 'skip') {
          if (deps.onAir()) busy.set(next.id, d.detail);
          return;
        }
        deps.log.info(`runner: ${held.id} cut (${d.reason}): ${d.detail}`);
        cut(d.reason, d.detail);
      };
      jobs.arm(Date.parse(next.startsAt) - deps.warmUpOf(next) + (d.action === 'cut' ? d.afterMs : 0), act);
    },
    /** Why `entryId` is to be skipped as busy (once), or undefined. */
    takeBusy(entryId: string): string | undefined {
      const why = busy.get(entryId);
      busy.delete(entryId);
      return why;
    },
    cancel: jobs.cancel,
  };
}

export type EdgeGuard = ReturnType<typeof createEdgeGuard>;
