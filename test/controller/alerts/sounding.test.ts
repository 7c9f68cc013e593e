// A station's bulletin states with `sounding` between `started` (relay on) and the end: both instants are
// stored and shown per station, and an agent that never reports `sounding` still moves on to its end.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AlertStatus } from '../../../schedules/alerts.ts';
import { topics } from '../../../schedules/protocol.ts';
import { type BulletinController, makeBulletinController } from '../../support/wired-controller.ts';

let h: BulletinController;
const now = new Date('2026-11-26T03:00:00Z');
const STATIONS = [
  { id: 'st-a', district: 'd1', ward: 'w1' },
  { id: 'st-b', district: 'd1', ward: 'w2' },
];

beforeEach(async () => {
  h = await makeBulletinController({ now: () => now }, STATIONS);
  h.ctl.db
    .prepare(
      `INSERT INTO clips (id, title, original_name, source_format, sha256, bytes, duration_ms, created_at)
       VALUES ('clip-a', 't', 't', 'wav', ?, 10, 30000, '2026-01-01T00:00:00Z')`,
    )
    .run('a'.repeat(64));
});
afterEach(() => h.close());

const status = (stationId: string, alertId: string, state: string, at: string): AlertStatus =>
  ({ alertId, stationId, state, at, reason: null, detail: null }) as AlertStatus;

describe('sounding', () => {
  it('is stored with its instant after started, shown per station, and counted', async () => {
    const sent = await h.call('POST', '/api/alerts', {
      level: 'emergency',
      title: 'Cảnh báo',
      reason: 'Bão số 5',
      clipId: 'clip-a',
      targets: [{ scope: 'station', id: 'st-a' }],
    });
    const id = sent.body.id as string;
    const { c } = await h.station('st-a', false);
    await c.publishAsync(
      topics.alertStatus('st-a'),
      JSON.stringify({
        statuses: [
          status('st-a', id, 'received', '2026-11-26T03:00:00.010Z'),
          status('st-a', id, 'started', '2026-11-26T03:00:00.020Z'),
          status('st-a', id, 'sounding', '2026-11-26T03:00:02.030Z'),
        ],
      }),
      { qos: 1 },
    );
    const station = async () => (await h.call('GET', `/api/alerts/${id}`)).body.stations[0];
    await vi.waitFor(async () => expect((await station()).state).toBe('sounding'));
    expect(await station()).toMatchObject({
      startedAt: '2026-11-26T03:00:00.020Z',
      soundingAt: '2026-11-26T03:00:02.030Z',
    });
    expect((await h.call('GET', `/api/alerts/${id}`)).body.counts).toMatchObject({ sounding: 1, started: 0 });
    // started again (a repeat) is dropped; finished ends it, both instants kept
    await c.publishAsync(
      topics.alertStatus('st-a'),
      JSON.stringify({
        statuses: [
          status('st-a', id, 'started', '2026-11-26T03:00:05.000Z'),
          status('st-a', id, 'finished', '2026-11-26T03:00:33.000Z'),
        ],
      }),
      { qos: 1 },
    );
    await vi.waitFor(async () => expect((await station()).state).toBe('finished'));
    expect(await station()).toMatchObject({
      startedAt: '2026-11-26T03:00:00.020Z',
      soundingAt: '2026-11-26T03:00:02.030Z',
    });
  });
});
