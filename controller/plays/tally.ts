// What a report counts of the as-run log over a period: records by outcome, skips by reason, time on air.
import type { Counted } from './period.ts';

export interface Outcomes {
  records: number;
  played: number;
  skipped: Record<string, number>;
  failed: number;
  missed: number;
  interrupted: number;
  /** Relays heard and not heard, live sessions heard (issue 14). */
  relay: number;
  relayFailed: number;
  live: number;
  onAirMs: number;
  /** Of onAirMs: relays' and live sessions' sound heard. */
  relayMs: number;
  liveMs: number;
}

export const noOutcomes = (): Outcomes => ({
  records: 0,
  played: 0,
  skipped: {},
  failed: 0,
  missed: 0,
  interrupted: 0,
  relay: 0,
  relayFailed: 0,
  live: 0,
  onAirMs: 0,
  relayMs: 0,
  liveMs: 0,
});

export function addCounted(t: Outcomes, c: Counted): void {
  t.records += c.records;
  t.onAirMs += c.onAirMs;
  if (c.outcome === 'played') t.played += c.records;
  else if (c.outcome === 'relay') {
    t.relay += c.records;
    t.relayMs += c.onAirMs;
  } else if (c.outcome === 'live') {
    t.live += c.records;
    t.liveMs += c.onAirMs;
  } else if (c.outcome === 'relay-failed') t.relayFailed += c.records;
  else if (c.outcome === 'skipped') {
    const reason = c.reason ?? 'unknown';
    t.skipped[reason] = (t.skipped[reason] ?? 0) + c.records;
  } else if (c.outcome === 'failed' || c.outcome === 'missed' || c.outcome === 'interrupted')
    t[c.outcome] += c.records;
}

/** As shown: minutes on air to the hundredth, from the exact milliseconds. */
export function shown<T extends Outcomes>({ onAirMs, relayMs, liveMs, ...rest }: T) {
  const minutes = (ms: number) => Math.round(ms / 600) / 100;
  return {
    ...rest,
    minutesOnAir: minutes(onAirMs),
    minutesRelayed: minutes(relayMs),
    minutesLive: minutes(liveMs),
  };
}
