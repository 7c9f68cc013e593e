// Relay watchdog: switches the amplifier off when it has been on longer than any entry could need.
import { errorMessage, type Logger } from '../../common/log.ts';
import type { Relay } from './relay.ts';

export interface RelayWatchdogDeps {
  relay: Pick<Relay, 'on' | 'offSync'>;
  log: Logger;
  /** The longest the relay may stay on (ms); asked on every check, since re-plans change it. */
  maxOnMs(): number;
  /** Called after the watchdog switched the relay off, with how long it had been on. */
  onTrip(onForMs: number, limitMs: number): void;
  /** Monotonic milliseconds (a wall-clock jump must neither trip nor hide a stuck relay). */
  monotonic?: () => number;
  everyMs?: number;
}

/**
 * Polls the relay rather than trusting the runner's bookkeeping: whatever left it on (a hung
 * player, a bug, a stuck promise), the amplifier does not stay on over the street.
 */
export function startRelayWatchdog(deps: RelayWatchdogDeps): () => void {
  const monotonic = deps.monotonic ?? (() => performance.now());
  let onSince: number | null = null;
  const timer = setInterval(() => {
    if (!deps.relay.on) {
      onSince = null;
      return;
    }
    const now = monotonic();
    onSince ??= now;
    const onFor = now - onSince;
    const limit = deps.maxOnMs();
    if (onFor <= limit) return;
    onSince = null;
    try {
      deps.relay.offSync();
      deps.log.error(
        `watchdog: relay on for ${Math.round(onFor / 1000)} s (limit ${Math.round(limit / 1000)} s); switched off`,
      );
    } catch (err) {
      deps.log.error(`watchdog: relay on too long and cannot be switched off: ${errorMessage(err)}`);
    }
    deps.onTrip(onFor, limit);
  }, deps.everyMs ?? 1000);
  return () => clearInterval(timer);
}
