// /api/overrides: what stations report (retained, over a real aedes broker) is stored and kept, shown by
// area, previewed in the station's timetable, and cancelled through a new desired state.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Override } from '../../schedules/overrides.ts';
import { topics } from '../../schedules/protocol.ts';
import { overrideRecord } from '../support/records.ts';
import { type BulletinController, makeBulletinController } from '../support/wired-controller.ts';

let h: BulletinController;
let now = new Date('2026-11-26T03:00:00Z'); // 10:00 in Cần Thơ
const clock = { now: () => now };
const tokens: Record<string, string> = {};

const override = (over: Partial<Override> = {}): Override =>
  overrideRecord({
    id: 'ov-pause',
    stationId: 'st-a',
    kind: 'pause',
    startsAt: '2026-11-26T03:00:00.000Z',
    endsAt: '2026-11-28T03:00:00.000Z',
    reason: 'Lễ tang trong khu phố',
    ...over,
  });

beforeEach(async () => {
  now = new Date('2026-11-26T03:00:00Z');
  h = await makeBulletinController(clock, [
    { id: 'st-a', district: 'd1', ward: 'w1' },
    { id: 'st-b', district: 'd2', ward: 'w2' },
  ]);
  tokens.ward = await h.ctl.tokenFor('cb-w1', 'ward', { ward: 'w1' });
  tokens.other = await h.ctl.tokenFor('kt-d2', 'technician', { districts: ['d2'] });
  h.ctl.db
    .prepare(
      `INSERT INTO clips (id, title, original_name, source_format, sha256, bytes, duration_ms, created_at)
       VALUES ('clip-a', 't', 't', 'wav', ?, 10, 30000, '2026-01-01T00:00:00Z')`,
    )
    .run('a'.repeat(64));
  // every day at 06:30 in Cần Thơ (23:30 UTC the day before)
  const slot = await h.call('POST', '/api/slots', {
    id: 'slot-sang',
    clipIds: ['clip-a'],
    startTime: '06:30',
    weekdays: [1, 2, 3, 4, 5, 6, 7],
    startDate: '2026-11-01',
    endDate: '2026-12-31',
    target: { scope: 'city' },
  });
  expect(slot.status).toBe(201);
});
afterEach(() => h.close());

async function report(stationId: string, overrides: Override[]) {
  const { c } = await h.station(stationId, false);
  await c.publishAsync(topics.overrides(stationId), JSON.stringify({ at: now.toISOString(), overrides }), {
    qos: 1,
    retain: true,
  });
  return c;
}

const listed = async (query = '', token?: string) =>
  (await h.call('GET', `/api/overrides${query}`, undefined, token)).body.map((o: { id: string }) => o.id);

const week = '?from=2026-11-26T00:00:00Z&to=2026-11-29T00:00:00Z';
const entry = async (id: string) =>
  (await h.call('GET', `/api/stations/st-a/timetable${week}`)).body.find((e: { id: string }) => e.id === id);

