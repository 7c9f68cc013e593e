// What the runner does when an entry's time comes while another is still in hand: the precedence ranks
// decide between kinds of entries, the configured slot-edge choice between equals.
import type { TimetableEntry } from '../schedules/model.ts';
import { entryRank } from '../schedules/precedence.ts';
import type { AgentConfig } from './config.ts';

export type EdgeDecision =
  /** Cut the one in hand, `afterMs` after the newcomer's relay-on time, recording `reason`. */
  | { action: 'cut'; afterMs: number; reason: string; detail: string }
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
