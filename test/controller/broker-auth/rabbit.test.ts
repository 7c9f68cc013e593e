// A real RabbitMQ node (Debian's 3.10, its MQTT plugin) asking the province's callback over HTTP: a station
// logs in and works on its own topics with the controller, a wrong password and another station's topics
// are refused, a revoked station's open connection is closed by the controller taking its client id, and a
// station revoked elsewhere is refused once the cache's lifetime (an injected clock) is over.
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCutOff } from '../../../controller/broker-auth/cut-off.ts';
import { revokeSecret } from '../../../controller/stations/store.ts';
import type { SimCredential } from '../../../scripts/sim/messages.ts';
import { recordingLogger } from '../../support/log.ts';
import {
  RABBIT_INSTALL,
  type RabbitCluster,
  rabbitAvailable,
  startRabbitCluster,
} from '../../support/rabbit-cluster.ts';
import { waitFor } from '../../support/wait.ts';
import { type AuthFixture, authFixture, CONTROLLER_PASSWORD, TOKEN } from './fixture.ts';

const available = rabbitAvailable();
if (!available) console.warn(`broker-auth RabbitMQ test skipped: not installed (${RABBIT_INSTALL})`);

const R = 'loa/v2/can-tho';
let t = Date.parse('2026-12-05T08:00:00Z');

describe.skipIf(!available)(
  "RabbitMQ asking the controller's callback (skipped without rabbitmq-server)",
  () => {
    let f: AuthFixture;
    let server: ReturnType<typeof serve>;
    let rabbit: RabbitCluster;
    const clients: MqttClient[] = [];

    beforeAll(async () => {
      f = authFixture({ clock: { now: () => new Date(t) }, cacheMs: 5000 });
      server = await new Promise((resolve) => {
        const s = serve({ fetch: f.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
      });
      const port = (server.address() as AddressInfo).port;
      rabbit = await startRabbitCluster({
        nodes: 1,
        authUrl: `http://127.0.0.1:${port}/broker-auth/${TOKEN}`,
      });
    }, 150_000);
    afterAll(async () => {
      await Promise.all(clients.map((c) => c.endAsync(true).catch(() => {})));
      await rabbit?.stop();
      server?.close();
      f?.cleanup();
    }, 30_000);

    const connect = async (username: string, password: string, clientId = `station-${username}`) => {
      const c = await mqtt.connectAsync(rabbit.nodes[0]?.mqttUrl ?? '', {
        clientId,
        username,
        password,
        reconnectPeriod: 0,
        protocolVersion: 4,
        connectTimeout: 10_000,
      });
      clients.push(c);
      return c;
    };
    const station = (i: number) => f.stations[i] as SimCredential;
    const login = (i: number) => connect(`${station(i).id}@can-tho`, station(i).secret);

    it('lets a station and its controller work on its own topics', async () => {
      const a = station(0);
      const ctl = await connect('controller@can-tho', CONTROLLER_PASSWORD, 'controller-test');
      const heard: string[] = [];
      ctl.on('message', (topic) => heard.push(topic));
      await ctl.subscribeAsync(`${R}/station/+/+`, { qos: 1 });
      const st = await login(0);
      const got: string[] = [];
      st.on('message', (topic, payload) => got.push(`${topic} ${payload}`));
      const granted = await st.subscribeAsync(
        [`${R}/station/${a.id}/desired`, `${R}/alerts/area/${a.areaPath[2]}/+`],
        { qos: 1 },
      );
      expect(granted.map((g) => g.qos)).toEqual([1, 1]);
      await st.publishAsync(`${R}/station/${a.id}/presence`, '{"online":true}', { qos: 1 });
      await waitFor(
        () => heard.includes(`${R}/station/${a.id}/presence`),
        10_000,
        'the presence at the controller',
      );
      await ctl.publishAsync(`${R}/station/${a.id}/desired`, 'v1', { qos: 1 });
      await ctl.publishAsync(`${R}/alerts/area/${a.areaPath[2]}/al-1`, 'bulletin', { qos: 1 });
      await waitFor(() => got.length === 2, 10_000, 'the desired state and the bulletin at the station');
      expect(got.sort()).toEqual([
        `${R}/alerts/area/${a.areaPath[2]}/al-1 bulletin`,
        `${R}/station/${a.id}/desired v1`,
      ]);
    }, 60_000);

    it('refuses a wrong password and a client id of another station', async () => {
      await expect(connect(`${station(1).id}@can-tho`, 'wrong')).rejects.toThrow();
      await expect(
        connect(`${station(1).id}@can-tho`, station(1).secret, `station-${station(2).id}@can-tho`),
      ).rejects.toThrow();
    }, 60_000);

    it("refuses another station's topics", async () => {
      const b = station(1);
      const st = await login(0);
      // a subscription refused (SUBACK failure) or the connection closed: either way nothing is heard
      const refused = await st
        .subscribeAsync(`${R}/station/${b.id}/desired`, { qos: 1 })
        .then((g) => g.every((x) => x.qos === 128))
        .catch(() => true);
      expect(refused).toBe(true);
      const wide = await login(2)
        .then((c) => c.subscribeAsync('loa/#', { qos: 1 }))
        .then((g) => g.every((x) => x.qos === 128))
        .catch(() => true);
      expect(wide).toBe(true);
      // a publish to another station's topic: MQTT 3.1.1 has no refusal, RabbitMQ closes the connection
      const writer = await login(1);
      const closed = new Promise<void>((resolve) => writer.once('close', () => resolve()));
      writer.publish(`${R}/station/${station(0).id}/presence`, 'forged', { qos: 1 });
      await closed;
    }, 60_000);

    it("closes a revoked station's open connection by taking over its client id", async () => {
      const b = station(1);
      const st = await login(1);
      const presence = `${R}/station/${b.id}/presence`;
      await st.publishAsync(presence, '{"online":true}', { qos: 1 });
      const closed = new Promise<void>((resolve) => st.once('close', () => resolve()));
      revokeSecret(f.db, b.id);
      f.auth.forget(b.id); // as the revoking API call does
      // RabbitMQ checked this topic once for this connection: it stays open and writable
      await st.publishAsync(presence, '{"online":true}', { qos: 1 });
      expect(st.connected).toBe(true);
      const log = recordingLogger();
      const cutOff = createCutOff({
        ...{ url: rabbit.nodes[0]?.mqttUrl ?? '', log, againAfterMs: 0 },
        ...{ username: 'controller@can-tho', password: CONTROLLER_PASSWORD },
        clientIdsOf: (id) => [`station-${id}@can-tho`],
      });
      cutOff.disconnect(b.id);
      await closed;
      await cutOff.settled();
      expect(log.lines).toEqual([
        `info station ${b.id}: any connection under 'station-${b.id}@can-tho' closed at the broker`,
      ]);
      await expect(login(1)).rejects.toThrow();
      // a station whose credentials did not change keeps its client id from the controller
      const a = await login(0);
      cutOff.disconnect(station(0).id);
      await cutOff.settled();
      expect(a.connected).toBe(true);
      expect(log.lines.at(-1)).toMatch(/^warn station .*could not be closed.*Bad username or password/);
    }, 60_000);

    it('refuses a station revoked elsewhere once the cache lifetime is over', async () => {
      const c = station(2);
      const first = await login(2);
      await first.endAsync();
      revokeSecret(f.db, c.id);
      t += 5000;
      await expect(login(2)).rejects.toThrow();
    }, 60_000);
  },
);
