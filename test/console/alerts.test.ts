// The console's bulletin pages, in-process: the form (levels, clips with drafts for emergencies, the
// explicit quiet-window checkbox with its warning), sending, the per-station table that follows the
// stations' reports, and a station page's local overrides with their cancel button.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../common/log.ts';
import { ingestAlertStatus } from '../../controller/alerts/ingest.ts';
import { ingestOverrides } from '../../controller/overrides/ingest.ts';
import { makeController, type TestController } from '../support/controller.ts';

let ctl: TestController;
const jar: Record<string, string> = {};

async function signIn(username: string, password: string) {
  const res = await ctl.app.request('/console/login', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ username, password }).toString(),
  });
  expect(res.status).toBe(303);
  for (const c of res.headers.getSetCookie()) {
    const [kv] = c.split(';');
    const [k, v] = (kv as string).split('=');
    jar[k as string] = v as string;
  }
}
const cookie = () =>
  Object.entries(jar)
    .map(([k, v]) => `${k}=${v}`)
    .join('; ');
const get = async (url: string) => {
  const res = await ctl.app.request(url, { headers: { cookie: cookie() } });
  return { status: res.status, html: await res.text() };
};
const post = (url: string, fields: Record<string, string | string[]>) => {
  const body = new URLSearchParams();
  body.append('_csrf', jar.loa_csrf as string);
  for (const [k, v] of Object.entries(fields)) for (const x of [v].flat()) body.append(k, x);
  return ctl.app.request(url, {
    method: 'POST',
    headers: { cookie: cookie(), 'content-type': 'application/x-www-form-urlencoded' },
    body: body.toString(),
  });
};
/** The per-station rows of an alert page: station id -> state. */
const rows = (html: string) =>
  Object.fromEntries(
    [...html.matchAll(/data-station="([^"]+)" data-state="([^"]+)"/g)].map((m) => [m[1], m[2]]),
  );

beforeAll(async () => {
  ctl = await makeController();
  for (const [id, district, ward] of [
    ['st-an-hoa', 'ninh-kieu', 'an-hoa'],
    ['st-tan-an', 'ninh-kieu', 'tan-an'],
    ['st-le-binh', 'cai-rang', 'le-binh'],
  ] as const) {
    await ctl.call('POST', '/api/stations', { id, name: `Đài phường ${ward}`, district, ward });
  }
  const add = ctl.db.prepare(
    `INSERT INTO clips (id, title, original_name, source_format, sha256, bytes, duration_ms, created_at, status)
     VALUES (?, ?, 't', 'wav', ?, 10, 30000, '2026-01-01T00:00:00Z', ?)`,
  );
  add.run('clip-ok', 'Phòng chống bão', 'a'.repeat(64), 'approved');
  add.run('clip-new', 'Ghi âm khẩn', 'b'.repeat(64), 'draft');
  await ctl.tokenFor('kt-ninh-kieu', 'technician', { districts: ['ninh-kieu'] });
  await signIn('kt-ninh-kieu', 'mat-khau-thu-nghiem');
});
afterAll(() => ctl.cleanup());

