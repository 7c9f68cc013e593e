// The console checks before it saves: a slot, quiet window, air-time policy or bulletin form posts first to a
// "Kiểm tra trước khi lưu" page that says what the change does to the next two weeks (by station, name,
// local time and reason); "Lưu" saves exactly what was typed, "Sửa lại" brings the form back as typed.
// In-process, as a browser posts (no script needed), with real SQLite.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { consoleSession } from '../../console/session.ts';
import { ADMIN_PASSWORD } from '../../support/controller.ts';
import { CITY_CLIP, WARD_CLIP, type World, whatIfWorld } from '../what-if/world.ts';

let w: World;
let session: ReturnType<typeof consoleSession>;
beforeAll(async () => {
  w = await whatIfWorld();
  session = consoleSession(w.ctl);
  await session.signIn('admin', ADMIN_PASSWORD);
});
afterAll(() => {
  vi.useRealTimers();
  return w.ctl.cleanup();
});

/** The text of a page a person reads. */
const visible = (html: string) =>
  html
    .replace(/<script[\s\S]*?<\/script>|<style[\s\S]*?<\/style>/g, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');

const fromHtml = (v: string) =>
  v
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

/** The hidden fields the check page carries (its token and step left out), as a form posts them. */
function carried(html: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"\s*\/?>/g)) {
    const [, name, value] = m as unknown as [string, string, string];
    if (name === '_csrf') continue;
    const list = out[name] ?? [];
    list.push(fromHtml(value));
    out[name] = list;
  }
  return out;
}

const wardSlotForm = (extra: Record<string, string | string[]> = {}) => ({
  _step: 'check',
  clipId: WARD_CLIP,
  startTime: '06:29',
  flexibleUntil: '',
  weekdays: ['1', '2', '3', '4', '5', '6', '7'],
  startDate: '01/12/2026',
  endDate: '31/12/2026',
  target: 'area:an-hoa',
  ...extra,
});
const slotsOf = async (campaignId: string) =>
  (await w.ctl.call('GET', `/api/campaigns/${campaignId}`)).body.slots as { id: string; startTime: string }[];

