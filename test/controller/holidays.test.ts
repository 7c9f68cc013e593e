// Holidays and lunar dates through the API: a quiet window kept at Tết skips the slot in the preview and
// at the station alike; impossible lunar dates refused with the reason in English and Vietnamese, nothing
// stored; an air-time policy that spares Tết or holds only then.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compileFor, type PlanConfig } from '../../edge-agent/playout/plan.ts';
import { DesiredState } from '../../schedules/model.ts';
import { AN_HOA, makeController, type TestController } from '../support/controller.ts';

let ctl: TestController;
beforeEach(async () => {
  ctl = await makeController({ now: () => new Date('2026-02-01T00:00:00Z') });
  expect((await ctl.call('POST', '/api/stations', AN_HOA)).status).toBe(201);
  ctl.db
    .prepare(
      `INSERT INTO clips (id, title, original_name, source_format, sha256, bytes, duration_ms, status, created_at)
       VALUES ('clip-a', 't', 't', 'wav', ?, 10, 300000, 'approved', '2026-01-01T00:00:00Z')`,
    )
    .run('e'.repeat(64));
});
afterEach(() => ctl.cleanup());

const here = { scope: 'station', id: AN_HOA.id };
const YEAR = { startDate: '2026-01-01', endDate: '2026-12-31', target: here };
const window = (extra: object) => ({
  ...YEAR,
  weekdays: [1, 2, 3, 4, 5, 6, 7],
  startTime: '05:00',
  endTime: '11:00',
  reason: 'local-event',
  ...extra,
});
const slot = (id: string, startTime: string) => ({
  ...YEAR,
  id,
  clipIds: ['clip-a'],
  startTime,
  weekdays: [1, 2, 3, 4, 5, 6, 7],
  startDate: '2026-02-01',
  endDate: '2026-03-31',
});
// Tết Bính Ngọ: 17-19 February 2026
const WEEK = { from: '2026-02-16T00:00:00+07:00', to: '2026-02-23T00:00:00+07:00' };
const statuses = (entries: { localDate: string; status: string }[]) =>
  entries.map((e) => `${e.localDate} ${e.status}`);

