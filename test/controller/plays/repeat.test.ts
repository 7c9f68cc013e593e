// Repeat and chime at the controller: slots and bulletins take `repeat` and `chime` (and refuse them out of
// range), stations get them in their desired state or bulletin; as-run records with `repeat` are stored and
// shown in /api/plays, the campaign report's readings and the CSV's "Số lần phát".
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { alertPayload, getAlertRow } from '../../../controller/alerts/store.ts';
import { storeAsRun } from '../../../controller/plays/store.ts';
import { AsRunRecord } from '../../../schedules/protocol.ts';
import { CHIME_MS } from '../../../schedules/repeat.ts';
import { AN_HOA, apiSlot, makeController, type TestController } from '../../support/controller.ts';
import { asRunRecord } from '../../support/records.ts';

let ctl: TestController;
const now = new Date('2026-11-03T03:00:00Z');
const CLIP = 'clip-sot-xuat-huyet';
const three = { repeat: { times: 3, gapSeconds: 5 }, chime: { before: true, after: true } };

beforeEach(async () => {
  ctl = await makeController({ now: () => now });
  await ctl.call('POST', '/api/stations', AN_HOA);
  ctl.db
    .prepare(
      `INSERT INTO clips (id, title, original_name, source_format, sha256, bytes, duration_ms, created_at, status)
       VALUES (?, ?, 't', 'wav', ?, 10, 60000, '2026-11-01T00:00:00Z', 'approved')`,
    )
    .run(CLIP, 'Phòng chống sốt xuất huyết', 'a'.repeat(64));
});
afterEach(() => ctl.cleanup());

describe('slots with repeat and chime', () => {
  it('are saved, reach the station, and preview for their whole length', async () => {
    const saved = await ctl.call('POST', '/api/slots', apiSlot([CLIP], { id: 'slot-doc', ...three }));
    expect(saved.status).toBe(201);
    expect(saved.body).toMatchObject(three);
    expect(ctl.published.at(-1)?.slots[0]).toMatchObject(three);
    const day = await ctl.call(
      'GET',
      `/api/stations/${AN_HOA.id}/timetable?from=2026-11-05T00:00:00Z&to=2026-11-06T00:00:00Z`,
    );
    const e = day.body.find((x: { slotId: string }) => x.slotId === 'slot-doc');
    expect(e).toMatchObject({ status: 'scheduled', ...three });
    expect(Date.parse(e.endsAt) - Date.parse(e.startsAt)).toBe(3 * 60_000 + 2 * 5000 + 2 * CHIME_MS);
  });

  it('a patch sets and clears them; one without them leaves them as they are', async () => {
    await ctl.call('POST', '/api/slots', apiSlot([CLIP], { id: 'slot-doc' }));
    expect((await ctl.call('PATCH', '/api/slots/slot-doc', three)).body).toMatchObject(three);
    const moved = await ctl.call('PATCH', '/api/slots/slot-doc', { startTime: '18:00' });
    expect(moved.body).toMatchObject({ startTime: '18:00', ...three });
    const once = await ctl.call('PATCH', '/api/slots/slot-doc', { repeat: null, chime: null });
    expect(once.body.repeat ?? null).toBeNull();
  });

  it.each([
    [{ repeat: { times: 6, gapSeconds: 0 } }, 'repeat.times must be 1 to 5'],
    [{ repeat: { times: 0 } }, 'repeat.times must be 1 to 5'],
    [{ repeat: { times: 2, gapSeconds: 121 } }, 'repeat.gapSeconds must be 0 to 120'],
    [{ repeat: { times: 2, pause: 3 } }, 'Unrecognized key'],
    [{ chime: { before: 'yes' } }, 'expected boolean'],
  ])('refuses %j, storing nothing', async (bad, message) => {
    const res = await ctl.call('POST', '/api/slots', apiSlot([CLIP], { id: 'slot-sai', ...bad }));
    expect(res.status).toBe(400);
    expect(res.body.message).toContain(message);
    expect((await ctl.call('GET', '/api/slots/slot-sai')).status).toBe(404);
  });
});

describe('bulletins with repeat and chime', () => {
  const bulletin = (over: object = {}) => ({
    level: 'priority',
    title: 'Thông báo tiêm chủng',
    reason: 'Lịch tiêm mũi 3',
    clipId: CLIP,
    targets: [{ scope: 'station', id: AN_HOA.id }],
    ...over,
  });

  it('are stored and published with them; without them, as before', async () => {
    const sent = await ctl.call('POST', '/api/alerts', bulletin(three));
    expect(sent.status).toBe(201);
    expect(sent.body).toMatchObject(three);
    expect(alertPayload(getAlertRow(ctl.db, sent.body.id))).toMatchObject(three);
    const plain = await ctl.call('POST', '/api/alerts', bulletin());
    const payload = alertPayload(getAlertRow(ctl.db, plain.body.id));
    expect('repeat' in payload || 'chime' in payload).toBe(false);
  });

  it('refuses a repeat out of range', async () => {
    const res = await ctl.call('POST', '/api/alerts', bulletin({ repeat: { times: 9 } }));
    expect(res.status).toBe(400);
    expect(res.body.message).toContain('repeat.times must be 1 to 5');
  });
});

