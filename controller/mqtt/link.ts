// The controller's own MQTT client: publishes desired states and bulletins (republished at every
// connect, cleared at expiry), and hands what stations send to the ingest.
import mqtt, { type MqttClient } from 'mqtt';
import type { Clock } from '../../common/clock.ts';
import type { Logger } from '../../common/log.ts';
import type { DesiredState } from '../../schedules/model.ts';
import { TOPIC_ROOT, topics } from '../../schedules/protocol.ts';
import { republishAlerts, sweepExpiredAlerts } from '../alerts/publish.ts';
import type { Db } from '../db.ts';
import type { MessageBus } from '../deps.ts';
import { createStationIngest } from './ingest.ts';

export interface ControllerLinkDeps {
  db: Db;
  clock: Clock;
  log: Logger;
  url: string;
  username?: string;
  password?: string;
  /** Called on every (re)connect, so retained desired states survive a broker restart. */
  onConnect(): void;
  /** How often expired bulletins are looked for and their retained messages cleared (default 10 s). */
  alertSweepMs?: number;
}

export interface ControllerLink extends MessageBus {
  publishDesired(stationId: string, state: DesiredState): void;
  readonly connected: boolean;
  close(): Promise<void>;
}

export function connectControllerLink(deps: ControllerLinkDeps): ControllerLink {
  const { db, clock, log } = deps;
  const client: MqttClient = mqtt.connect(deps.url, {
    clientId: `controller-${process.pid}`,
    username: deps.username,
    password: deps.password,
    reconnectPeriod: 2000,
  });
  const bus: MessageBus = {
    publish: (topic, payload, opts) => client.publish(topic, payload, { qos: 1, retain: opts.retain }),
  };
  client.on('connect', () => {
    log.info(`mqtt: connected to ${deps.url}`);
    client.subscribe(`${TOPIC_ROOT}/station/+/+`, { qos: 1 });
    deps.onConnect();
    // aedes keeps retained messages in memory only: bulletins still running go out again.
    republishAlerts(db, bus, clock.now(), log);
  });
  client.on('error', (e) => log.warn(`mqtt: ${e.message}`));
  const sweep = setInterval(() => {
    if (client.connected) sweepExpiredAlerts(db, bus, clock.now(), log);
  }, deps.alertSweepMs ?? 10_000);
  sweep.unref();

  const ingest = createStationIngest(db, log);
  client.on('message', (topic, payload) => {
    const ack = ingest.handle(topic, payload, clock.now());
    if (ack) client.publish(topics.asRunAck(ack.stationId), JSON.stringify({ ids: ack.ids }), { qos: 1 });
  });

  return {
    ...bus,
    publishDesired: (stationId, state) =>
      client.publish(topics.desired(stationId), JSON.stringify(state), { qos: 1, retain: true }),
    get connected() {
      return client.connected;
    },
    close: async () => {
      clearInterval(sweep);
      await client.endAsync();
      ingest.flush();
    },
  };
}
