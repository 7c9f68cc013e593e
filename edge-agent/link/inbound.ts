// What the link receives: the desired state (validated, and only if newer than the applied one), as-run
// acknowledgements, and bulletins (passed on as they came, for the bulletins part to validate).
import type { Logger } from '../../common/log.ts';
import { DesiredState } from '../../schedules/model.ts';
import { AsRunAck, TOPIC_ROOT, topics } from '../../schedules/protocol.ts';
import type { AgentBus } from '../bus.ts';
import type { AgentStore } from '../state/store.ts';

export interface InboundDeps {
  stationId: string;
  store: AgentStore;
  log: Logger;
  bus: AgentBus;
  /** The broker acknowledged as-run records (they are removed from the outbox). */
  acked(): void;
}

export function createInbound(deps: InboundDeps) {
  const { stationId, store, log, bus } = deps;

  function desired(json: unknown): void {
    const parsed = DesiredState.safeParse(json);
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      log.warn(`mqtt: dropped invalid desired state (${first?.path.join('.')}: ${first?.message})`);
      return;
    }
    if (parsed.data.station.id !== stationId) {
      log.warn(`mqtt: dropped desired state for station ${parsed.data.station.id}`);
      return;
    }
    const applied = store.desiredVersion();
    if (parsed.data.version === applied) {
      // the retained state comes again on every (re)subscribe: expected, not worth a warning
      log.info(`mqtt: desired state v${applied} is already applied`);
    } else if (parsed.data.version < applied) {
      log.warn(`mqtt: dropped desired state v${parsed.data.version} (applied is v${applied})`);
    } else bus.emit('desiredReceived', parsed.data);
  }

  function ack(json: unknown): void {
    const parsed = AsRunAck.safeParse(json);
    if (!parsed.success) {
      log.warn('mqtt: dropped invalid as-run ack');
      return;
    }
    const removed = store.ackOutbox(parsed.data.ids);
    if (removed === 0) return; // a stale or foreign ack: the retry timer takes care of the rest
    log.info(`as-run: ${removed} records acknowledged, ${store.outboxLength()} left`);
    deps.acked();
  }

  return function onMessage(topic: string, payload: Buffer): void {
    if (topic.startsWith(`${TOPIC_ROOT}/alerts/`)) {
      bus.emit('bulletinReceived', { topic, payload });
      return;
    }
    let json: unknown;
    try {
      json = JSON.parse(payload.toString('utf8'));
    } catch {
      if (payload.length > 0 || topic !== topics.desired(stationId))
        log.warn(`mqtt: dropped non-JSON on ${topic}`);
      else log.warn(`mqtt: desired state was cleared on the broker; keeping the stored one`);
      return;
    }
    if (topic === topics.desired(stationId)) desired(json);
    else if (topic === topics.asRunAck(stationId)) ack(json);
    else log.warn(`mqtt: dropped message on unexpected topic ${topic}`);
  };
}
