// Bulletins through a real aedes broker: one retained message per target reaches the stations of that
// target only, statuses move forward only and only for the station itself, cancelling and expiry reach
// the broker, and the controller publishes what is still running when its link connects again.
import mqtt from 'mqtt';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../../../common/log.ts';
import { sweepExpiredAlerts } from '../../../controller/alerts/publish.ts';
import type { AlertStatus } from '../../../schedules/alerts.ts';
import { alertFilters, topics } from '../../../schedules/protocol.ts';
import {
  type BulletinController,
  makeBulletinController,
  type StationSpec,
  specPath,
} from '../../support/wired-controller.ts';

let h: BulletinController;
let now = new Date('2026-11-26T03:00:00Z');
const clock = { now: () => now };
const STATIONS = [
  { id: 'st-a', district: 'd1', ward: 'w1' },
  { id: 'st-b', district: 'd1', ward: 'w2' },
  { id: 'st-c', district: 'd2', ward: 'w3' },
];
const call = (method: string, url: string, body?: unknown) => h.call(method, url, body);
const station = (id: string, subscribe = true) => h.station(id, subscribe);

beforeEach(async () => {
  now = new Date('2026-11-26T03:00:00Z');
  h = await makeBulletinController(clock, STATIONS);
  h.ctl.db
    .prepare(
      `INSERT INTO clips (id, title, original_name, source_format, sha256, bytes, duration_ms, created_at)
       VALUES ('clip-a', 't', 't', 'wav', ?, 10, 30000, '2026-01-01T00:00:00Z')`,
    )
    .run('a'.repeat(64));
});
afterEach(() => h.close());

const bulletin = (targets: object[], over: object = {}) =>
  call('POST', '/api/alerts', {
    level: 'emergency',
    title: 'Cảnh báo',
    reason: 'Bão số 5',
    clipId: 'clip-a',
    targets,
    ...over,
  });

const status = (stationId: string, alertId: string, state: string, at = now.toISOString()): AlertStatus =>
  ({ alertId, stationId, state, at, reason: null, detail: null }) as AlertStatus;

const stateOf = async (alertId: string, stationId: string) =>
  (await call('GET', `/api/alerts/${alertId}`)).body.stations.find(
    (s: { stationId: string }) => s.stationId === stationId,
  );

