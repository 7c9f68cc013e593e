// Slots and quiet windows change in place: the edit page is filled with what is stored (local dates, the
// chosen place and days), saving PATCHes the API and keeps the id; a refused change comes back as typed
// with the field at fault marked and the stored rule unchanged.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildTree } from '../controller/areas/trees.ts';
import { ADMIN_PASSWORD, makeController, type TestController } from '../support/controller.ts';
import { CAN_THO, consoleSession } from './session.ts';

let ctl: TestController;
let session: ReturnType<typeof consoleSession>;
const world = { campaignId: '', slotId: '', quietId: '' };

beforeAll(async () => {
  vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-12-04T03:00:00Z') });
  ctl = await makeController({ now: () => new Date() });
  await buildTree(ctl, CAN_THO);
  const add = ctl.db.prepare(
    `INSERT INTO clips (id, title, original_name, source_format, sha256, bytes, duration_ms, created_at, status)
     VALUES (?, ?, 't', 'wav', ?, 10, 44000, '2026-12-01T00:00:00Z', 'approved')`,
  );
  add.run('clip-mua-mua', 'Phòng chống sốt xuất huyết', 'a'.repeat(64));
  add.run('clip-tiem-chung', 'Thông báo tiêm chủng', 'b'.repeat(64));
  world.campaignId = (
    await ctl.call('POST', '/api/campaigns', {
      name: 'Tuyên truyền mùa mưa',
      message: 'Diệt lăng quăng',
      startDate: '2026-12-01',
      endDate: '2026-12-31',
    })
  ).body.id;
  world.slotId = (
    await ctl.call('POST', '/api/slots', {
      campaignId: world.campaignId,
      clipIds: ['clip-mua-mua'],
      startTime: '17:30',
      weekdays: [1, 3, 5],
      startDate: '2026-12-01',
      endDate: '2026-12-31',
      target: { scope: 'area', id: 'an-hoa' },
    })
  ).body.id;
  world.quietId = (
    await ctl.call('POST', '/api/quiet-windows', {
      weekdays: [1, 2, 3, 4, 5],
      startTime: '07:00',
      endTime: '11:30',
      startDate: '2026-12-01',
      endDate: '2026-12-31',
      reason: 'online-class',
      note: 'Học trực tuyến',
      exceptDates: ['2026-12-24'],
      target: { scope: 'area', id: 'tan-an' },
    })
  ).body.id;
  session = consoleSession(ctl);
  await session.signIn('admin', ADMIN_PASSWORD);
});
afterAll(() => {
  vi.useRealTimers();
  return ctl.cleanup();
});

const tagOf = (html: string, name: string) =>
  new RegExp(`<(input|select)[^>]*name="${name}"[^>]*>`).exec(html)?.[0] ?? '';
const editForm = (html: string) => {
  const at = html.indexOf('/edit"');
  return html.slice(at, html.indexOf('</form>', at));
};
const slotFields = (extra: Record<string, string | string[]> = {}) => ({
  clipId: 'clip-tiem-chung',
  startTime: '06:15',
  flexibleUntil: '',
  startDate: '05/12/2026',
  endDate: '20/12/2026',
  target: 'area:ninh-kieu',
  weekdays: ['2', '4'],
  ...extra,
});

describe('console: slots and quiet windows are edited in place', () => {
  it('links a slot to its edit page, filled with what is stored', async () => {
    const campaign = (await session.get(`/console/campaigns/${world.campaignId}`)).html;
    expect(campaign).toContain(`href="/console/slots/${world.slotId}/edit"`);
    const page = (await session.get(`/console/slots/${world.slotId}/edit`)).html;
    const form = editForm(page);
    // what a person reads: local days, names, no raw id
    const text = page
      .replace(/<script[\s\S]*?<\/script>|<style[\s\S]*?<\/style>/g, ' ')
      .replace(/<[^>]*>/g, ' ');
    expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    expect(text).not.toContain(world.slotId);
    expect(text).toContain('Sửa khung giờ phát');
    expect(tagOf(form, 'startTime')).toContain('value="17:30"');
    expect(tagOf(form, 'startDate')).toContain('value="01/12/2026"');
    expect(tagOf(form, 'endDate')).toContain('value="31/12/2026"');
    expect(form).toMatch(/<option[^>]*value="area:an-hoa"[^>]*selected/);
    expect(form).toMatch(/<option[^>]*value="clip-mua-mua"[^>]*selected/);
    const ticked = [...form.matchAll(/name="weekdays" value="(\d)"( checked)?/g)].filter((m) => m[2]);
    expect(ticked.map((m) => m[1])).toEqual(['1', '3', '5']);
  });

  it('saves a changed slot under the same id', async () => {
    const res = await session.post(`/console/slots/${world.slotId}/edit`, slotFields());
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/console/campaigns/${world.campaignId}`);
    const slot = (await ctl.call('GET', `/api/slots/${world.slotId}`)).body;
    expect(slot).toMatchObject({
      clipIds: ['clip-tiem-chung'],
      startTime: '06:15',
      weekdays: [2, 4],
      startDate: '2026-12-05',
      endDate: '2026-12-20',
      target: { scope: 'area', id: 'ninh-kieu' },
    });
  });

  it('comes back as typed when the change is refused, and keeps the stored slot', async () => {
    const res = await session.post(
      `/console/slots/${world.slotId}/edit`,
      slotFields({ startTime: '08:00', flexibleUntil: '07:00' }),
    );
    expect(res.status).toBe(400);
    const form = editForm(await res.text());
    expect(tagOf(form, 'flexibleUntil')).toContain('aria-invalid="true"');
    expect(tagOf(form, 'flexibleUntil')).toContain('value="07:00"');
    expect(tagOf(form, 'startTime')).toContain('value="08:00"');
    expect(form).toContain('Giờ phát muộn nhất phải sau giờ bắt đầu, trong cùng một ngày.');
    expect((await ctl.call('GET', `/api/slots/${world.slotId}`)).body.startTime).toBe('06:15');
  });

  it('edits a quiet window in place, its exception dates in dd/mm/yyyy', async () => {
    const list = (await session.get('/console/quiet-windows')).html;
    expect(list).toContain(`href="/console/quiet-windows/${world.quietId}/edit"`);
    const form = editForm((await session.get(`/console/quiet-windows/${world.quietId}/edit`)).html);
    expect(tagOf(form, 'exceptDates')).toContain('value="24/12/2026"');
    expect(tagOf(form, 'note')).toContain('value="Học trực tuyến"');
    expect(tagOf(form, 'endTime')).toContain('value="11:30"');
    expect(form).toMatch(/<option[^>]*value="area:tan-an"[^>]*selected/);
    const res = await session.post(`/console/quiet-windows/${world.quietId}/edit`, {
      reason: 'online-class',
      startTime: '07:00',
      endTime: '10:45',
      startDate: '01/12/2026',
      endDate: '31/12/2026',
      target: 'area:tan-an',
      weekdays: ['1', '2', '3', '4', '5', '6'],
      exceptDates: '24/12/2026, 25/12/2026',
      note: 'Học trực tuyến lớp 9',
    });
    expect(res.status).toBe(303);
    expect((await ctl.call('GET', `/api/quiet-windows/${world.quietId}`)).body).toMatchObject({
      id: world.quietId,
      endTime: '10:45',
      weekdays: [1, 2, 3, 4, 5, 6],
      exceptDates: ['2026-12-24', '2026-12-25'],
      note: 'Học trực tuyến lớp 9',
    });
    expect((await ctl.call('GET', '/api/quiet-windows')).body).toHaveLength(1);
  });
});
