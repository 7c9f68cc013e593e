// The controller app wired as controller/main.ts wires it for bulletins and overrides: what it sends goes
// through the link to a real aedes broker, and stations connect to that broker with their secrets.
import mqtt, { type MqttClient } from 'mqtt';
import type { Clock } from '../../common/clock.ts';
import { silentLogger } from '../../common/log.ts';
import { type EmbeddedBroker, startBroker } from '../../controller/mqtt/broker.ts';
import type { ControllerLink } from '../../controller/mqtt/link.ts';
import { alertFilters } from '../../schedules/protocol.ts';
import { makeController } from './controller.ts';
import { connectLink, stationLogin } from './mqtt/clients.ts';
import { TEST_SIGNER } from './signing.ts';

/** A station placed as before the area tree (its district under the root 'city', its ward under that). */
export interface StationSpec {
  id: string;
  district: string;
  ward: string;
}

/** The chain of areas a StationSpec's station hangs from. */
export const specPath = (s: StationSpec) => ['city', s.district, s.ward];

/** `roots`: the MQTT roots the broker and the link speak (controller/mqtt/roots.ts); default v1 only. */
export async function makeBulletinController(
  clock: Clock,
  stations: StationSpec[],
  roots?: readonly string[],
) {
  let broker: EmbeddedBroker;
  let link: ControllerLink;
  const ctl = await makeController(
    clock,
    {},
    { bus: { publish: (topic, payload, opts) => link.publish(topic, payload, opts), roots } },
  );
  const brokerUp = () => startBroker(ctl.db, { host: '127.0.0.1', port: 0, roots }, silentLogger);
  broker = await brokerUp();
  const linkUp = () => connectLink(ctl.db, broker, { clock, signer: TEST_SIGNER.signer, roots });
  link = await linkUp();
  const { app, call } = ctl;
  const secrets: Record<string, string> = {};
  for (const s of stations) {
    const r = await call('POST', '/api/stations', { name: `Đài ${s.id}`, ...s });
    secrets[s.id] = r.body.secret;
  }
  const clients: MqttClient[] = [];

  /** A station connected with its secret, subscribed to its bulletin filters; `alerts` collects them. */
  const station = async (id: string, subscribe = true) => {
    const c = await mqtt.connectAsync(`mqtt://127.0.0.1:${broker.port}`, stationLogin(id, secrets[id]));
    clients.push(c);
    const alerts: { topic: string; payload: string }[] = [];
    c.on('message', (topic, p) => {
      if (topic.startsWith('loa/v1/alerts/')) alerts.push({ topic, payload: p.toString() });
    });
    const spec = stations.find((s) => s.id === id);
    if (subscribe && spec) await c.subscribeAsync(alertFilters({ id, areaPath: specPath(spec) }), { qos: 1 });
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
      broker = await brokerUp();
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
