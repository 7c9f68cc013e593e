// MQTT clients for tests: the controller's link and stations logging in with their secrets, against the
// embedded aedes broker or Mosquitto; single connection attempts and the next message on a topic.
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { silentLogger } from '../../../common/log.ts';
import type { Db } from '../../../controller/db.ts';
import {
  type ControllerLink,
  type ControllerLinkDeps,
  connectControllerLink,
} from '../../../controller/mqtt/link.ts';
import { type AsRunRecord, topics } from '../../../schedules/protocol.ts';

/** The next message on `topic`, parsed as JSON. */
export const nextMessage = (c: MqttClient, topic: string) =>
  new Promise<unknown>((resolve) => {
    c.on('message', (t, p) => t === topic && resolve(JSON.parse(p.toString())));
  });

/** Publishes an as-run batch as station `stationId` and answers the controller's acknowledgement. */
export async function sendAsRun(c: MqttClient, stationId: string, records: AsRunRecord[]): Promise<unknown> {
  await c.subscribeAsync(topics.asRunAck(stationId), { qos: 1 });
  const ack = nextMessage(c, topics.asRunAck(stationId));
  await c.publishAsync(topics.asRun(stationId), JSON.stringify({ records }), { qos: 1 });
  return ack;
}

/**
 * The controller's link to the embedded broker at `broker.port` (user `controller`, the broker's
 * password) or to another broker (`deps.url`, `deps.username`, `deps.password`), as controller/main.ts
 * makes it, on the system clock and silent unless `deps` say otherwise; resolves once it is connected
 * (after `onConnect`, which is given the link on every connect).
 */
export function connectLink(
  db: Db,
  broker: { port: number; controllerPassword?: string } | null,
  deps: Partial<Omit<ControllerLinkDeps, 'db' | 'onConnect'>> & {
    onConnect?(link: ControllerLink): void;
  } = {},
): Promise<ControllerLink> {
  return new Promise((resolve) => {
    const link = connectControllerLink({
      db,
      clock: { now: () => new Date() },
      log: silentLogger,
      url: `mqtt://127.0.0.1:${broker?.port}`,
      username: 'controller',
      password: broker?.controllerPassword,
      ...deps,
      onConnect: () => {
        deps.onConnect?.(link);
        resolve(link);
      },
    });
  });
}

/** The options a station logs in with: client id `station-<id>`, its id and secret, never reconnecting. */
export const stationLogin = (
  id: string,
  secret: string | undefined,
  extra: IClientOptions = {},
): IClientOptions => ({
  clientId: `station-${id}`,
  username: id,
  password: secret,
  reconnectPeriod: 0,
  ...extra,
});

export type ConnectOutcome = 'accepted' | 'refused' | 'closed';

/** One connection attempt with mqtt.js, never retried; ends the client whatever happened. */
export function tryConnect(url: string, opts: IClientOptions): Promise<ConnectOutcome> {
  return new Promise((resolve) => {
    const c = mqtt.connect(url, { ...opts, reconnectPeriod: 0, connectTimeout: 5000 });
    const done = (outcome: ConnectOutcome) => {
      c.removeAllListeners();
      c.on('error', () => {});
      c.end(true, () => resolve(outcome));
    };
    c.once('connect', () => done('accepted'));
    c.once('error', () => done('refused'));
    c.once('close', () => done('closed'));
  });
}
