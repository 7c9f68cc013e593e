// The console's quiet-window and air-time-policy forms with holidays and lunar dates, in-process: picked
// and typed days reach the API and come back described; an impossible lunar date is refused in the
// person's language and nothing is stored.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, AN_HOA, makeController, type TestController } from '../support/controller.ts';

let ctl: TestController;
const jar: Record<string, string> = {};

beforeAll(async () => {
  ctl = await makeController({ now: () => new Date('2026-01-05T00:00:00Z') });
  await ctl.call('POST', '/api/stations', AN_HOA);
  const res = await ctl.app.request('/console/login', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ username: 'admin', password: ADMIN_PASSWORD }).toString(),
  });
  expect(res.status).toBe(303);
  for (const c of res.headers.getSetCookie()) {
    const [k, v] = (c.split(';')[0] as string).split('=') as [string, string];
    jar[k] = v;
  }
});
afterAll(() => ctl.cleanup());

const cookie = () =>
  Object.entries(jar)
    .map(([k, v]) => `${k}=${v}`)
    .join('; ');
const get = async (url: string) => (await ctl.app.request(url, { headers: { cookie: cookie() } })).text();
const post = async (url: string, fields: Record<string, string | string[]>) => {
  const body = new URLSearchParams();
  body.append('_csrf', jar.loa_csrf as string);
  for (const [k, v] of Object.entries(fields)) for (const x of [v].flat()) body.append(k, x);
  const res = await ctl.app.request(url, {
    method: 'POST',
    headers: { cookie: cookie(), 'content-type': 'application/x-www-form-urlencoded' },
    body: body.toString(),
  });
  return { status: res.status, html: await res.text() };
};
const quietForm = (extra: Record<string, string | string[]>) => ({
  reason: 'local-event',
  startTime: '05:00',
  endTime: '11:00',
  startDate: '2026-01-01',
  endDate: '2026-12-31',
  target: `station:${AN_HOA.id}`,
  weekdays: ['1', '2', '3', '4', '5', '6', '7'],
  note: '',
  exceptDates: '',
  ...extra,
});

describe('console: Khung giờ không phát with holidays and lunar dates', () => {
  it('offers the named holidays in Vietnamese', async () => {
    const html = await get('/console/quiet-windows');
    expect(html).toContain('Tết Nguyên Đán (mùng 1–3 tháng Giêng âm lịch)');
    expect(html).toContain('Giỗ Tổ Hùng Vương (10/3 âm lịch)');
    expect(html).toContain('name="lunarDates"');
  });

  it('saves picked holidays and typed lunar dates, and shows them back', async () => {
    const saved = await post(
      '/console/quiet-windows',
      quietForm({ daysMode: 'only', holidays: ['tet', 'hung-kings'], lunarDates: '15/1, 1/3 nhuận/2026' }),
    );
    // 2026 has no leap month: refused in Vietnamese, nothing stored
    expect(saved.status).toBe(400);
    expect(saved.html).toContain('Năm Bính Ngọ (2026) không có tháng nhuận');
    expect((await ctl.call('GET', '/api/quiet-windows')).body).toEqual([]);

    const ok = await post(
      '/console/quiet-windows',
      quietForm({ daysMode: 'only', holidays: ['tet', 'hung-kings'], lunarDates: '15/1; 15/8/2026' }),
    );
    expect(ok.status).toBe(303);
    const [window] = (await ctl.call('GET', '/api/quiet-windows')).body;
    expect(window.days).toEqual({
      holidays: ['tet', 'hung-kings'],
      lunar: [
        { day: 15, month: 1 },
        { day: 15, month: 8, year: 2026 },
      ],
    });
    const html = await get('/console/quiet-windows');
    expect(html).toContain(
      'Chỉ: Tết Nguyên Đán (mùng 1–3 tháng Giêng âm lịch); Giỗ Tổ Hùng Vương (10/3 âm lịch); 15/1 âm lịch; 15/8/2026 âm lịch',
    );
  });

  it('refuses what it cannot read, and a 30th the month lacks, in the language chosen', async () => {
    const unreadable = await post(
      '/console/quiet-windows',
      quietForm({ daysMode: 'except', lunarDates: 'rằm' }),
    );
    expect(unreadable.status).toBe(400);
    expect(unreadable.html).toContain('Ngày âm lịch không đọc được: rằm');
    const nothing = await post('/console/quiet-windows', quietForm({ daysMode: 'except' }));
    expect(nothing.html).toContain('Chọn ít nhất một ngày lễ hoặc ghi một ngày âm lịch');
    jar.loa_lang = 'en';
    const thirtieth = await post(
      '/console/quiet-windows',
      quietForm({
        startDate: '2025-01-01',
        endDate: '2025-01-31',
        daysMode: 'except',
        lunarDates: '30/12/2024',
      }),
    );
    expect(thirtieth.status).toBe(400);
    expect(thirtieth.html).toContain(
      'lunar 30/12 does not exist in lunar year 2024 (Giáp Thìn): that month has 29 days',
    );
    delete jar.loa_lang;
    expect((await ctl.call('GET', '/api/quiet-windows')).body).toHaveLength(1);
  });
});

describe('console: Giới hạn thời lượng phát with holidays', () => {
  it('saves a policy that spares Tết, and shows it', async () => {
    const saved = await post('/console/airtime-policies', {
      target: `station:${AN_HOA.id}`,
      maxSessionsPerDay: '2',
      maxMinutesPerSession: '',
      maxDaysPerWeek: '',
      enforcement: 'refuse',
      daysMode: 'except',
      holidays: ['tet', 'national-day'],
      lunarDates: '',
    });
    expect(saved.status).toBe(303);
    const [stored] = (await ctl.call('GET', '/api/airtime-policies')).body;
    expect(stored.policy).toMatchObject({
      maxSessionsPerDay: 2,
      exceptDays: { holidays: ['tet', 'national-day'] },
    });
    expect(await get('/console/quiet-windows')).toContain(
      'Trừ: Tết Nguyên Đán (mùng 1–3 tháng Giêng âm lịch); Quốc khánh (2/9)',
    );
  });
});