describe('bulletins on the broker', () => {
  it('reach, retained, the stations of the target district and no other', async () => {
    const c = await station('st-c');
    const sent = await bulletin([{ scope: 'area', id: 'd1' }]);
    expect(sent.status).toBe(201);
    // Subscribing after the publish: the retained message arrives.
    const a = await station('st-a');
    const b = await station('st-b');
    await vi.waitFor(() => expect(a.alerts).toHaveLength(1));
    await vi.waitFor(() => expect(b.alerts).toHaveLength(1));
    expect(a.alerts[0]?.topic).toBe(`loa/v1/alerts/area/d1/${sent.body.id}`);
    expect(JSON.parse(a.alerts[0]?.payload ?? '')).toMatchObject({
      id: sent.body.id,
      level: 'emergency',
      clip: { id: 'clip-a', sha256: 'a'.repeat(64) },
      targets: [{ scope: 'area', id: 'd1' }],
      issuedBy: 'admin',
      cancelledAt: null,
    });
    // A later city-wide bulletin (the root; named the old way) reaches st-c, and the district one never did.
    const city = await bulletin([{ scope: 'city' }]);
    expect(city.body.targets).toEqual([{ scope: 'area', id: 'city' }]);
    await vi.waitFor(() => expect(c.alerts).toHaveLength(1));
    expect(c.alerts[0]?.topic).toBe(`loa/v1/alerts/area/city/${city.body.id}`);
  });

  it('one message per target, not per station', async () => {
    const seen: string[] = [];
    const spy = await mqtt.connectAsync(`mqtt://127.0.0.1:${h.broker.port}`, {
      username: 'controller',
      password: h.broker.controllerPassword,
      reconnectPeriod: 0,
    });
    spy.on('message', (t) => seen.push(t));
    await spy.subscribeAsync('loa/v1/alerts/#', { qos: 1 });
    const r = await bulletin([
      { scope: 'area', id: 'd1' },
      { scope: 'station', id: 'st-c' },
    ]);
    expect(r.body.stationCount).toBe(3);
    await vi.waitFor(() => expect(seen).toHaveLength(2));
    await spy.endAsync();
    expect(seen.sort()).toEqual([
      `loa/v1/alerts/area/d1/${r.body.id}`,
      `loa/v1/alerts/station/st-c/${r.body.id}`,
    ]);
  });

  it('a station may read only the filters of its own chain and itself and may not publish bulletins', async () => {
    const { c } = await station('st-a', false);
    await c.subscribeAsync(alertFilters({ id: 'st-a', areaPath: specPath(STATIONS[0] as StationSpec) }), {
      qos: 1,
    });
    for (const filter of [
      'loa/v1/alerts/area/d2/+',
      'loa/v1/alerts/area/w3/+',
      'loa/v1/alerts/area/+/+',
      'loa/v1/alerts/station/st-c/+',
      'loa/v1/alerts/#',
      'loa/v1/alerts/area/city/#',
      // the version before the tree: none of its topics are granted any more
      'loa/v1/alerts/city/all/+',
      'loa/v1/alerts/district/d1/+',
    ]) {
      await expect(c.subscribeAsync(filter, { qos: 1 }), filter).rejects.toThrow(/Subscribe error/);
    }
    const closed = new Promise<void>((resolve) => c.once('close', () => resolve()));
    c.publish('loa/v1/alerts/area/city/al-forged', JSON.stringify({ id: 'al-forged' }), {
      qos: 1,
      retain: true,
    });
    await closed;
    const b = await station('st-b');
    const real = await bulletin([{ scope: 'city' }]);
    await vi.waitFor(() => expect(b.alerts).toHaveLength(1));
    expect(b.alerts[0]?.topic).toContain(real.body.id);
  });

  it('statuses move each station forward, never back, and only for the station itself', async () => {
    const sent = await bulletin([{ scope: 'district', id: 'd1' }]);
    const id = sent.body.id as string;
    const { c } = await station('st-a', false);
    const send = (statuses: AlertStatus[]) =>
      c.publishAsync(topics.alertStatus('st-a'), JSON.stringify({ statuses }), { qos: 1 });
    await send([status('st-a', id, 'received', '2026-11-26T03:00:01.000Z')]);
    await vi.waitFor(async () => expect((await stateOf(id, 'st-a')).state).toBe('received'));
    await send([
      { ...status('st-a', id, 'started', '2026-11-26T03:00:02.000Z'), reason: null, detail: 'cut slot-x' },
    ]);
    await vi.waitFor(async () => expect((await stateOf(id, 'st-a')).state).toBe('started'));
    // backwards, a batch speaking for st-b, garbage: all dropped
    await send([status('st-a', id, 'received')]);
    await send([status('st-b', id, 'finished')]);
    await c.publishAsync(topics.alertStatus('st-a'), 'not json', { qos: 1 });
    await c.publishAsync(topics.alertStatus('st-a'), JSON.stringify({ statuses: [{ state: 'nope' }] }), {
      qos: 1,
    });
    const fail = { ...status('st-a', id, 'failed'), reason: 'clip-missing', detail: 'sha256 mismatch' };
    await send([fail]);
    await vi.waitFor(async () => expect((await stateOf(id, 'st-a')).state).toBe('failed'));
    // the first final state stands
    await send([status('st-a', id, 'finished')]);
    const c2 = await station('st-c', false);
    await c2.c.publishAsync(
      topics.alertStatus('st-c'),
      JSON.stringify({ statuses: [status('st-c', id, 'received')] }),
      {
        qos: 1,
      },
    );
    await send([status('st-a', 'al-unknown', 'received')]);
    // a marker: the link has handled everything before it
    const other = await bulletin([{ scope: 'station', id: 'st-a' }]);
    await send([status('st-a', other.body.id, 'received')]);
    await vi.waitFor(async () => expect((await stateOf(other.body.id, 'st-a')).state).toBe('received'));
    const detail = (await call('GET', `/api/alerts/${id}`)).body;
    expect(detail.stations).toEqual([
      expect.objectContaining({
        stationId: 'st-a',
        state: 'failed',
        reason: 'clip-missing',
        detail: 'sha256 mismatch',
      }),
      expect.objectContaining({ stationId: 'st-b', state: 'pending' }),
    ]);
    expect(detail.counts).toMatchObject({ pending: 1, failed: 1, started: 0 });
    const row = h.ctl.db
      .prepare(
        "SELECT received_at, started_at FROM alert_stations WHERE alert_id = ? AND station_id = 'st-a'",
      )
      .get(id);
    expect(row).toEqual({ received_at: '2026-11-26T03:00:01.000Z', started_at: '2026-11-26T03:00:02.000Z' });
  });

  it('a cancelled bulletin is published with cancelledAt; at expiry its retained message is cleared', async () => {
    const a = await station('st-a');
    const sent = await bulletin([{ scope: 'ward', id: 'w1' }], { expiresAt: '2026-11-26T04:00:00Z' });
    await vi.waitFor(() => expect(a.alerts).toHaveLength(1));
    now = new Date('2026-11-26T03:10:00Z');
    expect((await call('POST', `/api/alerts/${sent.body.id}/cancel`)).status).toBe(200);
    await vi.waitFor(() => expect(a.alerts).toHaveLength(2));
    expect(JSON.parse(a.alerts[1]?.payload ?? '')).toMatchObject({ cancelledAt: '2026-11-26T03:10:00.000Z' });
    // Still retained as cancelled before expiry: a station coming online learns it was withdrawn. (A
    // station holds one connection: its client id is its own, and a second one would replace the first.)
    await a.c.endAsync();
    const late = await station('st-a');
    await vi.waitFor(() => expect(late.alerts).toHaveLength(1));
    expect(JSON.parse(late.alerts[0]?.payload ?? '').cancelledAt).not.toBeNull();

    now = new Date('2026-11-26T04:00:00Z');
    expect(sweepExpiredAlerts(h.ctl.db, h.link, now, silentLogger)).toBe(1);
    await vi.waitFor(() => expect(late.alerts).toHaveLength(2));
    expect(late.alerts[1]?.payload).toBe('');
    expect(sweepExpiredAlerts(h.ctl.db, h.link, now, silentLogger)).toBe(0);
    // A station coming online after expiry gets nothing: its first message is the next bulletin.
    await late.c.endAsync();
    const later = await station('st-a');
    const next = await bulletin([{ scope: 'station', id: 'st-a' }]);
    await vi.waitFor(() => expect(later.alerts).toHaveLength(1));
    expect(later.alerts[0]?.topic).toContain(next.body.id);
  });

  it('bulletins still running are published again when the controller connects to a new broker', async () => {
    const running = await bulletin([{ scope: 'district', id: 'd1' }]);
    const gone = await bulletin([{ scope: 'district', id: 'd1' }], { expiresAt: '2026-11-26T03:30:00Z' });
    // aedes keeps retained messages in memory only: the new broker starts empty.
    await h.restartBroker(() => {
      now = new Date('2026-11-26T03:45:00Z');
    });
    const b = await station('st-b');
    await vi.waitFor(() => expect(b.alerts).toHaveLength(1));
    expect(b.alerts[0]?.topic).toContain(running.body.id);
    const cleared = h.ctl.db.prepare('SELECT cleared_at FROM alerts WHERE id = ?').get(gone.body.id);
    expect(cleared).toEqual({ cleared_at: now.toISOString() });
  });
});
