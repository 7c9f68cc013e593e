// The one precedence table between emergency bulletins, local overrides, priority bulletins, quiet windows
// and the timetable, and the ranks the agent uses to decide what may cut what is on air.
import type { Alert } from './alerts.ts';
import type { TimetableEntry } from './model.ts';

/** A bulletin as one station knows it: when it arrived, when its clip was ready, when it started. */
export interface AlertPlan {
  alert: Alert;
  /** When the station received it (the controller's preview uses the issue time until a status says). */
  receivedAt: string;
  /** When its clip was on the station: an emergency starts then (or at receivedAt if absent). */
  readyAt?: string | null;
  /** When it went on air, once it has. */
  startedAt?: string | null;
}

/**
 * Highest first. `rank` orders what holds the air: an entry fired while one of a larger rank number is
 * on air cuts it; equal ranks follow the agent's slot-edge choice. The README shows this table.
 */
export const PRECEDENCE = [
  { rank: 1, what: 'emergency bulletin' },
  { rank: 2, what: 'local stop or pause' },
  { rank: 3, what: 'local quiet window' },
  { rank: 4, what: 'quiet window' },
  { rank: 5, what: 'priority bulletin' },
  { rank: 6, what: 'local announcement' },
  { rank: 7, what: 'local skip' },
  { rank: 8, what: 'timetable entry' },
  { rank: 9, what: 'normal bulletin' },
] as const;

/** The precedence rank of an entry that plays: 1 emergency, 5 priority, 6 announcement, 8 slot, 9 normal. */
export function entryRank(e: Pick<TimetableEntry, 'source'>): number {
  const s = e.source;
  if (!s) return 8;
  if (s.kind === 'announcement') return 6;
  return s.level === 'emergency' ? 1 : s.level === 'priority' ? 5 : 9;
}
