// Hostile input: malformed bodies on every JSON route of the OpenAPI document, path tricks, SQL
// metacharacters, forged and malformed MQTT messages. Each is refused (or stored verbatim) and nothing
// else changes. The suite states how many cases it tried.
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import fc from 'fast-check';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../controller/deps.ts';
import { connectControllerLink, startBroker } from '../../controller/mqtt.ts';
import { topics } from '../../schedules/protocol.ts';
import { makeController, type TestController } from '../support/controller.ts';

let ctl: TestController;
let cases = 0;
const RUNS = 25;

const TABLES = [
  'users',
  'stations',
  'clips',
  'campaigns',
  'slots',
  'slot_clips',
  'quiet_windows',
  'plays',
  'alerts',
  'alert_stations',
  'overrides',
];
const fingerprint = () =>
  createHash('sha256')
    .update(JSON.stringify(TABLES.map((t) => ctl.db.prepare(`SELECT * FROM ${t} ORDER BY rowid`).all())))
    .digest('hex');

beforeAll(async () => {
  ctl = await makeController(undefined, { API_RATE_PER_SEC: '100000' });
  await ctl.call('POST', '/api/stations', { id: 'st-a', name: 'Đài A', district: 'd-1', ward: 'w-1' });
  await ctl.call('POST', '/api/stations', { id: 'st-b', name: 'Đài B', district: 'd-1', ward: 'w-2' });
  ctl.db
    .prepare(
      `INSERT INTO clips (id, title, original_name, source_format, sha256, bytes, duration_ms, created_at)
       VALUES ('clip-a', 't', 't', 'wav', ?, 10, 1000, '2026-01-01T00:00:00Z')`,
    )
    .run('d'.repeat(64));
  const rule = { weekdays: [1], startDate: '2026-11-01', endDate: '2026-12-31', target: { scope: 'city' } };
  await ctl.call('POST', '/api/campaigns', {
    id: 'camp-a',
    name: 'c',
    startDate: '2026-11-01',
    endDate: '2026-12-31',
  });
  await ctl.call('POST', '/api/slots', { ...rule, id: 'slot-a', clipIds: ['clip-a'], startTime: '06:30' });
  await ctl.call('POST', '/api/quiet-windows', {
    ...rule,
    id: 'qw-a',
    startTime: '07:00',
    endTime: '11:00',
    reason: 'online-class',
  });
});
afterAll(() => {
  console.log(`hostile-input suite: ${cases} cases tried`);
  ctl.cleanup();
});

type Schema = { type?: string | string[]; anyOf?: Schema[]; properties?: Record<string, Schema> };
type Doc = {
  paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: Schema }> } }>>;
};

const typesOf = (s: Schema): string[] =>
  s.anyOf
    ? s.anyOf.flatMap(typesOf)
    : s.type
      ? [s.type].flat().map((t) => (t === 'integer' ? 'number' : t))
      : [];

/** A value of a JSON type the schema does not allow (a property with no stated type gets an object). */
const wrongTypeFor = (s: Schema): fc.Arbitrary<unknown> => {
  const allowed = new Set(typesOf(s));
  const pool: Record<string, fc.Arbitrary<unknown>> = {
    string: fc.string({ minLength: 1 }),
    number: fc.integer(),
    boolean: fc.boolean(),
    array: fc.array(fc.integer(), { maxLength: 2 }),
    object: fc.constant({ nested: true }),
    null: fc.constant(null),
  };
  const wrong = Object.entries(pool).filter(
    ([t]) => !allowed.has(t) && !(allowed.size === 0 && t !== 'object'),
  );
  return fc.oneof(...wrong.map(([, a]) => a));
};

/** Bodies that are never valid: not an object, an unknown field, or one field of the wrong type. */
const hostileBody = (schema: Schema): fc.Arbitrary<unknown> => {
  const props = Object.entries(schema.properties ?? {});
  const junk = fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 });
  const arbs: fc.Arbitrary<unknown>[] = [
    fc.oneof(
      fc.string(),
      fc.integer(),
      fc.constant(null),
      fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 }),
    ),
    junk.map((o) => ({ ...o, [`unexpected${Object.keys(o).length}`]: "'; DROP TABLE stations; --" })),
  ];
  if (props.length) {
    arbs.push(
      fc
        .tuple(fc.constantFrom(...props), junk)
        .chain(([[key, s], o]) => wrongTypeFor(s).map((v) => ({ ...o, [key]: v }))),
    );
  }
  return fc.oneof(...arbs);
};

const concrete = (path: string) =>
  path
    .replace('/api/stations/{id}', '/api/stations/st-a')
    .replace('/api/users/{id}', '/api/users/1')
    .replace(/\/api\/slots\/\{id\}/, '/api/slots/slot-a')
    .replace(/\/api\/quiet-windows\/\{id\}/, '/api/quiet-windows/qw-a')
    .replace(/\{id\}/, 'x');