describe('local overrides at the controller', () => {
  it('stores what the station reports, keeps it after it leaves the report, shows it by area', async () => {
    await report('st-a', [
      override(),
      override({ id: 'ov-vol', kind: 'volume', volume: 0.5, endsAt: '2026-11-26T06:00:00.000Z' }),
    ]);
    await vi.waitFor(async () => expect(await listed()).toHaveLength(2));
    const one = await h.call('GET', '/api/overrides/ov-pause');
    expect(one.body).toMatchObject({
      id: 'ov-pause',
      stationId: 'st-a',
      stationName: 'Đài st-a',
      areaId: 'w1',
      kind: 'pause',
      reason: 'Lễ tang trong khu phố',
      createdBy: 'Chị Lan',
      active: true,
      cancelRequestedAt: null,
    });
    // the next report no longer has the volume change: it is kept (history), and still what it was
    await report('st-a', [override()]);
    now = new Date('2026-11-26T07:00:00Z');
    expect(await listed('?active=true')).toEqual(['ov-pause']);
    expect(await listed('?active=false')).toEqual(['ov-vol']);
    expect(await listed('?from=2026-11-26T13:30:00%2B07:00')).toEqual(['ov-pause']);
    expect((await h.call('GET', '/api/overrides/ov-vol')).body).toMatchObject({ volume: 0.5, active: false });
    expect(await listed('?station=st-b')).toEqual([]);
    expect(await listed('', tokens.other)).toEqual([]);
    expect((await h.call('GET', '/api/overrides/ov-pause', undefined, tokens.other)).status).toBe(403);
    expect((await h.call('GET', '/api/overrides/ov-nope')).status).toBe(404);
  });

  it('drops reports speaking for another station, and overrides of another station', async () => {
    await report('st-b', [override({ id: 'ov-b', stationId: 'st-b' })]);
    await vi.waitFor(async () => expect(await listed()).toEqual(['ov-b']));
    await report('st-a', [override({ id: 'ov-x', stationId: 'st-b' })]);
    const a = await report('st-a', [override({ id: 'ov-b' }), override({ id: 'ov-a' })]);
    await a.publishAsync(topics.overrides('st-a'), '{"at": 1}', { qos: 1 });
    await report('st-a', [override({ id: 'ov-late' })]);
    await vi.waitFor(async () => expect((await listed()).sort()).toEqual(['ov-a', 'ov-b', 'ov-late']));
    expect((await h.call('GET', '/api/overrides/ov-b')).body.stationId).toBe('st-b');
  });

  it("the station's timetable preview includes a reported pause", async () => {
    expect(await entry('slot-sang@2026-11-27')).toMatchObject({ status: 'scheduled' });
    await report('st-a', [override()]);
    await vi.waitFor(async () =>
      expect(await entry('slot-sang@2026-11-27')).toMatchObject({
        status: 'skipped',
        skip: { code: 'override', overrideId: 'ov-pause', overrideKind: 'pause' },
      }),
    );
    // st-b's preview does not change
    const b = await h.call('GET', `/api/stations/st-b/timetable${week}`);
    expect(b.body.find((e: { id: string }) => e.id === 'slot-sang@2026-11-27').status).toBe('scheduled');
  });

  it('a cancel republishes the desired state with cancelledOverrides; the station ends it', async () => {
    await report('st-a', [override()]);
    await vi.waitFor(async () => expect(await listed()).toEqual(['ov-pause']));
    const before = h.ctl.published.length;
    const versionOf = (id: string) =>
      (h.ctl.db.prepare('SELECT desired_version AS v FROM stations WHERE id = ?').get(id) as { v: number }).v;
    const [va, vb] = [versionOf('st-a'), versionOf('st-b')];

    expect((await h.call('POST', '/api/overrides/ov-pause/cancel', {}, tokens.other)).status).toBe(403);
    now = new Date('2026-11-26T05:00:00Z');
    const c = await h.call(
      'POST',
      '/api/overrides/ov-pause/cancel',
      { reason: 'Có bản tin cần phát' },
      tokens.ward,
    );
    expect(c.status).toBe(200);
    expect(c.body).toMatchObject({
      cancelRequestedAt: '2026-11-26T05:00:00.000Z',
      cancelRequestedBy: 'cb-w1',
      cancelReason: 'Có bản tin cần phát',
      active: true,
    });
    const sent = h.ctl.published.slice(before);
    expect(sent.map((s) => s.station.id)).toEqual(['st-a']);
    expect(sent[0]).toMatchObject({ version: va + 1, cancelledOverrides: ['ov-pause'] });
    expect(versionOf('st-b')).toBe(vb);
    expect((await h.call('GET', '/api/stations/st-a/desired')).body.cancelledOverrides).toEqual(['ov-pause']);
    expect((await h.call('POST', '/api/overrides/ov-pause/cancel')).status).toBe(409);
    // the preview already counts it as cancelled
    expect((await entry('slot-sang@2026-11-27')).status).toBe('scheduled');

    // the station ends it and says so
    await report('st-a', [override({ cancelledAt: now.toISOString(), cancelledBy: 'controller:cb-w1' })]);
    await vi.waitFor(async () =>
      expect((await h.call('GET', '/api/overrides/ov-pause')).body).toMatchObject({
        cancelledAt: '2026-11-26T05:00:00.000Z',
        cancelledBy: 'controller:cb-w1',
        active: false,
      }),
    );
    // done: the next desired state no longer lists it
    h.ctl.desired.sync();
    expect(h.ctl.published.at(-1)).toMatchObject({ version: va + 2, station: { id: 'st-a' } });
    expect(h.ctl.published.at(-1)?.cancelledOverrides).toBeUndefined();
    expect((await h.call('POST', '/api/overrides/ov-pause/cancel')).status).toBe(409);
  });

  it('an override that has ended cannot be cancelled', async () => {
    await report('st-a', [override({ endsAt: '2026-11-26T04:00:00.000Z' })]);
    await vi.waitFor(async () => expect(await listed()).toEqual(['ov-pause']));
    now = new Date('2026-11-26T04:00:00Z');
    const r = await h.call('POST', '/api/overrides/ov-pause/cancel');
    expect(r.status).toBe(409);
    expect(r.body.message).toContain('already ended');
  });
});
