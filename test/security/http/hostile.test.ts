// Hostile input beyond the generated suite (hostile-generated.test.ts): ids that try to climb out of
// the data folder or into SQL, text full of SQL and markup stored verbatim, upload names that try to
// leave the clip store, forged and malformed MQTT messages. Each is refused or stored verbatim, and
// nothing else changes.
import { readdirSync } from 'node:fs';
import fc from 'fast-check';
import mqtt from 'mqtt';
import { afterAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../common/log.ts';
import { startBroker } from '../../../controller/mqtt/broker.ts';
import { topics } from '../../../schedules/protocol.ts';
import { connectLink, stationLogin } from '../../support/mqtt/clients.ts';
import { waitFor } from '../../support/wait.ts';
import { createHostileHarness } from './hostile-harness.ts';

const RUNS = 25;
const harness = await createHostileHarness();
const { ctl } = harness;

afterAll(() => {
  console.log(`hostile-input suite (ids, SQL text, upload names, MQTT): ${harness.cases} cases`);
  harness.cleanup();
});

describe('HTTP', () => {
  it('ids that try to climb out of the data folder or into SQL are not found, never served', async () => {
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
          const suffix = kind === 'clips' ? '/audio' : '';
          const path = `/api/${kind}/${id}${suffix}`;
          const status = await harness.send({ what: 'id', method: 'GET', path, query: '', headers: {} });
          expect([400, 404]).toContain(status);
        },
      ),
      { numRuns: RUNS * 4 },
    );
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
        harness.tried();
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
    harness.tried();
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
    const link = await connectLink(ctl.db, broker);
    const secret = (await ctl.call('POST', '/api/stations/st-a/secret')).body.secret as string;
    const station = await mqtt.connectAsync(`mqtt://127.0.0.1:${broker.port}`, stationLogin('st-a', secret));
    try {
      // The root a station speaks on is learnt from the topic its authenticated connection publishes on,
      // whatever the payload (controller/mqtt/roots.ts): learnt here first, so that only payloads remain.
      await station.publishAsync(
        topics.presence('st-a'),
        JSON.stringify({ online: true, at: new Date().toISOString() }),
        { qos: 1 },
      );
      const rootOf = ctl.db.prepare("SELECT mqtt_root FROM stations WHERE id = 'st-a'").pluck();
      await waitFor(() => rootOf.get() === 'loa/v1');
      const before = harness.fingerprint();
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
            harness.tried();
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
      expect(harness.fingerprint()).toBe(before);

      harness.tried();
      const closed = new Promise<void>((resolve) => station.once('close', () => resolve()));
      station.publish(topics.asRun('st-a'), Buffer.alloc(8192, 0x7b), { qos: 1 });
      await closed;
      expect(harness.fingerprint()).toBe(before);
      void acked;
    } finally {
      station.end(true);
      await link.close();
      await broker.close();
    }
  });
});
