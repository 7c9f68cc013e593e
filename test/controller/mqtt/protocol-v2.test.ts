// The controller's link speaking v1 and v2 (docs/protocol.md): it subscribes to its own roots only, learns
// each station's root from what the station says, sends each desired state once on that root, answers
// hellos with what the station lacks and calls the roll after it connects. Over a recording transport.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ControllerLink, type LinkTransport, linkOver } from '../../../controller/mqtt/link.ts';
import { spokenRoots } from '../../../controller/mqtt/roots.ts';
import type { DesiredState } from '../../../schedules/model.ts';
import { protocolTopics, TOPIC_ROOT } from '../../../schedules/protocol.ts';
import { makeController } from '../../support/controller.ts';
import { recordingLogger } from '../../support/log.ts';

const ROOTS = spokenRoots('can-tho', ['v1', 'v2']);
const V1 = protocolTopics(TOPIC_ROOT);
const V2 = protocolTopics('loa/v2/can-tho');
let now = new Date('2026-12-05T03:00:00Z');
const clock = { now: () => now };

interface Sent {
  topic: string;
  payload: string;
  retain: boolean;
}

/** A transport that records what is published and lets the test deliver messages. */
function recordingTransport() {
  const sent: Sent[] = [];
  let on: Parameters<LinkTransport['start']>[1] | null = null;
  let filters: readonly string[] = [];
  const transport: LinkTransport = {
    name: 'recording',
    connected: true,
    publish: (topic, payload, retain, done) => {
      sent.push({ topic, payload, retain });
      done?.();
    },
    start: (f, o) => {
      filters = f;
      on = o;
    },
    end: async () => {},
  };
  return {
    transport,
    sent,
    filters: () => filters,
    up: () => on?.up(),
    deliver: (topic: string, message: unknown, retained = false) =>
      on?.message(
        topic,
        Buffer.from(typeof message === 'string' ? message : JSON.stringify(message)),
        retained,
      ),
  };
}

let ctl: Awaited<ReturnType<typeof makeController>>;
let rec: ReturnType<typeof recordingTransport>;
let link: ControllerLink;
let log: ReturnType<typeof recordingLogger>;
let resent: string[][];

const hello = (desiredVersion: number, alerts: string[] = []) => ({
  desiredVersion,
  alerts,
  at: now.toISOString(),
});
const state = (id: string) => ({ version: 1, station: { id } }) as unknown as DesiredState;
const tick = () => new Promise((r) => setImmediate(r));

beforeEach(async () => {
  now = new Date('2026-12-05T03:00:00Z');
  log = recordingLogger();
  resent = [];
  ctl = await makeController(
    clock,
    {},
    { bus: { publish: (t, p, o) => link.publish(t, p, o), roots: ROOTS } },
  );
  rec = recordingTransport();
  link = linkOver(
    {
      db: ctl.db,
      clock,
      log,
      roots: ROOTS,
      onConnect: () => {},
      resendDesired: (ids) => resent.push(ids),
      rollCallWithinMs: 5000,
    },
    rec.transport,
  );
  for (const [id, district, ward] of [
    ['st-a', 'd1', 'w1'],
    ['st-b', 'd1', 'w2'],
    ['st-c', 'd2', 'w3'],
  ] as const)
    expect((await ctl.call('POST', '/api/stations', { id, name: `Đài ${id}`, district, ward })).status).toBe(
      201,
    );
  ctl.db
    .prepare(
      `INSERT INTO clips (id, title, original_name, source_format, sha256, bytes, duration_ms, created_at)
       VALUES ('clip-a', 't', 't', 'wav', ?, 10, 30000, '2026-01-01T00:00:00Z')`,
    )
    .run('a'.repeat(64));
});
afterEach(async () => {
  await link.close();
  ctl.cleanup();
});

const bulletin = async (targets: object[]) => {
  const r = await ctl.call('POST', '/api/alerts', {
    level: 'emergency',
    title: 'Cảnh báo',
    reason: 'Bão số 5',
    clipId: 'clip-a',
    targets,
  });
  expect(r.status).toBe(201);
  await tick(); // announced at the next turn of the event loop (alerts/issue.ts)
  return r.body.id as string;
};

