// The controller over a real aedes broker on an ephemeral port: desired state, as-run ingest, isolation.
import mqtt, { type MqttClient } from 'mqtt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../common/log.ts';
import { type EmbeddedBroker, startBroker } from '../../controller/mqtt/broker.ts';
import type { ControllerLink } from '../../controller/mqtt/link.ts';
import { topics } from '../../schedules/protocol.ts';
import { IN_SLOT_DATES, makeController, type TestController } from '../support/controller.ts';
import { connectLink, nextMessage, sendAsRun, stationLogin } from '../support/mqtt/clients.ts';
import { skippedRecord } from '../support/records.ts';

let ctl: TestController;
let broker: EmbeddedBroker;
let link: ControllerLink;
const clients: MqttClient[] = [];
const secrets: Record<string, string> = {};

beforeEach(async () => {
  ctl = await makeController(IN_SLOT_DATES);
  broker = await startBroker(ctl.db, { host: '127.0.0.1', port: 0 }, silentLogger);
  // Route the app's desired-state publishing through the real link from now on.
  ctl.published.push = (s) => {
    link.publishDesired(s.station.id, s);
    return 0;
  };
  await connectLink(ctl.db, broker, {
    onConnect: (l) => {
      link = l;
      ctl.desired.publishAll();
    },
  });
  for (const id of ['st-a', 'st-b']) {
    const r = await ctl.call('POST', '/api/stations', { id, name: id, district: 'd1', ward: `w-${id}` });
    secrets[id] = r.body.secret;
  }
});

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.endAsync(true)));
  await link.close();
  await broker.close();
  ctl.cleanup();
});

async function connectStation(id: string, password = secrets[id] as string): Promise<MqttClient> {
  const c = mqtt.connect(`mqtt://127.0.0.1:${broker.port}`, stationLogin(id, password));
  clients.push(c);
  await new Promise<void>((resolve, reject) => {
    c.once('connect', () => resolve());
    c.once('error', reject);
  });
  return c;
}

const record = skippedRecord;

describe('controller over MQTT', () => {
  it('a station receives its retained desired state on subscribe', async () => {
    const c = await connectStation('st-a');
    const got = nextMessage(c, topics.desired('st-a'));
    await c.subscribeAsync(topics.desired('st-a'), { qos: 1 });
    expect(await got).toMatchObject({ version: 1, station: { id: 'st-a' } });
  });

  it('stores as-run records exactly once and acknowledges them', async () => {
    const c = await connectStation('st-a');
    const batch = [record('st-a', 'e1'), record('st-a', 'e2')];
    for (let i = 0; i < 2; i++) expect(await sendAsRun(c, 'st-a', batch)).toEqual({ ids: ['e1', 'e2'] });
    const plays = await ctl.call('GET', '/api/plays?station=st-a');
    expect(plays.body.map((p: { id: string }) => p.id).sort()).toEqual(['e1', 'e2']);
    expect(plays.body[0]).toMatchObject({ outcome: 'skipped', reason: 'online-class' });
  });

  it('drops malformed payloads and records naming another station', async () => {
    const c = await connectStation('st-a');
    await c.publishAsync(topics.asRun('st-a'), 'not json', { qos: 1 });
    await c.publishAsync(topics.asRun('st-a'), JSON.stringify({ records: [{ id: 1 }] }), { qos: 1 });
    await c.publishAsync(topics.asRun('st-a'), JSON.stringify({ records: [record('st-b', 'forged')] }), {
      qos: 1,
    });
    // A valid batch after them proves the link is still alive and the others were dropped.
    await sendAsRun(c, 'st-a', [record('st-a', 'ok')]);
    expect((await ctl.call('GET', '/api/plays')).body.map((p: { id: string }) => p.id)).toEqual(['ok']);
  });

  it('a station cannot log in with a wrong secret, read another station or publish as it', async () => {
    const bad = mqtt.connect(`mqtt://127.0.0.1:${broker.port}`, stationLogin('st-a', 'st_wrong'));
    clients.push(bad);
    await expect(new Promise((_, reject) => bad.once('error', reject))).rejects.toThrow(
      /Not authorized|Bad username/i,
    );

    const a = await connectStation('st-a');
    // SUBACK 128: refused, and mqtt.js rejects the subscription.
    await expect(a.subscribeAsync(topics.desired('st-b'), { qos: 1 })).rejects.toThrow(/Subscribe error/);
    // Publishing as another station gets the connection closed (MQTT 3.1.1 has no other refusal).
    const closed = new Promise<void>((resolve) => a.once('close', () => resolve()));
    a.publish(topics.asRun('st-b'), JSON.stringify({ records: [record('st-b', 'x')] }), { qos: 1 });
    await closed;
    const b = await connectStation('st-b');
    await sendAsRun(b, 'st-b', [record('st-b', 'real')]);
    expect((await ctl.call('GET', '/api/plays')).body.map((p: { id: string }) => p.id)).toEqual(['real']);
  });

  it('a changed slot raises the version of affected stations only', async () => {
    ctl.db
      .prepare(
        `INSERT INTO clips (id, title, original_name, source_format, sha256, bytes, duration_ms, created_at)
         VALUES ('clip-a', 't', 't', 'wav', ?, 10, 1000, '2026-01-01T00:00:00Z')`,
      )
      .run('b'.repeat(64));
    const c = await connectStation('st-a');
    await c.subscribeAsync(topics.desired('st-a'), { qos: 1 });
    const v2 = new Promise<{ version: number }>((resolve) =>
      c.on('message', (_t, p) => {
        const s = JSON.parse(p.toString());
        if (s.version === 2) resolve(s);
      }),
    );
    await ctl.call('POST', '/api/slots', {
      clipIds: ['clip-a'],
      startTime: '06:30',
      weekdays: [1, 2, 3, 4, 5],
      startDate: '2026-11-01',
      endDate: '2027-01-31',
      target: { scope: 'station', id: 'st-a' },
    });
    expect((await v2).version).toBe(2);
    const stations = (await ctl.call('GET', '/api/stations')).body as {
      id: string;
      desiredVersion: number;
    }[];
    expect(Object.fromEntries(stations.map((s) => [s.id, s.desiredVersion]))).toEqual({
      'st-a': 2,
      'st-b': 1,
    });
  });
});
