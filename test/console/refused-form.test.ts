// A form that fails keeps every field as typed and marks the one at fault: a slot with a start time of
// 25:00 or an end date before its start, a quiet window with an unreadable exception date, posted as the
// console posts them; the page comes back with every value, the field marked aria-invalid with the reason
// beside it in Vietnamese, and nothing stored; a bulletin with an unreadable expiry likewise.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTree } from '../controller/areas/trees.ts';
import { ADMIN_PASSWORD, makeController, type TestController } from '../support/controller.ts';
import { CAN_THO, consoleSession } from './session.ts';

let ctl: TestController;
let session: ReturnType<typeof consoleSession>;
let campaignId = '';
const CLIP = 'clip-mua-mua';

beforeAll(async () => {
  ctl = await makeController({ now: () => new Date('2026-12-04T03:00:00Z') });
  await buildTree(ctl, CAN_THO);
  ctl.db
    .prepare(
      `INSERT INTO clips (id, title, original_name, source_format, sha256, bytes, duration_ms, created_at, status)
       VALUES (?, ?, 't', 'wav', ?, 10, 44000, '2026-12-01T00:00:00Z', 'approved')`,
    )
    .run(CLIP, 'Phòng chống sốt xuất huyết', 'a'.repeat(64));
  const campaign = await ctl.call('POST', '/api/campaigns', {
    name: 'Tuyên truyền mùa mưa',
    message: 'Diệt lăng quăng',
    startDate: '2026-12-01',
    endDate: '2026-12-31',
  });
  campaignId = campaign.body.id;
  session = consoleSession(ctl);
  await session.signIn('admin', ADMIN_PASSWORD);
});
afterAll(() => ctl.cleanup());

/** The opening tag of the element named `name` (the first one after `after`, if given). */
function tagOf(html: string, name: string, after = 0): string {
  const re = new RegExp(`<(input|select)[^>]*name="${name}"[^>]*>`, 'g');
  re.lastIndex = after;
  return re.exec(html)?.[0] ?? '';
}

const slotForm = (extra: Record<string, string | string[]>) => ({
  clipId: CLIP,
  startTime: '06:30',
  flexibleUntil: '07:00',
  startDate: '10/12/2026',
  endDate: '20/12/2026',
  target: 'area:an-hoa',
  weekdays: ['1', '3', '5'],
  ...extra,
});

/** The slot form's part of the campaign page (the relay form after it has fields of the same names). */
const slotPart = (html: string) =>
  html.slice(html.indexOf(`/slots"`), html.indexOf('</form>', html.indexOf(`/slots"`)));

/** The relay form's part of the campaign page. */
const relayPart = (html: string) =>
  html.slice(html.indexOf(`/relays"`), html.indexOf('</form>', html.indexOf(`/relays"`)));