describe('as-run records with repeat', () => {
  const played = (
    date: string,
    outcome: AsRunRecord['outcome'],
    repeat?: { planned: number; played: number },
  ) =>
    AsRunRecord.parse(
      asRunRecord(`slot-doc@${date}`, {
        stationId: AN_HOA.id,
        slotId: 'slot-doc',
        campaignId: 'camp-mua-mua',
        clipIds: [CLIP],
        scheduledAt: `${date}T10:30:00.000Z`,
        outcome,
        reason: outcome === 'interrupted' ? 'emergency' : null,
        audioStartAt: `${date}T10:30:00.000Z`,
        audioEndAt: `${date}T10:33:00.000Z`,
        ...(repeat ? { repeat } : {}),
      }),
    );

  beforeEach(async () => {
    const c = await ctl.call('POST', '/api/campaigns', {
      id: 'camp-mua-mua',
      name: 'Tuyên truyền mùa mưa',
      message: 'Diệt lăng quăng',
      startDate: '2026-11-01',
      endDate: '2026-11-02',
    });
    expect(c.status).toBe(201);
    const s = apiSlot([CLIP], {
      id: 'slot-doc',
      campaignId: 'camp-mua-mua',
      startDate: '2026-11-01',
      endDate: '2026-11-02',
      ...three,
    });
    expect((await ctl.call('POST', '/api/slots', s)).status).toBe(201);
    storeAsRun(
      ctl.db,
      [
        played('2026-11-01', 'played', { planned: 3, played: 3 }),
        played('2026-11-02', 'interrupted', { planned: 3, played: 2 }),
      ],
      now,
    );
  });

  it('are shown in /api/plays with their readings', async () => {
    const list = await ctl.call('GET', `/api/plays?station=${AN_HOA.id}`);
    const byId = Object.fromEntries(list.body.map((p: { id: string }) => [p.id, p]));
    expect(byId['slot-doc@2026-11-02']).toMatchObject({
      outcome: 'interrupted',
      repeat: { planned: 3, played: 2 },
      timesPlayed: 2,
    });
    expect(byId['slot-doc@2026-11-01']).toMatchObject({ repeat: { planned: 3, played: 3 }, timesPlayed: 3 });
  });

  it('a record without repeat counts once if played, never if not', async () => {
    storeAsRun(ctl.db, [AsRunRecord.parse(asRunRecord('x-1', { stationId: AN_HOA.id }))], now);
    storeAsRun(
      ctl.db,
      [AsRunRecord.parse(asRunRecord('x-2', { stationId: AN_HOA.id, outcome: 'missed' }))],
      now,
    );
    const list = await ctl.call('GET', `/api/plays?station=${AN_HOA.id}`);
    const byId = Object.fromEntries(list.body.map((p: { id: string }) => [p.id, p]));
    expect(byId['x-1']).toMatchObject({ repeat: null, timesPlayed: 1 });
    expect(byId['x-2']).toMatchObject({ repeat: null, timesPlayed: 0 });
  });

  it('count in the campaign report: readings planned and heard', async () => {
    const report = await ctl.call('GET', '/api/reports/campaigns/camp-mua-mua');
    expect(report.status).toBe(200);
    expect(report.body.total).toMatchObject({ planned: 2, played: 1, interrupted: 1 });
    expect(report.body.readings).toEqual({ planned: 6, played: 5 });
  });

  it('are written in the CSV with "Số lần phát"', async () => {
    const res = await ctl.app.request('/api/reports/campaigns/camp-mua-mua/plays.csv', {
      headers: { authorization: `Bearer ${ctl.token}` },
    });
    const [head, ...rows] = (await res.text())
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    const heads = JSON.parse(`[${head}]`) as string[];
    const col = heads.indexOf('Số lần phát');
    expect(col).toBeGreaterThan(0);
    const cells = rows.map((r) => JSON.parse(`[${r}]`) as string[]);
    const byId = Object.fromEntries(cells.map((c) => [c[0], c[col]]));
    expect(byId).toEqual({ 'slot-doc@2026-11-01': '3', 'slot-doc@2026-11-02': '2' });
  });
});
