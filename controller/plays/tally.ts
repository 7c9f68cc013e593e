// What a report counts of the as-run log over a period: records by outcome, skips by reason, time on air.
import type { Counted } from './period.ts';

export interface Outcomes {
  records: number;
  played: number;
  skipped: Record<string, number>;
  failed: number;
  missed: number;
  interrupted: number;
  onAirMs: number;
}

export const noOutcomes = (): Outcomes => ({
  records: 0,
  played: 0,
  skipped: {},
  failed: 0,
  missed: 0,
  interrupted: 0,
  onAirMs: 0,
});

export function addCounted(t: Outcomes, c: Counted): void {
  t.records += c.records;
  t.onAirMs += c.onAirMs;
  if (c.outcome === 'played') t.played += c.records;
  else if (c.outcome === 'skipped') {
    const reason = c.reason ?? 'unknown';
    t.skipped[reason] = (t.skipped[reason] ?? 0) + c.records;
  } else if (c.outcome === 'failed' || c.outcome === 'missed' || c.outcome === 'interrupted')
    t[c.outcome] += c.records;
}

/** As shown: minutes on air to the hundredth, from the exact milliseconds. */
export function shown<T extends Outcomes>({ onAirMs, ...rest }: T) {
  return { ...rest, minutesOnAir: Math.round(onAirMs / 600) / 100 };
}
