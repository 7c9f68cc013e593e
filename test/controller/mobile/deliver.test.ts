// What the controller publishes for a mobile unit as an area's bulletin goes out, is withdrawn by its sender,
// is renamed by a reorganisation and expires, on the root the unit speaks, and what the unit's hello gets
// of its copies: the messages themselves, without a broker.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  alertPublished,
  type MobileDeps,
  mobileOver,
  receivePosition,
} from '../../../controller/mobile/deliver.ts';
import { createHelloAnswer } from '../../../controller/mqtt/hello.ts';
import { createStationRoots } from '../../../controller/mqtt/roots.ts';
import { protocolTopics, TOPIC_ROOT, topicRoot, topics } from '../../../schedules/protocol.ts';
import { makeController, type TestController } from '../../support/controller.ts';
import { recordingLogger } from '../../support/log.ts';

let ctl: TestController;
let now = new Date('2026-11-26T03:00:00Z');
const sent: { topic: string; payload: string }[] = [];
const bus = { publish: (topic: string, payload: string) => void sent.push({ topic, payload }) };
const deps = (): MobileDeps => mobileOver(ctl.db, recordingLogger(), bus);
const SQUARE = [
  [105.77, 10.03],
  [105.79, 10.03],
  [105.79, 10.05],
  [105.77, 10.05],
];

beforeEach(async () => {
  now = new Date('2026-11-26T03:00:00Z');
  sent.length = 0;
  ctl = await makeController({ now: () => now });
  for (const [id, ward] of [
    ['st-xe', 'w1'],
    ['st-cho', 'w2'],
  ])
    await ctl.call('POST', '/api/stations', { id, name: `Đài ${id}`, district: `d-${ward}`, ward });
  ctl.db
    .prepare(
      `INSERT INTO clips (id, title, original_name, source_format, sha256, bytes, duration_ms, created_at)
       VALUES ('clip-a', 't', 't', 'wav', ?, 10, 30000, '2026-01-01T00:00:00Z')`,
    )
    .run('a'.repeat(64));
  expect((await ctl.call('PUT', '/api/areas/w2/geometry', { polygon: SQUARE })).status).toBe(200);
});
afterEach(() => ctl.cleanup());

/** A fix of the unit at `lat` (10.04 is inside the market ward w2), stamped `when`. */
const fix = (lat: number, when = now) =>
  Buffer.from(JSON.stringify({ lat, lon: 105.78, accuracyM: 5, at: when.toISOString() }));
/** An emergency for the market ward w2; answers its id. */
async function fireInMarket(extra: object = {}): Promise<string> {
  const issued = await ctl.call('POST', '/api/alerts', {
    level: 'emergency',
    title: 'Cháy chợ',
    reason: 'Cháy',
    clipId: 'clip-a',
    targets: [{ scope: 'area', id: 'w2' }],
    ...extra,
  });
  expect(issued.status, JSON.stringify(issued.body)).toBe(201);
  return issued.body.id as string;
}

