// Bulletin topics and the broker ACL follow the tree, at 2, 3 and 5 levels: a station reads the bulletins of
// every area of its chain and its own, never a sibling's, through the embedded broker and through Mosquitto
// with the generated files; a bulletin for several areas goes out once per target.
import mqtt, { type MqttClient } from 'mqtt';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../../../common/log.ts';
import { type EmbeddedBroker, startBroker } from '../../../controller/mqtt/broker.ts';
import { mosquittoFiles, readStationsForBroker } from '../../../controller/mqtt/broker-files.ts';
import type { ControllerLink } from '../../../controller/mqtt/link.ts';
import { brokerHash, newSecret } from '../../../controller/users/secrets.ts';
import { alertFilters } from '../../../schedules/protocol.ts';
import { makeController, type TestController } from '../../support/controller.ts';
import { connectLink, stationLogin } from '../../support/mqtt/clients.ts';
import { findMosquitto, type Mosquitto, startMosquitto } from '../../support/mqtt/mosquitto.ts';
import { buildTree, FIVE_LEVELS, THREE_LEVELS, type TreeSpec, TWO_LEVELS } from './trees.ts';

/** For each tree: a station at the bottom of a chain, and the leaf area of another branch. */
const CASES: [string, TreeSpec, string, string][] = [
  ['two', TWO_LEVELS, 'st-long-ho', 'phuong-an-hoi'],
  ['three', THREE_LEVELS, 'st-kp-1', 'kp-2'],
  ['five', FIVE_LEVELS, 'st-xom-3', 'xa-da-son'],
];

let ctl: TestController;
let broker: EmbeddedBroker | null = null;
let mosquitto: Mosquitto | null = null;
let link: ControllerLink | null = null;
const clients: MqttClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.endAsync(true)));
  await link?.close();
  await broker?.close();
  await mosquitto?.stop();
  link = null;
  broker = null;
  mosquitto = null;
  ctl?.cleanup();
});

async function world(spec: TreeSpec) {
  ctl = await makeController(undefined, {}, { bus: { publish: (t, p, o) => link?.publish(t, p, o) } });
  const secrets = await buildTree(ctl, spec);
  ctl.db
    .prepare(
      `INSERT INTO clips (id, title, original_name, source_format, sha256, bytes, duration_ms, created_at)
       VALUES ('clip-a', 'Cảnh báo', 't.wav', 'wav', ?, 10, 30000, '2026-01-01T00:00:00Z')`,
    )
    .run('a'.repeat(64));
  return secrets;
}

/** Sends an emergency to these areas through the API; answers its id. */
async function bulletin(areas: string[]): Promise<string> {
  const r = await ctl.call('POST', '/api/alerts', {
    level: 'emergency',
    title: 'Cảnh báo lũ',
    reason: 'Nước lên',
    clipId: 'clip-a',
    targets: areas.map((id) => ({ scope: 'area', id })),
  });
  if (r.status !== 201) throw new Error(JSON.stringify(r.body));
  return r.body.id;
}

const inbox = (c: MqttClient) => {
  const got: string[] = [];
  c.on('message', (topic, p) => p.length && got.push(topic));
  return got;
};

describe('the embedded broker', () => {
  for (const [name, spec, stationId, sibling] of CASES) {
    it(`a station of a ${name}-level tree reads its chain's bulletins and its own, no sibling's`, async () => {
      const secrets = await world(spec);
      broker = await startBroker(ctl.db, { host: '127.0.0.1', port: 0 }, silentLogger);
      link = await connectLink(ctl.db, broker);
      const path = (await ctl.call('GET', `/api/stations/${stationId}`)).body.areaPath as string[];
      expect(path).toHaveLength(Number({ two: 2, three: 3, five: 5 }[name]));
      const c = await mqtt.connectAsync(
        `mqtt://127.0.0.1:${broker.port}`,
        stationLogin(stationId, secrets[stationId]),
      );
      clients.push(c);
      const got = inbox(c);
      await c.subscribeAsync(alertFilters({ id: stationId, areaPath: path }), { qos: 1 });
      for (const filter of [
        `loa/v1/alerts/area/${sibling}/+`,
        'loa/v1/alerts/area/+/+',
        'loa/v1/alerts/#',
        'loa/v1/alerts/city/all/+',
      ])
        await expect(c.subscribeAsync(filter, { qos: 1 }), filter).rejects.toThrow(/Subscribe error/);
      const mine = [];
      for (const area of path) mine.push(await bulletin([area]));
      await bulletin([sibling]);
      // one bulletin for the whole chain and the sibling goes out once per target
      const all = await bulletin([...path, sibling]);
      await vi.waitFor(() => expect(got.filter((t) => t.endsWith(all))).toHaveLength(path.length));
      const seen = [...new Set(got.map((t) => t.split('/').at(-1)))];
      expect(seen.sort()).toEqual([...mine, all].sort());
    });
  }
});

describe('Mosquitto with the generated files', () => {
  let bin: string;
  beforeAll(() => {
    const found = findMosquitto();
    if (!found) throw new Error('mosquitto not found: install mosquitto (apt-get install mosquitto)');
    bin = found;
  });

  it("a station of a five-level tree reads its chain's bulletins and its own, no sibling's", async () => {
    const [, spec, stationId, sibling] = CASES[2] as (typeof CASES)[2];
    const secrets = await world(spec);
    const password = newSecret('ctl');
    const files = mosquittoFiles(readStationsForBroker(ctl.db), {
      username: 'controller',
      brokerHash: brokerHash(password),
    });
    expect(files.acl).toContain(
      `user ${stationId}\n${['nghe-an', 'huyen-nam-dan', 'xa-kim-lien', 'thon-sen-1', 'xom-3']
        .map((a) => `topic read loa/v1/alerts/area/${a}/+`)
        .join('\n')}\n`,
    );
    mosquitto = await startMosquitto(bin, files);
    link = await connectLink(ctl.db, null, { url: mosquitto.url, username: 'controller', password });
    const path = (await ctl.call('GET', `/api/stations/${stationId}`)).body.areaPath as string[];
    const c = await mqtt.connectAsync(mosquitto.url, stationLogin(stationId, secrets[stationId]));
    clients.push(c);
    const got = inbox(c);
    // Mosquitto grants a subscription it will not serve: the sibling's bulletins simply never arrive
    await c.subscribeAsync(
      [...alertFilters({ id: stationId, areaPath: path }), `loa/v1/alerts/area/${sibling}/+`],
      {
        qos: 1,
      },
    );
    const mine = [];
    for (const area of path) mine.push(await bulletin([area]));
    const theirs = await bulletin([sibling]);
    const last = await bulletin([path.at(-1) as string]);
    await vi.waitFor(() => expect(got.some((t) => t.endsWith(last))).toBe(true));
    expect(got.some((t) => t.endsWith(theirs))).toBe(false);
    expect([...new Set(got.map((t) => t.split('/').at(-1)))].sort()).toEqual([...mine, last].sort());
  });
});
