// Closing a station's open connection by taking over its client ids, at a real MQTT broker (aedes over
// TCP, which like RabbitMQ gives an id to its newest connection): every id the station may use, once at
// once and once more after the answers' lifetime (a connection a router's cached `allow` let back in),
// the nodes tried in order, and a broker that cannot be reached logged with its reason, nothing thrown.
// RabbitMQ itself, with the callback deciding who may take the id: rabbit.test.ts and test/cluster/.
import mqtt, { type MqttClient } from 'mqtt';
import { afterEach, expect, it } from 'vitest';
import { createCutOff } from '../../../controller/broker-auth/cut-off.ts';
import { startBroker } from '../../edge-agent/helpers.ts';
import { recordingLogger } from '../../support/log.ts';
import { freePort } from '../../support/process.ts';
import { waitFor } from '../../support/wait.ts';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A station's connection; `closes` counts how often the broker closed it. */
async function station(url: string, clientId: string) {
  const c: MqttClient = await mqtt.connectAsync(url, { clientId, reconnectPeriod: 0 });
  const watched = { client: c, closes: 0 };
  c.on('close', () => watched.closes++);
  cleanups.push(() => c.endAsync(true));
  return watched;
}

it('closes the connections under every client id of the station, and again after the answers’ lifetime', async () => {
  const broker = await startBroker();
  cleanups.push(() => broker.close());
  const log = recordingLogger();
  const { lines } = log;
  const cutOff = createCutOff({
    ...{ url: broker.url, username: 'controller@can-tho', password: 'pw', log, againAfterMs: 1500 },
    clientIdsOf: (id) => [`station-${id}@can-tho`, `station-${id}`],
  });
  cleanups.push(() => cutOff.stop());
  const v2 = await station(broker.url, 'station-st-a@can-tho');
  const v1 = await station(broker.url, 'station-st-a');
  const other = await station(broker.url, 'station-st-b@can-tho');

  cutOff.disconnect('st-a');
  await cutOff.settled();
  await waitFor(() => v2.closes === 1 && v1.closes === 1, 5000, 'both of its connections closed');
  expect(lines.filter((l) => l.startsWith('info'))).toHaveLength(2);
  // back in before the answers it had expired everywhere (a router's cache): closed once more
  const again = await station(broker.url, 'station-st-a@can-tho');
  await waitFor(
    () => again.closes === 1,
    5000,
    'the connection made meanwhile closed by the second take-over',
  );
  await cutOff.settled();
  expect(other.client.connected).toBe(true);
  expect(other.closes).toBe(0);
});

it('tries the next node when one does not answer, and logs what it could not close', async () => {
  const broker = await startBroker();
  cleanups.push(() => broker.close());
  const down = `mqtt://127.0.0.1:${await freePort()}`;
  const log = recordingLogger();
  const { lines } = log;
  const next = createCutOff({
    ...{ url: `${down}, ${broker.url}`, username: 'c', password: 'pw', log, againAfterMs: 0 },
    clientIdsOf: (id) => [`station-${id}`],
  });
  const st = await station(broker.url, 'station-st-c');
  next.disconnect('st-c');
  await next.settled();
  await waitFor(() => st.closes === 1, 5000, 'closed through the second node');

  const none = createCutOff({
    ...{ url: down, username: 'c', password: 'pw', log, againAfterMs: 0, connectTimeoutMs: 2000 },
    clientIdsOf: (id) => [`station-${id}`],
  });
  none.disconnect('st-d');
  await none.settled();
  expect(lines.at(-1)).toMatch(
    /^warn station st-d: its connection under 'station-st-d' could not be closed at the broker \(mqtt:\/\/127\.0\.0\.1:\d+: .*ECONNREFUSED.*\); it stays until it reconnects$/,
  );
});
