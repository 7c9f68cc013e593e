// The embedded broker with the controller's link in its own process (as controller/main.ts runs it): as-run
// records acknowledged, desired states retained and confirmed, stations counted, and a close that drops
// every station at once.
import path from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../common/log.ts';
import { type Db, openDb } from '../../../controller/db.ts';
import { type EmbeddedBroker, startBroker } from '../../../controller/mqtt/broker.ts';
import { type ControllerLink, linkOver } from '../../../controller/mqtt/link.ts';
import { createLoadMetrics, type LoadMetrics } from '../../../controller/mqtt/load.ts';
import type { DesiredState } from '../../../schedules/model.ts';
import { topics } from '../../../schedules/protocol.ts';
import { registerStations } from '../../../scripts/sim/fleet.ts';
import type { SimCredential } from '../../../scripts/sim/messages.ts';
import { nextMessage, sendAsRun, stationLogin } from '../../support/mqtt/clients.ts';
import { skippedRecord } from '../../support/records.ts';
import { tempDir } from '../../support/temp.ts';
import { waitFor } from '../../support/wait.ts';

let tmp: ReturnType<typeof tempDir>;
let db: Db;
let broker: EmbeddedBroker;
let link: ControllerLink;
let metrics: LoadMetrics;
let creds: SimCredential[];
let connects = 0;
const clients: MqttClient[] = [];

beforeEach(async () => {
  tmp = tempDir('embedded');
  db = openDb(path.join(tmp.dir, 'controller.db'));
  creds = registerStations(db, 3, { prefix: 'emb' });
  broker = await startBroker(db, { host: '127.0.0.1', port: 0 }, silentLogger);
  metrics = createLoadMetrics({ processMetrics: false, connectedStations: () => broker.connectedStations() });
  connects = 0;
  link = linkOver(
    { db, clock: { now: () => new Date() }, log: silentLogger, metrics, onConnect: () => connects++ },
    broker.inProcess,
  );
  await waitFor(() => link.connected, 2000, 'the link up');
});

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.endAsync(true)));
  await link.close();
  await broker.close();
  db.close();
  tmp.cleanup();
});

async function station(i: number): Promise<MqttClient> {
  const { id, secret } = creds[i] as SimCredential;
  const c = await mqtt.connectAsync(`mqtt://127.0.0.1:${broker.port}`, stationLogin(id, secret));
  clients.push(c);
  return c;
}

describe('the controller linked in process to the embedded broker', () => {
  it('acknowledges as-run records once stored', async () => {
    expect(connects).toBe(1);
    const id = (creds[0] as SimCredential).id;
    const c = await station(0);
    expect(await sendAsRun(c, id, [skippedRecord(id, 'e1'), skippedRecord(id, 'e2')])).toEqual({
      ids: ['e1', 'e2'],
    });
    expect(db.prepare('SELECT id FROM plays ORDER BY id').pluck().all()).toEqual(['e1', 'e2']);
  });

  it('publishes desired states retained, says when the broker has them, and counts the stations connected', async () => {
    const id = (creds[1] as SimCredential).id;
    const state = { version: 7, station: { id } } as unknown as DesiredState;
    await new Promise<void>((resolve, reject) =>
      link.publishDesired(id, state, (err) => (err ? reject(err) : resolve())),
    );
    const c = await station(1);
    await station(2);
    const got = nextMessage(c, topics.desired(id));
    await c.subscribeAsync(topics.desired(id), { qos: 1 });
    expect(await got).toEqual(state);
    expect(broker.connectedStations()).toBe(2);
    expect(await metrics.registry.metrics()).toContain('loa_mqtt_stations_connected 2');
  });

  it('drops every station at once when it closes', async () => {
    const all = await Promise.all([0, 1, 2].map(station));
    const closed = all.map((c) => new Promise<void>((resolve) => c.once('close', () => resolve())));
    await link.close();
    await broker.close();
    await Promise.all(closed);
    expect(all.every((c) => !c.connected)).toBe(true);
    expect(link.connected).toBe(false);
  });
});
