// The agent's status (GET /api/status and GET /healthz, also on the local page's servers) and its health
// message, both read from the parts at the moment they are asked for.
import type { Clock } from '../common/clock.ts';
import type { TimetableEntry } from '../schedules/model.ts';
import type { Health } from '../schedules/protocol.ts';
import type { AgentConfig } from './config/config.ts';
import type { ClockTrust } from './hardware/clock-trust.ts';
import { systemMetrics } from './hardware/metrics.ts';
import type { Relay, RelayLineState } from './hardware/relay.ts';
import type { Link } from './link/link.ts';
import { refusalReport } from './link/signatures.ts';
import type { Runner } from './playout/runner.ts';
import type { AgentStore } from './state/store.ts';

export const AGENT_VERSION = '0.1.0';

export interface AgentStatus {
  station: string;
  stationName: string | null;
  /** On while any relay line is on. */
  relay: { on: boolean };
  relays: RelayLineState[];
  /** True when no real pin is driven (gpio=sim, or onoff could not reach the pins). */
  relaySimulated: boolean;
  /** The entry on air (its id), or null. */
  playing: string | null;
  next: TimetableEntry[];
  desiredVersion: number;
  clockTrusted: boolean;
  clockOffsetMs: number | null;
  /** Whether the MQTT link to the controller is up. */
  online: boolean;
  outboxLength: number;
}

/** The parts the status and the health are read from. */
export interface StatusSources {
  config: Pick<AgentConfig, 'stationId' | 'dataDir'>;
  clock: Clock;
  store: AgentStore;
  relay: Relay;
  runner: Pick<Runner, 'status'>;
  trust: Pick<ClockTrust, 'trusted' | 'offsetMs'>;
  link: Pick<Link, 'connected'>;
  /** When the agent started (ms). */
  startedAt: number;
  thermalPath?: string;
}

export function agentStatus(s: StatusSources): AgentStatus {
  const { playing, next } = s.runner.status(10);
  return {
    station: s.config.stationId,
    stationName: s.store.getDesired()?.station.name ?? null,
    relay: { on: s.relay.on },
    relays: s.relay.lines(),
    relaySimulated: s.relay.simulated,
    playing,
    next,
    desiredVersion: s.store.desiredVersion(),
    clockTrusted: s.trust.trusted,
    clockOffsetMs: s.trust.offsetMs,
    online: s.link.connected,
    outboxLength: s.store.outboxLength(),
  };
}

export function agentHealth(s: StatusSources): Health {
  const now = s.clock.now().getTime();
  return {
    at: new Date(now).toISOString(),
    agentVersion: AGENT_VERSION,
    desiredVersion: s.store.desiredVersion(),
    relayOn: s.relay.on,
    playing: s.runner.status(0).playing,
    clockTrusted: s.trust.trusted,
    uptimeSec: Math.max(0, Math.round((now - s.startedAt) / 1000)),
    outboxLength: s.store.outboxLength(),
    relays: s.relay.lines(),
    relaySimulated: s.relay.simulated,
    clockOffsetMs: s.trust.offsetMs,
    ...systemMetrics({ dataDir: s.config.dataDir, thermalPath: s.thermalPath }),
    ...refusalReport(s.store),
  };
}
