// Applying a desired state: one for this station and newer than the applied one is stored (and parsed
// once, state/store.ts), then announced on the bus for the runner, the overrides, the clips and the link.
import type { Clock } from '../common/clock.ts';
import type { Logger } from '../common/log.ts';
import type { DesiredState } from '../schedules/model.ts';
import type { AgentBus } from './bus.ts';
import type { AgentStore } from './state/store.ts';

export interface DesiredDeps {
  stationId: string;
  clock: Clock;
  store: AgentStore;
  log: Logger;
  bus: AgentBus;
}

const OWNER = 'desired';

export function createDesired(deps: DesiredDeps) {
  const { store, log, bus } = deps;

  /** Stores `state` if it is for this station and newer; returns whether it was applied. */
  function apply(state: DesiredState): boolean {
    if (state.station.id !== deps.stationId) {
      log.warn(`desired state for station ${state.station.id} ignored`);
      return false;
    }
    const previous = store.getDesired()?.station ?? null;
    if (!store.applyDesired(state, deps.clock.now().toISOString())) return false;
    log.info(
      `desired state v${state.version} applied (${state.slots.length} slots, ${state.clips.length} clips)`,
    );
    bus.emit('desiredApplied', { state: store.getDesired() ?? state, previous });
    return true;
  }

  return {
    apply,
    /** Applies what comes over the link. */
    start(): void {
      bus.on('desiredReceived', OWNER, (state) => void apply(state));
    },
    stop(): void {
      bus.removeListeners(OWNER);
    },
  };
}
