// The embedded broker of a province speaking v1 and v2: a v2 station logs in as `<id>@<province>` of this
// province only, and reads and writes only its own topics on its own root, as a v1 station does on v1.
import path from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Db, openDb } from '../../../controller/db.ts';
import { type EmbeddedBroker, startBroker } from '../../../controller/mqtt/broker.ts';
import { spokenRoots } from '../../../controller/mqtt/roots.ts';
import { protocolTopics, TOPIC_ROOT } from '../../../schedules/protocol.ts';
import { registerStations } from '../../../scripts/sim/fleet.ts';
import type { SimCredential } from '../../../scripts/sim/messages.ts';
import { recordingLogger } from '../../support/log.ts';
import { connectLink, stationLogin, tryConnect } from '../../support/mqtt/clients.ts';
import { freePort } from '../../support/process.ts';
import { tempDir } from '../../support/temp.ts';
import { waitFor } from '../../support/wait.ts';

const V1 = protocolTopics(TOPIC_ROOT);
const V2 = protocolTopics('loa/v2/can-tho');
const HUE = protocolTopics('loa/v2/hue');
let tmp: ReturnType<typeof tempDir>;
let db: Db;
let broker: EmbeddedBroker;
let creds: SimCredential[];
let log: ReturnType<typeof recordingLogger>;
const clients: MqttClient[] = [];
let url: string;

beforeEach(async () => {
  tmp = tempDir('v2-broker');
  db = openDb(path.join(tmp.dir, 'controller.db'));
  creds = registerStations(db, 2, { prefix: 'v2' });
  log = recordingLogger();
  broker = await startBroker(
    db,
    { host: '127.0.0.1', port: 0, roots: spokenRoots('can-tho', ['v1', 'v2']) },
    log,
  );
  url = `mqtt://127.0.0.1:${broker.port}`;
});

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.endAsync(true)));
  await broker.close();
  db.close();
  tmp.cleanup();
});

const v2Login = (id: string, secret: string, province = 'can-tho') =>
  stationLogin(`${id}@${province}`, secret);

async function connect(opts: mqtt.IClientOptions): Promise<MqttClient> {
  const c = await mqtt.connectAsync(url, opts);
  c.on('error', () => {});
  clients.push(c);
  return c;
}

/** The controller's own client, hearing everything of both roots. */
async function observer(): Promise<{ topics: string[] }> {
  const c = await connect({
    clientId: 'controller-test',
    username: 'controller',
    password: broker.controllerPassword,
  });
  const seen = { topics: [] as string[] };
  c.on('message', (t) => seen.topics.push(t));
  await c.subscribeAsync(['loa/v1/#', 'loa/v2/#'], { qos: 1 });
  return seen;
}

describe('a v2 station at the embedded broker', () => {
  it('logs in as <id>@<its province>; another province, or a client id not its own, is refused', async () => {
    const [a] = creds as [SimCredential];
    expect(await tryConnect(url, v2Login(a.id, a.secret))).toBe('accepted');
    expect(await tryConnect(url, stationLogin(a.id, a.secret))).toBe('accepted'); // v1, spoken too
    expect(await tryConnect(url, v2Login(a.id, a.secret, 'hue'))).toBe('refused');
    expect(await tryConnect(url, { ...v2Login(a.id, a.secret), clientId: `station-${a.id}` })).toBe(
      'refused',
    );
    expect(await tryConnect(url, v2Login(a.id, 'wrong-secret'))).toBe('refused');
    expect(log.lines.some((l) => l.includes('another province (hue)'))).toBe(true);
  });

  it('publishes only on its own topics of its own root: elsewhere the message is dropped and it is cut off', async () => {
    const [a, b] = creds as [SimCredential, SimCredential];
    const seen = await observer();
    const health = JSON.stringify({ hello: 'x' });
    const own = await connect(v2Login(a.id, a.secret));
    await own.publishAsync(V2.health(a.id), health, { qos: 1 });
    await own.publishAsync(V2.hello(a.id), health, { qos: 1 });
    await waitFor(() => seen.topics.includes(V2.hello(a.id)), 2000, 'its own hello heard');
    expect(seen.topics).toContain(V2.health(a.id));
    for (const topic of [V2.health(b.id), HUE.health(a.id), V1.health(a.id), V2.desired(a.id)]) {
      const c = await connect(v2Login(a.id, a.secret));
      const closed = new Promise<void>((r) => c.once('close', () => r()));
      c.publish(topic, health, { qos: 1 });
      await closed;
      expect(seen.topics).not.toContain(topic);
    }
  });

  it('reads only its own desired state, acks, roll call and bulletin filters on its root', async () => {
    const [a, b] = creds as [SimCredential, SimCredential];
    const c = await connect(v2Login(a.id, a.secret));
    // mqtt.js rejects a SUBACK 128 (refused)
    const granted = (topic: string) =>
      c.subscribeAsync(topic, { qos: 1 }).then(
        (g) => g[0]?.qos !== 128,
        () => false,
      );
    expect(await granted(V2.desired(a.id))).toBe(true);
    expect(await granted(V2.asRunAck(a.id))).toBe(true);
    expect(await granted(V2.rollCall)).toBe(true);
    expect(await granted(V1.desired(a.id))).toBe(false);
    expect(await granted(V1.rollCall)).toBe(false);
    expect(await granted(V2.desired(b.id))).toBe(false);
    expect(await granted(HUE.desired(a.id))).toBe(false);
    expect(await granted(HUE.rollCall)).toBe(false);
    expect(await granted(V2.alert({ scope: 'station', id: a.id }, '+'))).toBe(true);
    expect(await granted(V1.alert({ scope: 'station', id: a.id }, '+'))).toBe(false);
    expect(await granted(V2.alert({ scope: 'station', id: b.id }, '+'))).toBe(false);
    expect(broker.connectedStations()).toBe(1);
    broker.disconnect(a.id);
    await waitFor(() => broker.connectedStations() === 0, 2000, 'the station disconnected by id');
  });
});

describe("the controller's link to a cluster", () => {
  it('moves to the next node of MQTT_URL when one refuses the connection', async () => {
    const dead = await freePort();
    const link = await connectLink(db, broker, {
      url: `mqtt://127.0.0.1:${dead},mqtt://127.0.0.1:${broker.port}`,
      roots: spokenRoots('can-tho', ['v1', 'v2']),
    });
    expect(link.connected).toBe(true);
    await link.close();
  }, 20_000);
});

describe('a broker speaking v2 only', () => {
  it('refuses v1 logins', async () => {
    await broker.close();
    broker = await startBroker(
      db,
      { host: '127.0.0.1', port: 0, roots: spokenRoots('can-tho', ['v2']) },
      log,
    );
    url = `mqtt://127.0.0.1:${broker.port}`;
    const [a] = creds as [SimCredential];
    expect(await tryConnect(url, stationLogin(a.id, a.secret))).toBe('refused');
    expect(await tryConnect(url, v2Login(a.id, a.secret))).toBe('accepted');
  });
});