describe('a unit’s copy of an area’s bulletin', () => {
  it('goes out while it is inside, follows a withdrawal, survives a renaming and is cleared at expiry', async () => {
    const d = deps();
    receivePosition(d, 'st-xe', fix(10.04), now);
    const id = await fireInMarket({ expiresAt: new Date(now.getTime() + 3_600_000).toISOString() });
    const areaTopic = topics.alert({ scope: 'area', id: 'w2' }, id);
    const unitTopic = topics.alert({ scope: 'station', id: 'st-xe' }, id);

    alertPublished(d, areaTopic, '{}', now);
    expect(sent.map((m) => m.topic)).toEqual([unitTopic]);
    expect(JSON.parse(sent[0]?.payload ?? '')).toMatchObject({
      id,
      cancelledAt: null,
      targets: [
        { scope: 'area', id: 'w2' },
        { scope: 'station', id: 'st-xe' },
      ],
    });

    // The area's old topic cleared while the bulletin runs (a reorganisation renamed its area): copies stay.
    sent.length = 0;
    alertPublished(d, areaTopic, '', now);
    expect(sent).toEqual([]);

    // Withdrawn by its sender: the unit's copy says so.
    expect((await ctl.call('POST', `/api/alerts/${id}/cancel`, { reason: 'Đã dập tắt' })).status).toBe(200);
    alertPublished(d, areaTopic, '{}', now);
    expect(sent.map((m) => m.topic)).toEqual([unitTopic]);
    expect(JSON.parse(sent[0]?.payload ?? '').cancelledAt).toBeTruthy();

    // Expired: the unit's retained copy is cleared too.
    sent.length = 0;
    now = new Date(now.getTime() + 2 * 3_600_000);
    alertPublished(d, areaTopic, '', now);
    expect(sent).toEqual([{ topic: unitTopic, payload: '' }]);
  });

  it('is not sent for a bulletin of its home chain, which it reads anyway', async () => {
    const d = deps();
    receivePosition(d, 'st-xe', fix(10.04), now);
    const issued = await ctl.call('POST', '/api/alerts', {
      level: 'emergency',
      title: 'Bão',
      reason: 'Bão số 5',
      clipId: 'clip-a',
      targets: [
        { scope: 'area', id: 'w1' },
        { scope: 'area', id: 'w2' },
      ],
    });
    expect(issued.status).toBe(201);
    alertPublished(d, topics.alert({ scope: 'area', id: 'w1' }, issued.body.id), '{}', now);
    // the unit is inside w2 and hangs from w1: it gets the bulletin through w1's topic, no copy is needed
    expect(sent).toEqual([]);
  });
});

describe('a unit speaking v2 in a province speaking both', () => {
  it('gets its copies on its own root, and its hello gets the copy it lacks and the withdrawal it missed', async () => {
    const v2 = protocolTopics(topicRoot('can-tho'));
    const roots = createStationRoots(ctl.db, [TOPIC_ROOT, v2.root]);
    roots.heard(v2.presence('st-xe'), false); // the unit was last heard on v2
    const d = mobileOver(ctl.db, recordingLogger(), { ...bus, roots: roots.spoken }, roots);
    receivePosition(d, 'st-xe', fix(10.04), now);
    const id = await fireInMarket();
    alertPublished(d, topics.alert({ scope: 'area', id: 'w2' }, id), '{}', now);
    const unitTopic = v2.alert({ scope: 'station', id: 'st-xe' }, id);
    expect(sent.map((m) => m.topic)).toEqual([unitTopic]);

    const answered: { topic: string; payload: string }[] = [];
    const hello = createHelloAnswer({
      db: ctl.db,
      log: recordingLogger(),
      publish: (topic, payload) => answered.push({ topic, payload }),
      resendDesired: () => {},
    });
    const version = ctl.db.prepare("SELECT desired_version FROM stations WHERE id = 'st-xe'").pluck().get();
    const helloHolding = (alerts: string[]) =>
      hello(
        'st-xe',
        v2.root,
        Buffer.from(JSON.stringify({ desiredVersion: version, alerts, at: now.toISOString() })),
        now,
      );
    // its retained copy lost (another broker node): the hello gets it again, as its own
    expect(helloHolding([])).toEqual({ desired: false, sent: [id], ended: [] });
    expect(answered.map((m) => m.topic)).toEqual([unitTopic]);
    expect(JSON.parse(answered[0]?.payload ?? '').targets).toContainEqual({ scope: 'station', id: 'st-xe' });
    expect(helloHolding([id])).toEqual({ desired: false, sent: [], ended: [] });

    // it left the area while away: the hello of a unit still holding it gets the withdrawal
    const later = new Date(now.getTime() + 60_000);
    receivePosition(d, 'st-xe', fix(10.2, later), later);
    answered.length = 0;
    expect(helloHolding([id])).toEqual({ desired: false, sent: [], ended: [id] });
    expect(JSON.parse(answered[0]?.payload ?? '').cancelledAt).toBeTruthy();
    expect(helloHolding([])).toEqual({ desired: false, sent: [], ended: [] });
  });
});