describe('quiet windows that follow holidays, through the API', () => {
  it('skip the slot on Tết in the preview, and the station compiles the same', async () => {
    const made = await ctl.call(
      'POST',
      '/api/quiet-windows',
      window({ id: 'qw-tet', days: { holidays: ['tet'] } }),
    );
    expect(made.status).toBe(201);
    expect(made.body.days).toEqual({ holidays: ['tet'] });
    expect((await ctl.call('POST', '/api/slots', slot('s-sang', '06:30'))).status).toBe(201);
    const q = `from=${encodeURIComponent(WEEK.from)}&to=${encodeURIComponent(WEEK.to)}`;
    const preview = await ctl.call('GET', `/api/stations/${AN_HOA.id}/timetable?${q}`);
    expect(statuses(preview.body)).toEqual([
      '2026-02-16 scheduled',
      '2026-02-17 skipped',
      '2026-02-18 skipped',
      '2026-02-19 skipped',
      '2026-02-20 scheduled',
      '2026-02-21 scheduled',
      '2026-02-22 scheduled',
    ]);
    // the desired state as the station receives it, compiled by the agent's own planning code
    const desired = DesiredState.parse(JSON.parse(JSON.stringify(ctl.published.at(-1))));
    expect(desired.quietWindows[0]?.days).toEqual({ holidays: ['tet'] });
    const config = { warmUpMs: 2000, tailMs: 1000, graceMs: 60_000, horizonHours: 48 } as PlanConfig;
    const atStation = compileFor(
      { desired, overrides: [], alerts: [], config },
      new Date(WEEK.from),
      new Date(WEEK.to),
    );
    expect(atStation.entries).toEqual(preview.body);
  });

  it('refuse a lunar date the year does not have, with the reason, and store nothing', async () => {
    const before = (await ctl.call('GET', '/api/quiet-windows')).body;
    const sent = ctl.published.length;
    // 30 tháng Chạp Giáp Thìn: that month had 29 days (Tết Ất Tỵ was 29/01/2025)
    const thirtieth = await ctl.call(
      'POST',
      '/api/quiet-windows',
      window({
        startDate: '2025-01-01',
        endDate: '2025-02-28',
        days: { lunar: [{ month: 12, day: 30, year: 2024 }] },
      }),
    );
    expect(thirtieth.status).toBe(400);
    expect(thirtieth.body).toMatchObject({
      error: 'invalid_input',
      message:
        'invalid quiet window: days.lunar.0: lunar 30/12 does not exist in lunar year 2024 (Giáp Thìn): that month has 29 days',
    });
    expect(thirtieth.body.details[0]).toMatchObject({
      path: 'days.lunar.0',
      code: 'lunar-day-missing',
      messageVi: 'Ngày 30/12 âm lịch không có trong năm Giáp Thìn (2024): tháng Chạp năm đó chỉ có 29 ngày',
    });
    // a leap month the year lacks: 2026 has none
    const leap = await ctl.call(
      'POST',
      '/api/quiet-windows',
      window({ exceptDays: { lunar: [{ month: 6, day: 15, leap: true }] } }),
    );
    expect(leap.status).toBe(400);
    expect(leap.body.details[0]).toMatchObject({ code: 'leap-month-missing', path: 'exceptDays.lunar.0' });
    expect(leap.body.details[0].messageVi).toContain('Năm Bính Ngọ (2026) không có tháng nhuận');
    // an unknown holiday, and 31/4
    const unknown = await ctl.call(
      'POST',
      '/api/quiet-windows',
      window({ days: { holidays: ['christmas'] } }),
    );
    expect(unknown.status).toBe(400);
    const april = await ctl.call(
      'POST',
      '/api/quiet-windows',
      window({ days: { solar: [{ month: 4, day: 31 }] } }),
    );
    expect(april.status).toBe(400);
    expect((await ctl.call('GET', '/api/quiet-windows')).body).toEqual(before);
    expect(ctl.published).toHaveLength(sent);
  });

  it('refuse a change that names an impossible day, keeping the window as it was', async () => {
    await ctl.call(
      'POST',
      '/api/quiet-windows',
      window({ id: 'qw-ram', days: { lunar: [{ month: 1, day: 15 }] } }),
    );
    const stored = (await ctl.call('GET', '/api/quiet-windows/qw-ram')).body;
    const bad = await ctl.call('PATCH', '/api/quiet-windows/qw-ram', {
      days: {
        lunar: [
          { month: 1, day: 15 },
          { month: 3, day: 1, leap: true },
        ],
      },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('days.lunar.1');
    expect((await ctl.call('GET', '/api/quiet-windows/qw-ram')).body).toEqual(stored);
    const good = await ctl.call('PATCH', '/api/quiet-windows/qw-ram', {
      days: null,
      exceptDays: { holidays: ['tet'] },
    });
    expect(good.status).toBe(200);
    expect(good.body.days).toBeUndefined();
    expect(good.body.exceptDays).toEqual({ holidays: ['tet'] });
  });
});

describe('air-time policies that follow holidays, through the API', () => {
  const policy = (p: object) => ({ target: here, policy: { maxSessionsPerDay: 2, ...p } });

  it('spare Tết: a third daily session is refused on ordinary days only', async () => {
    expect(
      (
        await ctl.call(
          'POST',
          '/api/airtime-policies',
          policy({ enforcement: 'refuse', exceptDays: { holidays: ['tet'] } }),
        )
      ).status,
    ).toBe(201);
    for (const [id, t] of [
      ['s1', '06:30'],
      ['s2', '11:30'],
    ] as const)
      expect((await ctl.call('POST', '/api/slots', slot(id, t))).status).toBe(201);
    const third = await ctl.call('POST', '/api/slots', slot('s3', '19:00'));
    expect(third.status).toBe(409);
    // at Tết alone the same third session is no breach
    const tetOnly = { ...slot('s3-tet', '19:00'), startDate: '2026-02-17', endDate: '2026-02-19' };
    const atTet = await ctl.call('POST', '/api/slots', tetOnly);
    expect(atTet.status).toBe(201);
    expect(atTet.body.airTimeWarnings).toBeUndefined();
    const q = `from=${encodeURIComponent(WEEK.from)}&to=${encodeURIComponent(WEEK.to)}`;
    const air = await ctl.call('GET', `/api/stations/${AN_HOA.id}/airtime?${q}`);
    expect(air.body.policy).toMatchObject({ maxSessionsPerDay: 2, enforcement: 'refuse' });
    expect(air.body.breaches).toEqual([]);
  });

  it('hold only at Tết: warned there, and a recurring 30th refused for a policy without end', async () => {
    expect(
      (
        await ctl.call(
          'POST',
          '/api/airtime-policies',
          policy({ maxSessionsPerDay: 1, days: { holidays: ['tet'] } }),
        )
      ).status,
    ).toBe(201);
    // saving checks two weeks ahead: from the week of Tết
    const fromTet = (id: string, t: string) => ({ ...slot(id, t), startDate: '2026-02-16' });
    await ctl.call('POST', '/api/slots', fromTet('s1', '06:30'));
    const second = await ctl.call('POST', '/api/slots', fromTet('s2', '19:00'));
    expect(second.status).toBe(201);
    expect(second.body.airTimeWarnings.map((w: { localDate: string }) => w.localDate)).toEqual([
      '2026-02-17',
      '2026-02-18',
      '2026-02-19',
    ]);
    const before = (await ctl.call('GET', '/api/airtime-policies')).body;
    const bad = await ctl.call(
      'POST',
      '/api/airtime-policies',
      policy({ days: { lunar: [{ month: 12, day: 30 }] } }),
    );
    expect(bad.status).toBe(400);
    expect(bad.body.details[0]).toMatchObject({ path: 'policy.days.lunar.0', code: 'lunar-day-missing' });
    expect(bad.body.details[0].messageVi).toContain('hãy ghi rõ năm âm lịch');
    expect((await ctl.call('GET', '/api/airtime-policies')).body).toEqual(before);
  });
});
