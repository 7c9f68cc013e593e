// What the link receives: the desired state (its signature checked, validated, and only if newer than the
// applied one), as-run acknowledgements, and bulletins (their signature checked, then passed on as they
// came, for the bulletins part to validate).
import type { Logger } from '../../common/log.ts';
import { DesiredState } from '../../schedules/model.ts';
import { AsRunAck, type ProtocolTopics } from '../../schedules/protocol.ts';
import type { AgentBus } from '../bus.ts';
import type { AgentStore } from '../state/store.ts';
import type { SignatureCheck } from './signatures.ts';

export interface InboundDeps {
  stationId: string;
  /** The topics of the station's root (v1, or v2 with its province). */
  topics: ProtocolTopics;
  store: AgentStore;
  log: Logger;
  bus: AgentBus;
  /** Checks the controller's signature on desired states and bulletins; refuses what fails. */
  signatures: SignatureCheck;
  /** The broker acknowledged as-run records (they are removed from the outbox). */
  acked(): void;
  /** The controller's roll call: answer with a hello (hello.ts). */
  rollCall?(payload: Buffer): void;
}

function parseOrNull(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

export function createInbound(deps: InboundDeps) {
  const { stationId, store, log, bus, signatures, topics } = deps;

  function desired(topic: string, json: unknown, text: string): void {
    if (!signatures.check('desired', topic, json, text)) return;
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
    signatures.learn(json);
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
    if (topic.startsWith(`${topics.root}/alerts/`)) {
      const text = payload.toString('utf8');
      if (payload.length > 0 && !signatures.check('bulletin', topic, parseOrNull(text), text)) return;
      bus.emit('bulletinReceived', { topic, payload });
      return;
    }
    if (topic === topics.rollCall) {
      deps.rollCall?.(payload);
      return;
    }
    let json: unknown;
    const text = payload.toString('utf8');
    try {
      json = JSON.parse(text);
    } catch {
      if (payload.length > 0 || topic !== topics.desired(stationId))
        log.warn(`mqtt: dropped non-JSON on ${topic}`);
      else log.warn(`mqtt: desired state was cleared on the broker; keeping the stored one`);
      return;
    }
    if (topic === topics.desired(stationId)) desired(topic, json, text);
    else if (topic === topics.asRunAck(stationId)) ack(json);
    else log.warn(`mqtt: dropped message on unexpected topic ${topic}`);
  };
}