describe('console: Phát bản tin', () => {
  it('shows the form with levels, clips (drafts for emergencies) and the quiet-window warning', async () => {
    const page = await get('/console/alerts');
    expect(page.status).toBe(200);
    expect(page.html).toContain('<a href="/console/alerts">Phát bản tin</a>');
    for (const word of ['Thông thường', 'Ưu tiên', 'Khẩn cấp', 'Phát cả trong khung giờ không phát'])
      expect(page.html).toContain(word);
    expect(page.html).toContain('Ghi âm khẩn (bản nháp, chỉ dùng khi khẩn cấp)');
    expect(page.html).toMatch(/name="ignoreQuietWindows"/);
    // a district technician is offered their district, wards and stations, not the city or others
    expect(page.html).toContain('value="district:ninh-kieu"');
    expect(page.html).not.toContain('value="city:"');
    expect(page.html).not.toContain('le-binh');
  });

  it('sends a bulletin, then follows it station by station', async () => {
    const res = await post('/console/alerts', {
      level: 'emergency',
      title: 'Bão số 5',
      reason: 'Gió giật cấp 10',
      clipId: 'clip-new',
      targets: ['ward:an-hoa', 'station:st-tan-an'],
      expiresAt: '',
      ignoreQuietWindows: 'on',
    });
    expect(res.status).toBe(303);
    const where = res.headers.get('location') as string;
    expect(where).toMatch(/^\/console\/alerts\/al-[0-9a-f]+$/);
    const id = where.split('/').pop() as string;
    const stored = ctl.db.prepare('SELECT ignore_quiet_windows, issued_by FROM alerts WHERE id = ?').get(id);
    expect(stored).toEqual({ ignore_quiet_windows: 1, issued_by: 'kt-ninh-kieu' });

    let page = await get(where);
    expect(rows(page.html)).toEqual({ 'st-an-hoa': 'pending', 'st-tan-an': 'pending' });
    expect(page.html).toContain('location.reload()');
    expect(page.html).toMatch(/Phát cả trong khung giờ không phát \(Lựa chọn được ghi lại\): <b>Có<\/b>/);

    const at = new Date().toISOString();
    ingestAlertStatus(
      ctl.db,
      'st-an-hoa',
      {
        statuses: [{ alertId: id, stationId: 'st-an-hoa', state: 'started', at, reason: null, detail: null }],
      },
      silentLogger,
    );
    ingestAlertStatus(
      ctl.db,
      'st-tan-an',
      {
        statuses: [
          {
            alertId: id,
            stationId: 'st-tan-an',
            state: 'failed',
            at,
            reason: 'clip-missing',
            detail: 'sha256',
          },
        ],
      },
      silentLogger,
    );
    page = await get(where);
    expect(rows(page.html)).toEqual({ 'st-an-hoa': 'started', 'st-tan-an': 'failed' });
    expect(page.html).toContain('clip-missing');
    expect(page.html).toContain('Đang phát');

    const list = await get('/console/alerts');
    expect(list.html).toContain(`href="/console/alerts/${id}"`);

    const cancel = await post(`${where}/cancel`, { reason: 'Bão đã tan' });
    expect(cancel.status).toBe(303);
    page = await get(where);
    expect(page.html).toContain('Đã thu hồi');
    expect(page.html).not.toContain('location.reload()');
  });

  it('shows the API reason when a bulletin is refused', async () => {
    const res = await post('/console/alerts', {
      level: 'normal',
      title: 'Thông báo',
      reason: 'Lịch tiêm',
      clipId: 'clip-new',
      targets: 'district:ninh-kieu',
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('a normal bulletin needs an approved clip');
  });

  it('a station page lists its local overrides with a cancel button', async () => {
    const now = Date.now();
    const iso = (ms: number) => new Date(now + ms).toISOString();
    ingestOverrides(
      ctl.db,
      'st-an-hoa',
      {
        at: iso(0),
        overrides: [
          {
            id: 'ov-1',
            stationId: 'st-an-hoa',
            kind: 'pause',
            startsAt: iso(0),
            endsAt: iso(3_600_000),
            reason: 'Lễ tang',
            createdBy: 'Chị Lan',
            createdAt: iso(0),
          },
        ],
      },
      new Date(now),
      silentLogger,
    );
    let page = await get('/console/stations/st-an-hoa');
    expect(page.html).toContain('Điều khiển tại đài');
    expect(page.html).toContain('Tạm ngưng phát');
    expect(page.html).toContain('Chị Lan');
    expect(page.html).toContain('action="/console/overrides/ov-1/cancel"');
    const res = await post('/console/overrides/ov-1/cancel', {
      back: '/console/stations/st-an-hoa',
      reason: '',
    });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/console/stations/st-an-hoa');
    page = await get('/console/stations/st-an-hoa');
    expect(page.html).toContain('Đã gửi lệnh hủy (kt-ninh-kieu)');
    expect(page.html).not.toContain('action="/console/overrides/ov-1/cancel"');
  });

  it('reads in English too', async () => {
    jar.loa_lang = 'en';
    const page = await get('/console/alerts');
    expect(page.html).toContain('Play inside quiet windows too');
    expect(page.html).toContain('Emergency');
    delete jar.loa_lang;
  });
});