describe('HTTP', () => {
  it('refuses malformed bodies on every JSON route with a reason, changing nothing', async () => {
    const doc = (await (await ctl.app.request('/api/openapi.json')).json()) as Doc;
    const targets = Object.entries(doc.paths).flatMap(([p, ops]) =>
      Object.entries(ops).flatMap(([method, op]) => {
        const schema = op.requestBody?.content['application/json']?.schema;
        return schema ? [{ method, path: concrete(p), schema }] : [];
      }),
    );
    expect(targets.length).toBeGreaterThanOrEqual(10);
    for (const t of targets) {
      await fc.assert(
        fc.asyncProperty(hostileBody(t.schema), async (body) => {
          cases++;
          const before = fingerprint();
          const r = await ctl.call(t.method.toUpperCase(), t.path, body);
          expect(r.status, `${t.method} ${t.path} ${JSON.stringify(body)}`).toBeGreaterThanOrEqual(400);
          expect(r.status).toBeLessThan(500);
          expect(typeof r.body?.message).toBe('string');
          expect(fingerprint()).toBe(before);
        }),
        { numRuns: RUNS },
      );
    }
  });

  it('ids that try to climb out of the data folder or into SQL are not found, never served', async () => {
    const before = fingerprint();
    const ids = fc.oneof(
      fc.constantFrom(
        '..%2F..%2Fetc%2Fpasswd',
        '..%2Fcontroller.db',
        '%00',
        "x'%20OR%20'1'%3D'1",
        '.',
        'a'.repeat(500),
      ),
      fc.string({ minLength: 1, maxLength: 30 }).map(encodeURIComponent),
    );
    await fc.assert(
      fc.asyncProperty(
        ids,
        fc.constantFrom('clips', 'stations', 'slots', 'quiet-windows', 'campaigns'),
        async (id, kind) => {
          cases++;
          const suffix = kind === 'clips' ? '/audio' : '';
          const r = await ctl.call('GET', `/api/${kind}/${id}${suffix}`);
          expect([400, 404]).toContain(r.status);
        },
      ),
      { numRuns: RUNS * 4 },
    );
    expect(fingerprint()).toBe(before);
  });

  it('stores text full of SQL and markup metacharacters verbatim', async () => {
    const meta = fc.string({
      unit: fc.constantFrom(
        "'",
        '"',
        ';',
        '-',
        '/',
        '*',
        '\\',
        '%',
        '_',
        '<',
        '>',
        '&',
        'ư',
        'đ',
        ' ',
        'a',
        '0',
        '\n',
      ),
      minLength: 1,
      maxLength: 60,
    });
    await fc.assert(
      fc.asyncProperty(meta, meta, async (name, message) => {
        cases++;
        const trimmedName = name.trim() || 'x';
        const st = await ctl.call('PATCH', '/api/stations/st-b', { name: trimmedName });
        expect(st.status).toBe(200);
        expect(st.body.name).toBe(trimmedName);
        const c = await ctl.call('POST', '/api/campaigns', {
          name: trimmedName,
          message,
          startDate: '2026-11-01',
          endDate: '2026-11-02',
        });
        expect(c.status).toBe(201);
        expect((await ctl.call('GET', `/api/campaigns/${c.body.id}`)).body.message).toBe(message.trim());
        await ctl.call('DELETE', `/api/campaigns/${c.body.id}`);
      }),
      { numRuns: RUNS * 2 },
    );
    expect((await ctl.call('GET', '/api/stations')).body).toHaveLength(2);
  });

  it('an upload named to escape the clip store is stored by its hash only', async () => {
    cases++;
    const r = await ctl.upload('../../../../tmp/loa-escape.mp3', Buffer.from('not audio at all'));
    expect(r.status).toBe(415);
    const bad = readdirSync('/tmp').filter((f) => f === 'loa-escape.mp3');
    expect(bad).toEqual([]);
  });
});

describe('MQTT', () => {
  it('drops malformed, oversized and forged messages on every topic the controller reads', async () => {
    const broker = await startBroker(
      ctl.db,
      { host: '127.0.0.1', port: 0, maxPayloadBytes: 4096 },
      silentLogger,
    );
    const link = connectControllerLink({
      db: ctl.db,
      clock: { now: () => new Date() },
      log: silentLogger,
      url: `mqtt://127.0.0.1:${broker.port}`,
      username: 'controller',
      password: broker.controllerPassword,
      onConnect: () => {},
    });
    const secret = (await ctl.call('POST', '/api/stations/st-a/secret')).body.secret as string;
    const station = await mqtt.connectAsync(`mqtt://127.0.0.1:${broker.port}`, {
      username: 'st-a',
      password: secret,
      reconnectPeriod: 0,
    });
    try {
      const before = fingerprint();
      const asRunLike = fc.record({
        records: fc.array(
          fc.record({
            id: fc.string(),
            stationId: fc.constantFrom('st-a', 'st-b'),
            outcome: fc.string(),
            scheduledAt: fc.string(),
          }),
          { maxLength: 3 },
        ),
      });
      const payloads = fc.oneof(
        fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)),
        fc.jsonValue({ maxDepth: 3 }).map((v) => Buffer.from(JSON.stringify(v))),
        asRunLike.map((v) => Buffer.from(JSON.stringify(v))),
      );
      await fc.assert(
        fc.asyncProperty(
          payloads,
          fc.constantFrom('as-run', 'health', 'presence', 'alert-status', 'overrides'),
          async (payload, kind) => {
            cases++;
            const topic = `loa/v1/station/st-a/${kind}`;
            // Random JSON might by chance be a valid presence or health message; those are not hostile.
            if (kind !== 'as-run' && /"online"|"agentVersion"/.test(payload.toString())) return;
            await station.publishAsync(topic, payload, { qos: 1 });
          },
        ),
        { numRuns: RUNS * 4 },
      );
      // A valid batch afterwards proves the link survived; it is acknowledged and stored.
      await station.subscribeAsync(topics.asRunAck('st-a'), { qos: 1 });
      const acked = new Promise((resolve) => station.once('message', resolve));
      expect(fingerprint()).toBe(before);

      cases++;
      const closed = new Promise<void>((resolve) => station.once('close', () => resolve()));
      station.publish(topics.asRun('st-a'), Buffer.alloc(8192, 0x7b), { qos: 1 });
      await closed;
      expect(fingerprint()).toBe(before);
      void acked;
    } finally {
      station.end(true);
      await link.close();
      await broker.close();
    }
  });
});