describe('console: the check before saving', () => {
  it("warns that a ward's slot pushes the city campaign off the ward's station; Sửa lại, then Lưu", async () => {
    const action = `/console/campaigns/${w.wardCampaign}/slots`;
    const campaign = (await session.get(`/console/campaigns/${w.wardCampaign}`)).html;
    expect(campaign).toMatch(/action="[^"]*\/slots"[^>]*>[\s\S]*?name="_step" value="check"/);

    const check = await session.post(action, wardSlotForm());
    expect(check.status).toBe(200);
    const html = await check.text();
    const text = visible(html);
    expect(text).toContain('Kiểm tra trước khi lưu');
    // the city's 06:30 at An Hòa, by name and local time, pushed off by the ward's 06:29, with the reason
    expect(text).toMatch(
      /Đài phường An Hòa · Khung giờ phát 06:30 · Tuyên truyền mùa mưa Bị đẩy khỏi lịch \(trùng lịch\): 05\/12\/2026 06:30, 06\/12\/2026 06:30, 07\/12\/2026 06:30, 08\/12\/2026 06:30 … \(14 lượt\) Lý do: Trùng lịch với lượt phát khác Nguyên nhân: Khung giờ phát 06:29 · Ngày chủ nhật xanh \(mục đang lưu\)/,
    );
    expect(text).not.toContain('Đài phường Tân An');
    expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    expect(await slotsOf(w.wardCampaign)).toEqual([]); // nothing saved yet

    const typed = carried(html);
    expect(typed).toMatchObject({ startTime: ['06:29'], target: ['area:an-hoa'], startDate: ['01/12/2026'] });
    expect(typed.weekdays).toEqual(['1', '2', '3', '4', '5', '6', '7']);
    // the id the check tried the slot under rides along, so ties fall as the page said
    expect(typed.id).toEqual([expect.stringMatching(/^slot-[0-9a-f]{8}$/)]);
    expect(html).toMatch(/<button type="submit" name="_step" value="save">Lưu<\/button>/);

    // "Sửa lại": the form again, every field as typed, nothing saved
    const again = await session.post(action, { ...typed, _step: 'edit' });
    expect(again.status).toBe(200);
    const form = await again.text();
    expect(form).toMatch(/name="startTime"[^>]*value="06:29"|value="06:29"[^>]*name="startTime"/);
    expect(form).toMatch(/<option[^>]*value="area:an-hoa"[^>]*selected/);
    expect(form).not.toContain('Kiểm tra trước khi lưu');
    expect(await slotsOf(w.wardCampaign)).toEqual([]);

    // "Lưu": saved exactly as typed
    const saved = await session.post(action, { ...typed, _step: 'save' });
    expect(saved.status).toBe(303);
    expect(saved.headers.get('location')).toBe(`/console/campaigns/${w.wardCampaign}`);
    // "Lưu" pressed twice: the second is refused by the id it carries, not saved again
    const twice = await session.post(action, { ...typed, _step: 'save' });
    expect(twice.status).toBe(400);
    expect(visible(await twice.text())).toContain('Mã này đã được dùng: mục này đã được lưu rồi');
    const slots = await slotsOf(w.wardCampaign);
    expect(slots).toHaveLength(1);
    expect(slots[0]).toMatchObject({
      id: typed.id?.[0],
      startTime: '06:29',
      weekdays: [1, 2, 3, 4, 5, 6, 7],
      endDate: '2026-12-31',
    });
  });

  it('checks an edit of that slot: the city plays come back when it moves to 07:00', async () => {
    const [slot] = await slotsOf(w.wardCampaign);
    const action = `/console/slots/${slot?.id}/edit`;
    const res = await session.post(action, wardSlotForm({ startTime: '07:00' }));
    expect(res.status).toBe(200);
    const text = visible(await res.text());
    expect(text).toMatch(/Tuyên truyền mùa mưa Được phát trở lại: 05\/12\/2026 06:30/);
    expect(text).toMatch(/Khung giờ phát 06:29 · Ngày chủ nhật xanh \(mục đang lưu\)/);
    expect(text).toMatch(
      /Đài phường An Hòa 14 14 05\/12\/2026 07:00, 06\/12\/2026 07:00, 07\/12\/2026 07:00/,
    );
    expect((await slotsOf(w.wardCampaign))[0]?.startTime).toBe('06:29');
  });

  it("checks a relay too: a relay 06:25-06:45 at Tân An pushes the city's 06:30 off there", async () => {
    const res = await session.post(`/console/campaigns/${w.cityCampaign}/relays`, {
      _step: 'check',
      url: 'https://radio.example.vn/vov1',
      viaServer: 'on',
      startTime: '06:25',
      endTime: '06:45',
      fallbackClipId: '',
      weekdays: ['6'],
      startDate: '01/12/2026',
      endDate: '31/12/2026',
      target: 'area:tan-an',
    });
    expect(res.status).toBe(200);
    const text = visible(await res.text());
    expect(text).toMatch(
      /Đài phường Tân An · Khung giờ phát 06:30 · Tuyên truyền mùa mưa Bị đẩy khỏi lịch \(trùng lịch\): 05\/12\/2026 06:30, 12\/12\/2026 06:30/,
    );
    expect(text).toContain('Nguyên nhân: Khung giờ phát 06:25 · Tuyên truyền mùa mưa (mục đang lưu)');
    expect(await slotsOf(w.cityCampaign)).toHaveLength(1);
  });

  it('reads in English for who chose English', async () => {
    session.jar.loa_lang = 'en';
    try {
      const res = await session.post(
        `/console/campaigns/${w.wardCampaign}/slots`,
        wardSlotForm({ startTime: '06:28' }),
      );
      const text = visible(await res.text());
      expect(text).toContain('Check before saving');
      expect(text).toMatch(
        /Đài phường An Hòa · Slot 06:30 · Tuyên truyền mùa mưa Pushed off \(clash\): 05\/12\/2026 06:30/,
      );
      expect(text).toContain('Reason: Overlaps another entry');
      expect(text).toContain('Caused by: Slot 06:28 · Ngày chủ nhật xanh (what you are saving)');
    } finally {
      delete session.jar.loa_lang;
    }
  });

  it('a quiet window names the plays it will skip and why', async () => {
    const res = await session.post('/console/quiet-windows', {
      _step: 'check',
      reason: 'online-class',
      note: 'Học trực tuyến lớp 9',
      startTime: '06:00',
      endTime: '07:00',
      weekdays: ['1'],
      startDate: '01/12/2026',
      endDate: '31/12/2026',
      exceptDates: '',
      target: 'area:tan-an',
      daysMode: 'all',
    });
    expect(res.status).toBe(200);
    const text = visible(await res.text());
    expect(text).toMatch(
      /Đài phường Tân An · Khung giờ phát 06:30 · Tuyên truyền mùa mưa Bị bỏ qua: 07\/12\/2026 06:30, 14\/12\/2026 06:30 Lý do: Giờ học trực tuyến Nguyên nhân: Khung giờ không phát 06:00-07:00 · Giờ học trực tuyến · Học trực tuyến lớp 9 \(mục đang lưu\)/,
    );
    expect((await w.ctl.call('GET', '/api/quiet-windows')).body).toEqual([]);
  });

  it('says when nothing else is affected', async () => {
    const res = await session.post(`/console/campaigns/${w.cityCampaign}/slots`, {
      ...wardSlotForm({ clipId: CITY_CLIP, startTime: '20:00', target: 'area:le-binh' }),
    });
    expect(res.status).toBe(200);
    const text = visible(await res.text());
    expect(text).toContain('Không ảnh hưởng đến lịch phát nào khác.');
    expect(text).toMatch(/Đài phường Lê Bình 0 14 04\/12\/2026 20:00, 05\/12\/2026 20:00/);
  });

  it('a form the check cannot read comes back as typed with the field marked, nothing saved', async () => {
    const res = await session.post(
      `/console/campaigns/${w.wardCampaign}/slots`,
      wardSlotForm({ startTime: '25:00' }),
    );
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toMatch(/name="startTime"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*name="startTime"/);
    expect(html).not.toContain('Kiểm tra trước khi lưu');
    const late = await session.post(
      `/console/campaigns/${w.wardCampaign}/slots`,
      wardSlotForm({ endDate: '31/01/2027' }),
    );
    expect(late.status).toBe(400);
    expect(await slotsOf(w.wardCampaign)).toHaveLength(1);
  });

  it('a priority bulletin is checked; an emergency goes out at once', async () => {
    const bulletin = {
      title: 'Lịch cắt nước',
      reason: 'Thông báo của công ty cấp nước',
      clipId: WARD_CLIP,
      targets: 'station:st-le-binh',
      expiresAt: '',
    };
    const check = await session.post('/console/alerts', { ...bulletin, level: 'priority', _step: 'check' });
    expect(check.status).toBe(200);
    const text = visible(await check.text());
    expect(text).toContain('Kiểm tra trước khi lưu');
    expect(text).toMatch(/Dời giờ phát: 05\/12\/2026 06:30 → 06:3\d/);
    expect(text).toContain('Phát bản tin: Lịch cắt nước (mục đang lưu)');
    expect((await w.ctl.call('GET', '/api/alerts')).body).toEqual([]);
    const sent = await session.post('/console/alerts', { ...bulletin, level: 'emergency', _step: 'check' });
    expect(sent.status).toBe(303);
    expect(sent.headers.get('location')).toMatch(/^\/console\/alerts\/al-/);
  });

  it('an air-time policy lists the stations that will be over its limits', async () => {
    const res = await session.post('/console/airtime-policies', {
      _step: 'check',
      target: 'area:le-binh',
      maxDaysPerWeek: '5',
      enforcement: 'warn',
      daysMode: 'all',
    });
    expect(res.status).toBe(200);
    const text = visible(await res.text());
    expect(text).toMatch(/Đài phường Lê Bình 07\/12\/2026 Quá số ngày phát trong tuần \(7\/5\)/);
    expect(text).toContain('Các khung giờ đã lưu vẫn giữ nguyên');
    expect((await w.ctl.call('GET', '/api/airtime-policies')).body).toEqual([]);
  });
});
