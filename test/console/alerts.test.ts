// The console's bulletin pages, in-process: the form (levels, clips with drafts for emergencies, the
// explicit quiet-window checkbox with its warning), sending, the per-station table that follows the
// stations' reports, and a station page's local overrides with their cancel button.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../common/log.ts';
import { ingestAlertStatus } from '../../controller/alerts/ingest.ts';
import { ingestOverrides } from '../../controller/overrides/ingest.ts';
import { buildTree } from '../controller/areas/trees.ts';
import { makeController, type TestController } from '../support/controller.ts';
import { CAN_THO, consoleSession } from './session.ts';

let ctl: TestController;
let session: ReturnType<typeof consoleSession>;
const get = (url: string) => session.get(url);
const post = (url: string, fields: Record<string, string | string[]>) => session.post(url, fields);
/** The per-station rows of an alert page: station id -> state. */
const rows = (html: string) =>
  Object.fromEntries(
    [...html.matchAll(/data-station="([^"]+)" data-state="([^"]+)"/g)].map((m) => [m[1], m[2]]),
  );

beforeAll(async () => {
  ctl = await makeController();
  await buildTree(ctl, CAN_THO);
  const add = ctl.db.prepare(
    `INSERT INTO clips (id, title, original_name, source_format, sha256, bytes, duration_ms, created_at, status)
     VALUES (?, ?, 't', 'wav', ?, 10, 30000, '2026-01-01T00:00:00Z', ?)`,
  );
  add.run('clip-ok', 'Phòng chống bão', 'a'.repeat(64), 'approved');
  add.run('clip-new', 'Ghi âm khẩn', 'b'.repeat(64), 'draft');
  await ctl.tokenFor('kt-ninh-kieu', 'technician', { areas: ['ninh-kieu'] });
  session = consoleSession(ctl);
  await session.signIn('kt-ninh-kieu', 'mat-khau-thu-nghiem');
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
    // a technician of a district is offered it and what lies below, by name and level, not the city or others
    expect(page.html).toContain('value="area:ninh-kieu"');
    expect(page.html).toContain('Quận Ninh Kiều (Quận/huyện)');
    expect(page.html).toMatch(/value="area:an-hoa"[^>]*>(&nbsp;|\u00a0){2}Phường An Hòa \(Phường\/xã\)</);
    expect(page.html).toContain('value="station:st-tan-an"');
    expect(page.html).not.toContain('value="area:can-tho"');
    expect(page.html).not.toContain('le-binh');
    expect(page.html).not.toContain('Lê Bình');
  });

  it('sends a bulletin, then follows it station by station', async () => {
    const res = await post('/console/alerts', {
      level: 'emergency',
      title: 'Bão số 5',
      reason: 'Gió giật cấp 10',
      clipId: 'clip-new',
      targets: ['area:an-hoa', 'station:st-tan-an'],
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
    // targets and stations' places by name, the ids on hover only
    expect(page.html).toContain('<span title="area:an-hoa">Quận Ninh Kiều › Phường An Hòa');
    expect(page.html).toContain('Đài: Đài phường Tân An');

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

    // withdrawing asks first, naming the stations it stops at
    expect(page.html).toContain(`href="${where}/cancel"`);
    const confirm = await get(`${where}/cancel`);
    expect(confirm.html).toContain('Thu hồi bản tin?');
    expect(confirm.html).toMatch(/Bản tin sẽ dừng ngay và không phát nữa tại các đài \(2\)/);
    expect(confirm.html).toContain('Đài phường An Hòa, Đài phường Tân An');
    expect(confirm.html).toContain(`action="${where}/cancel"`);
    expect(confirm.html).toContain('name="reason"');
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
      targets: 'area:ninh-kieu',
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
    // the cancel link opens a page that says what cancelling does before it is done
    const link = `/console/overrides/ov-1/cancel?back=${encodeURIComponent('/console/stations/st-an-hoa')}`;
    expect(page.html).toContain(`href="${link}"`);
    const confirm = await get(link);
    expect(confirm.html).toContain('Hủy lệnh tại đài?');
    expect(confirm.html).toContain('Đài sẽ phát lại theo lịch.');
    expect(confirm.html).toContain('Lễ tang');
    expect(confirm.html).toContain('action="/console/overrides/ov-1/cancel"');
    const res = await post('/console/overrides/ov-1/cancel', {
      back: '/console/stations/st-an-hoa',
      reason: '',
    });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/console/stations/st-an-hoa');
    page = await get('/console/stations/st-an-hoa');
    expect(page.html).toContain('Đã gửi lệnh hủy (kt-ninh-kieu)');
    expect(page.html).not.toContain('/console/overrides/ov-1/cancel');
  });

  it('reads in English too', async () => {
    session.jar.loa_lang = 'en';
    const page = await get('/console/alerts');
    expect(page.html).toContain('Play inside quiet windows too');
    expect(page.html).toContain('Emergency');
    delete session.jar.loa_lang;
  });
});
