// Test harness for bulletins and overrides: the controller app wired as controller/main.ts wires it
// (bulletins published through the link to a real aedes broker), and stations connecting with their secret.
import mqtt, { type MqttClient } from 'mqtt';
import { resolveFfmpeg } from '../../audio/index.ts';
import type { Clock } from '../../common/clock.ts';
import { silentLogger } from '../../common/log.ts';
import { createApp } from '../../controller/http/app.ts';
import { type EmbeddedBroker, startBroker } from '../../controller/mqtt/broker.ts';
import { type ControllerLink, connectControllerLink } from '../../controller/mqtt/link.ts';
import { alertFilters } from '../../schedules/protocol.ts';
import { makeController } from '../support/controller.ts';

export interface StationSpec {
  id: string;
  district: string;
  ward: string;
}

export async function makeBulletinController(clock: Clock, stations: StationSpec[]) {
  const ctl = await makeController(clock);
  let broker: EmbeddedBroker = await startBroker(ctl.db, { host: '127.0.0.1', port: 0 }, silentLogger);
  const linkUp = () =>
    new Promise<ControllerLink>((resolve) => {
      const l = connectControllerLink({
        db: ctl.db,
        clock,
        log: silentLogger,
        url: `mqtt://127.0.0.1:${broker.port}`,
        username: 'controller',
        password: broker.controllerPassword,
        onConnect: () => resolve(l),
      });
    });
  let link = await linkUp();
  const app = createApp(
    {
      config: ctl.config,
      db: ctl.db,
      clock,
      ffmpeg: resolveFfmpeg(process.env),
      desired: ctl.desired,
      log: silentLogger,
      bus: { publish: (topic, payload, opts) => link.publish(topic, payload, opts) },
    },
    { mqttConnected: () => true },
  );
  const call = async (method: string, url: string, body?: unknown, token = ctl.token) => {
    const headers: Record<string, string> = { authorization: `Bearer ${token}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await app.request(url, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    // biome-ignore lint/suspicious/noExplicitAny: tests read JSON answers loosely
    return { status: res.status, body: (text ? JSON.parse(text) : null) as any };
  };
  const secrets: Record<string, string> = {};
  for (const s of stations) {
    const r = await call('POST', '/api/stations', { name: `Đài ${s.id}`, ...s });
    secrets[s.id] = r.body.secret;
  }
  const clients: MqttClient[] = [];

  /** A station connected with its secret, subscribed to its bulletin filters; `alerts` collects them. */
  const station = async (id: string, subscribe = true) => {
    const c = await mqtt.connectAsync(`mqtt://127.0.0.1:${broker.port}`, {
      clientId: `station-${id}`,
      username: id,
      password: secrets[id],
      reconnectPeriod: 0,
    });
    clients.push(c);
    const alerts: { topic: string; payload: string }[] = [];
    c.on('message', (topic, p) => {
      if (topic.startsWith('loa/v1/alerts/')) alerts.push({ topic, payload: p.toString() });
    });
    const spec = stations.find((s) => s.id === id);
    if (subscribe && spec) await c.subscribeAsync(alertFilters(spec), { qos: 1 });
    return { c, alerts };
  };

  return {
    ctl,
    app,
    call,
    station,
    secrets,
    get broker() {
      return broker;
    },
    get link() {
      return link;
    },
    /** Closes link and broker, then starts an empty broker and connects a new link (a broker restart). */
    restartBroker: async (between: () => void = () => {}) => {
      await link.close();
      await broker.close();
      between();
      broker = await startBroker(ctl.db, { host: '127.0.0.1', port: 0 }, silentLogger);
      link = await linkUp();
    },
    close: async () => {
      await Promise.all(clients.splice(0).map((c) => c.endAsync(true)));
      await link.close();
      await broker.close();
      ctl.cleanup();
    },
  };
}

export type BulletinController = Awaited<ReturnType<typeof makeBulletinController>>;