describe('a controller speaking v1 and v2', () => {
  it('subscribes to its own roots only, and calls the roll on each after it connects', () => {
    expect(rec.filters()).toEqual(['loa/v1/station/+/+', 'loa/v2/can-tho/station/+/+']);
    rec.up();
    const calls = rec.sent.filter((m) => m.topic.endsWith('/control/roll-call'));
    expect(calls.map((m) => m.topic)).toEqual([V1.rollCall, V2.rollCall]);
    expect(calls.every((m) => !m.retain)).toBe(true);
    expect(JSON.parse(calls[0]?.payload ?? '')).toEqual({ at: now.toISOString(), withinMs: 5000 });
  });

  it('sends a bulletin on both roots, one retained message per target', async () => {
    const id = await bulletin([{ scope: 'district', id: 'd1' }]);
    const topics = rec.sent.filter((m) => m.topic.includes('/alerts/')).map((m) => m.topic);
    expect(topics.sort()).toEqual([`loa/v1/alerts/area/d1/${id}`, `loa/v2/can-tho/alerts/area/d1/${id}`]);
  });

  it('learns a station root from what it says now, not from retained copies, and keeps it', async () => {
    rec.deliver(V2.presence('st-a'), { online: true, at: now.toISOString() }, true);
    const root = () => ctl.db.prepare("SELECT mqtt_root FROM stations WHERE id = 'st-a'").pluck().get();
    expect(root()).toBeNull();
    rec.deliver(V2.hello('st-a'), hello(0));
    expect(root()).toBe('loa/v2/can-tho');
    rec.sent.length = 0;
    // it moves back to v1 (its config edited): its retained messages on v2 are cleared
    rec.deliver(V1.health('st-a'), { bad: 'health' });
    expect(root()).toBe('loa/v1');
    expect(rec.sent.filter((m) => m.payload === '' && m.retain).map((m) => m.topic)).toContain(
      V2.desired('st-a'),
    );
    await tick();
  });

  it('publishes each station state once on its root, on both only while it was never heard from', async () => {
    // 100 stations: 40 heard on v1, 40 on v2, 20 never heard from
    const ids = Array.from({ length: 100 }, (_, i) => `s-${i}`);
    const insert = ctl.db.prepare('UPDATE stations SET mqtt_root = ? WHERE id = ?');
    ctl.db
      .prepare(
        `WITH RECURSIVE n(value) AS (SELECT 0 UNION ALL SELECT value + 1 FROM n WHERE value < 99)
         INSERT INTO stations (id, name, area_id, zones, timezone, secret_hash, created_at)
         SELECT 's-' || value, 'Đài ' || value, area_id, zones, timezone, secret_hash || value, created_at
         FROM stations, n WHERE id = 'st-a'`,
      )
      .run();
    for (const [i, id] of ids.entries()) if (i < 80) insert.run(i < 40 ? TOPIC_ROOT : 'loa/v2/can-tho', id);
    rec.sent.length = 0;
    let taken = 0;
    for (const id of ids) link.publishDesired(id, state(id), () => taken++);
    const desired = rec.sent.filter((m) => m.topic.endsWith('/desired'));
    expect(desired).toHaveLength(40 + 40 + 20 * 2);
    expect(taken).toBe(100);
    expect(desired.filter((m) => m.topic === V1.desired('s-0'))).toHaveLength(1);
    expect(desired.filter((m) => m.topic === V2.desired('s-0'))).toHaveLength(0);
    expect(desired.filter((m) => m.topic === V2.desired('s-50'))).toHaveLength(1);
    expect(desired.filter((m) => m.topic.endsWith('/s-90/desired'))).toHaveLength(2);
  });

  it('acknowledges as-run on the root the batch came from', async () => {
    rec.deliver(V2.hello('st-a'), hello(0));
    rec.sent.length = 0;
    rec.deliver(V2.asRun('st-a'), { records: [] });
    await tick();
    // an empty batch is dropped (1 to 500): nothing acknowledged, nothing on v1
    expect(rec.sent.some((m) => m.topic.startsWith('loa/v1/'))).toBe(false);
  });
});

describe('the answer to a hello', () => {
  it('sends the desired state again only when the version differs', async () => {
    const version = ctl.db.prepare("SELECT desired_version FROM stations WHERE id = 'st-a'").pluck().get();
    rec.deliver(V2.hello('st-a'), hello(version as number));
    await tick();
    expect(resent).toEqual([]);
    rec.deliver(V2.hello('st-a'), hello((version as number) + 7));
    rec.deliver(V1.hello('st-b'), hello((version as number) + 7));
    await tick();
    // the hellos of one turn make one pass
    expect(resent).toEqual([['st-a', 'st-b']]);
  });

  it('sends the active bulletins it lacks, to it only and not retained; ends those withdrawn or unknown', async () => {
    const lacking = await bulletin([{ scope: 'district', id: 'd1' }]);
    const held = await bulletin([{ scope: 'city' }]);
    const withdrawn = await bulletin([{ scope: 'city' }]);
    const elsewhere = await bulletin([{ scope: 'district', id: 'd2' }]);
    expect((await ctl.call('POST', `/api/alerts/${withdrawn}/cancel`, { reason: 'nhầm' })).status).toBe(200);
    await tick();
    rec.sent.length = 0;
    rec.deliver(V2.hello('st-a'), hello(0, [held, withdrawn, 'gone-1']));
    const to = (id: string) => V2.alert({ scope: 'station', id: 'st-a' }, id);
    const sent = new Map(rec.sent.filter((m) => m.topic.includes('/alerts/')).map((m) => [m.topic, m]));
    expect([...sent.keys()].sort()).toEqual([to(lacking), to(withdrawn), to('gone-1')].sort());
    expect([...sent.values()].every((m) => !m.retain)).toBe(true);
    expect(JSON.parse(sent.get(to(lacking))?.payload ?? '').id).toBe(lacking);
    expect(JSON.parse(sent.get(to(withdrawn))?.payload ?? '').cancelledAt).not.toBeNull();
    expect(sent.get(to('gone-1'))?.payload).toBe('');
    expect(sent.has(to(elsewhere))).toBe(false);
    await tick();
  });

  it('drops bad hellos with a line in the log', async () => {
    for (const bad of [
      'not json',
      { desiredVersion: -1, alerts: [], at: now.toISOString() },
      { alerts: ['a/b'] },
    ])
      rec.deliver(V2.hello('st-a'), bad);
    rec.deliver(V2.hello('nobody'), hello(1));
    await tick();
    expect(resent).toEqual([]);
    expect(rec.sent.filter((m) => m.topic.includes('/alerts/'))).toEqual([]);
    const warned = log.lines.filter((l) => l.startsWith('warn') && l.includes('hello'));
    expect(warned).toHaveLength(4);
  });
});
