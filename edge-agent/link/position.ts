// A mobile loudspeaker's position on its own station topic: retained, QoS 1, checked before it leaves (a
// receiver's nonsense is logged, not sent), and not sent again while it has not changed.
import type { MqttClient } from 'mqtt';
import type { Logger } from '../../common/log.ts';
import { MobilePosition, type ProtocolTopics, topics as v1 } from '../../schedules/protocol.ts';
import type { PositionSource } from '../hardware/position.ts';

export interface PositionReportDeps {
  stationId: string;
  log: Logger;
  source: PositionSource;
  /** The topics of the station's root; v1's by default. */
  topics?: ProtocolTopics;
  /** The client while connected, else null. */
  client(): MqttClient | null;
}

export function createPositionReport(deps: PositionReportDeps) {
  const { stationId, log } = deps;
  const topics = deps.topics ?? v1;
  let lastSent = '';
  let lastProblem = '';

  return {
    /** Publishes the current fix if it changed since the last one sent (or always, `force`: a new connection). */
    send(force: boolean): void {
      const client = deps.client();
      const fix = deps.source.current();
      if (!client || !fix) return;
      const p = MobilePosition.safeParse({
        lat: fix.lat,
        lon: fix.lon,
        accuracyM: fix.accuracyM,
        at: fix.at.toISOString(),
      });
      if (!p.success) {
        const i = p.error.issues[0];
        const problem = `${i?.path.join('.')}: ${i?.message}`;
        if (problem !== lastProblem) log.warn(`position: not sent, the receiver gave ${problem}`);
        lastProblem = problem;
        return;
      }
      lastProblem = '';
      const { at, ...where } = p.data;
      const key = JSON.stringify(where);
      if (!force && key === lastSent) return;
      lastSent = key;
      client.publish(topics.position(stationId), JSON.stringify(p.data), { qos: 1, retain: true }, (err) => {
        if (err) log.warn(`position: publish failed: ${err.message}`);
      });
    },
  };
}