describe('console: a refused form comes back as typed', () => {
  it('keeps a relay form with a stream that is not http(s), and says why in Vietnamese', async () => {
    const res = await session.post(`/console/campaigns/${campaignId}/relays`, {
      url: 'rtsp://dai-tinh.local/song',
      startTime: '18:00',
      endTime: '18:30',
      fallbackClipId: CLIP,
      startDate: '10/12/2026',
      endDate: '20/12/2026',
      target: 'area:an-hoa',
      weekdays: ['1', '2'],
    });
    expect(res.status).toBe(400);
    const form = relayPart(await res.text());
    expect(tagOf(form, 'url')).toContain('value="rtsp://dai-tinh.local/song"');
    expect(tagOf(form, 'url')).toContain('aria-invalid="true"');
    expect(form).toContain('Địa chỉ luồng phải bắt đầu bằng http:// hoặc https://.');
    expect(tagOf(form, 'endTime')).toContain('value="18:30"');
    expect(form).toMatch(/<option[^>]*value="clip-mua-mua"[^>]*selected/);
    // unticked, the stream server's box stays unticked
    expect(tagOf(form, 'viaServer')).not.toContain('checked');
    expect((await ctl.call('GET', `/api/campaigns/${campaignId}`)).body.slots).toEqual([]);
  });

  it('keeps a slot form with a start time of 25:00 and marks the time', async () => {
    const res = await session.post(
      `/console/campaigns/${campaignId}/slots`,
      slotForm({ startTime: '25:00' }),
    );
    expect(res.status).toBe(400);
    const form = slotPart(await res.text());
    const time = tagOf(form, 'startTime');
    expect(time).toContain('value="25:00"');
    expect(time).toContain('aria-invalid="true"');
    expect(form).toMatch(/id="fault-startTime"[^>]*>Giờ &quot;25:00&quot; không hợp lệ/);
    expect(tagOf(form, 'flexibleUntil')).toContain('value="07:00"');
    expect(tagOf(form, 'flexibleUntil')).not.toContain('aria-invalid');
    expect(tagOf(form, 'startDate')).toContain('value="10/12/2026"');
    expect(tagOf(form, 'endDate')).toContain('value="20/12/2026"');
    // the ward stays chosen: the next save does not go city-wide
    expect(form).toMatch(/<option[^>]*value="area:an-hoa"[^>]*selected/);
    expect(form).toMatch(/<option[^>]*value="clip-mua-mua"[^>]*selected/);
    const ticked = [...form.matchAll(/name="weekdays" value="(\d)"( checked)?/g)].filter((m) => m[2]);
    expect(ticked.map((m) => m[1])).toEqual(['1', '3', '5']);
    expect((await ctl.call('GET', `/api/campaigns/${campaignId}`)).body.slots).toEqual([]);
  });

  it('marks the end date the API refuses as before the start, in Vietnamese', async () => {
    const res = await session.post(
      `/console/campaigns/${campaignId}/slots`,
      slotForm({ startDate: '20/12/2026', endDate: '10/12/2026' }),
    );
    expect(res.status).toBe(400);
    const form = slotPart(await res.text());
    expect(tagOf(form, 'endDate')).toContain('aria-invalid="true"');
    expect(tagOf(form, 'endDate')).toContain('value="10/12/2026"');
    expect(tagOf(form, 'startDate')).not.toContain('aria-invalid');
    expect(form).toContain('Ngày kết thúc không được trước ngày bắt đầu.');
    expect(tagOf(form, 'startTime')).toContain('value="06:30"');
    expect(form).toMatch(/<option[^>]*value="area:an-hoa"[^>]*selected/);
  });

  it('leaves the other forms of the page fresh, and a fresh page unmarked', async () => {
    const res = await session.post(
      `/console/campaigns/${campaignId}/slots`,
      slotForm({ startTime: '25:00' }),
    );
    const html = await res.text();
    const relay = html.slice(html.indexOf('/relays"'));
    expect(tagOf(relay, 'startTime')).not.toContain('25:00');
    const fresh = (await session.get(`/console/campaigns/${campaignId}`)).html;
    expect(fresh).not.toContain('aria-invalid');
  });

  it('keeps a quiet window with an unreadable exception date', async () => {
    const res = await session.post('/console/quiet-windows', {
      reason: 'online-class',
      startTime: '07:00',
      endTime: '11:30',
      startDate: '01/12/2026',
      endDate: '31/12/2026',
      target: 'area:tan-an',
      weekdays: ['1', '2'],
      note: 'Học trực tuyến lớp 9',
      exceptDates: '24/12/2026, 32/12/2026',
    });
    expect(res.status).toBe(400);
    const html = await res.text();
    const start = html.indexOf('action="/console/quiet-windows"');
    const form = html.slice(start, html.indexOf('</form>', start));
    expect(tagOf(form, 'exceptDates')).toContain('aria-invalid="true"');
    expect(tagOf(form, 'exceptDates')).toContain('value="24/12/2026, 32/12/2026"');
    expect(form).toContain('Ngày &quot;32/12/2026&quot; không hợp lệ');
    expect(tagOf(form, 'note')).toContain('value="Học trực tuyến lớp 9"');
    expect(tagOf(form, 'endTime')).toContain('value="11:30"');
    expect(form).toMatch(/<option[^>]*value="online-class"[^>]*selected/);
    expect(form).toMatch(/<option[^>]*value="area:tan-an"[^>]*selected/);
    expect((await ctl.call('GET', '/api/quiet-windows')).body).toEqual([]);
  });

  it('keeps a bulletin form with an unreadable expiry, both places still chosen', async () => {
    const res = await session.post('/console/alerts', {
      level: 'priority',
      title: 'Triều cường',
      reason: 'Nước dâng cao chiều nay',
      clipId: CLIP,
      targets: ['area:an-hoa', 'area:le-binh'],
      expiresAt: '32/12/2026 18:00',
      ignoreQuietWindows: 'on',
    });
    expect(res.status).toBe(400);
    const html = await res.text();
    const start = html.indexOf('action="/console/alerts"');
    const form = html.slice(start, html.indexOf('</form>', start));
    expect(tagOf(form, 'expiresAt')).toContain('aria-invalid="true"');
    expect(tagOf(form, 'expiresAt')).toContain('value="32/12/2026 18:00"');
    expect(form).toContain('id="fault-expiresAt"');
    expect(tagOf(form, 'title')).toContain('value="Triều cường"');
    expect(tagOf(form, 'reason')).toContain('value="Nước dâng cao chiều nay"');
    expect(form).toMatch(/<option[^>]*value="priority"[^>]*selected/);
    expect(form).toMatch(/<option[^>]*value="area:an-hoa"[^>]*selected/);
    expect(form).toMatch(/<option[^>]*value="area:le-binh"[^>]*selected/);
    expect(form).not.toMatch(/<option[^>]*value="area:tan-an"[^>]*selected/);
    expect(form).toMatch(/name="ignoreQuietWindows" value="on" checked/);
    expect((await ctl.call('GET', '/api/alerts')).body).toEqual([]);
  });

  it('keeps a station change the API refuses, its form open', async () => {
    const res = await session.post('/console/areas/stations', {
      station: 'station:st-tan-an',
      name: 'Đài phường Tân An (mới)',
      area: 'area:khong-co',
    });
    expect(res.status).toBe(400);
    const html = await res.text();
    const start = html.indexOf('<details class="card" open');
    expect(start).toBeGreaterThan(0);
    const form = html.slice(start, html.indexOf('</form>', start));
    expect(tagOf(form, 'name')).toContain('value="Đài phường Tân An (mới)"');
    expect(form).toMatch(/<option[^>]*value="station:st-tan-an"[^>]*selected/);
    expect(tagOf(form, 'area')).toContain('aria-invalid="true"');
    expect((await ctl.call('GET', '/api/stations/st-tan-an')).body.name).toBe('Đài phường Tân An');
  });

  it('keeps an area that cannot be added, its form open', async () => {
    const res = await session.post('/console/areas/add', {
      parent: 'area:cai-rang',
      name: 'Phường Hưng Phú',
      code: '31174',
      level: 'ward',
      id: 'an-hoa',
    });
    expect(res.status).toBeGreaterThanOrEqual(400);
    const html = await res.text();
    const start = html.indexOf('action="/console/areas/add"');
    const form = html.slice(start, html.indexOf('</form>', start));
    expect(html.slice(html.lastIndexOf('<details', start), start)).toContain('open');
    expect(tagOf(form, 'name')).toContain('value="Phường Hưng Phú"');
    expect(tagOf(form, 'code')).toContain('value="31174"');
    expect(tagOf(form, 'id')).toContain('value="an-hoa"');
    expect(form).toMatch(/<option[^>]*value="area:cai-rang"[^>]*selected/);
    expect(form).toMatch(/<option value="ward" selected/);
  });
});
