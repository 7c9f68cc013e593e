// Air-time policy per area and flexible slots through the API: refuse or warn on save, breaches in preview.
import { beforeEach, describe, expect, it } from 'vitest';
import { makeController, type TestController } from '../support/controller.ts';

let ctl: TestController;
beforeEach(async () => {
  ctl = await makeController({ now: () => new Date('2026-11-26T00:00:00Z') });
  await ctl.call('POST', '/api/stations', {
    id: 'st-an-hoa',
    name: 'An Hòa',
    district: 'ninh-kieu',
    ward: 'an-hoa',
  });
  ctl.db
    .prepare(
      `INSERT INTO clips (id, title, original_name, source_format, sha256, bytes, duration_ms, status, created_at)
       VALUES ('clip-a', 't', 't', 'wav', ?, 10, 300000, 'approved', '2026-01-01T00:00:00Z')`,
    )
    .run('e'.repeat(64));
});

const slot = (id: string, startTime: string, extra: object = {}) => ({
  id,
  clipIds: ['clip-a'],
  startTime,
  weekdays: [1, 2, 3, 4, 5, 6, 7],
  startDate: '2026-11-30',
  endDate: '2026-12-31',
  target: { scope: 'ward', id: 'an-hoa' },
  ...extra,
});
const hanoi = (enforcement: 'warn' | 'refuse') => ({
  target: { scope: 'city' },
  policy: { maxSessionsPerDay: 2, maxMinutesPerSession: 15, maxDaysPerWeek: 7, enforcement },
});

describe('air-time policy', () => {
  it('refuses a third session a day when the city says so, with the reason', async () => {
    expect((await ctl.call('POST', '/api/airtime-policies', hanoi('refuse'))).status).toBe(201);
    expect((await ctl.call('POST', '/api/slots', slot('s-sang', '06:30'))).status).toBe(201);
    expect((await ctl.call('POST', '/api/slots', slot('s-chieu', '17:30'))).status).toBe(201);
    const third = await ctl.call('POST', '/api/slots', slot('s-toi', '20:00'));
    expect(third.status).toBe(409);
    expect(third.body.message).toMatch(/air-time policy/);
    expect(third.body.details[0]).toMatchObject({ stationId: 'st-an-hoa', code: 'sessions-per-day' });
    expect((await ctl.call('GET', '/api/slots')).body).toHaveLength(2);
  });

  it('warns instead when the policy warns, and the preview lists the breaches', async () => {
    await ctl.call('POST', '/api/airtime-policies', hanoi('warn'));
    for (const [id, t] of [
      ['s1', '06:30'],
      ['s2', '17:30'],
    ])
      await ctl.call('POST', '/api/slots', slot(id as string, t as string));
    const third = await ctl.call('POST', '/api/slots', slot('s3', '20:00'));
    expect(third.status).toBe(201);
    expect(third.body.airTimeWarnings[0]).toMatchObject({ code: 'sessions-per-day', enforcement: 'warn' });
    const preview = await ctl.call(
      'GET',
      '/api/stations/st-an-hoa/airtime?from=2026-11-30T00:00:00%2B07:00&to=2026-12-07T00:00:00%2B07:00',
    );
    expect(preview.body.policy).toMatchObject({ maxSessionsPerDay: 2 });
    expect(preview.body.breaches.filter((b: { code: string }) => b.code === 'sessions-per-day')).toHaveLength(
      7,
    );
  });
});

describe('flexible slots', () => {
  it('are placed clear of a national relay, and refused when the clips cannot fit the window', async () => {
    await ctl.call('POST', '/api/quiet-windows', {
      weekdays: [1, 2, 3, 4, 5, 6, 7],
      startTime: '19:00',
      endTime: '19:45',
      startDate: '2026-11-30',
      endDate: '2026-12-31',
      reason: 'national-relay',
      target: { scope: 'city' },
    });
    const ok = await ctl.call('POST', '/api/slots', slot('s-linh-hoat', '18:58', { flexibleUntil: '20:30' }));
    expect(ok.status).toBe(201);
    const tt = await ctl.call(
      'GET',
      '/api/stations/st-an-hoa/timetable?from=2026-11-30T00:00:00%2B07:00&to=2026-12-01T00:00:00%2B07:00',
    );
    expect(tt.body[0]).toMatchObject({ status: 'scheduled', localTime: '19:45:02' });
    expect(tt.body[0].placement.movedBecause[0]).toMatchObject({
      code: 'quiet-window',
      quietReason: 'national-relay',
    });
    const tight = await ctl.call('POST', '/api/slots', slot('s-chat', '16:30', { flexibleUntil: '16:33' }));
    expect(tight.status).toBe(400);
    expect(tight.body.message).toMatch(/the clips last 5 min but the window 16:30-16:33 is only 3 min/);
  });
});
