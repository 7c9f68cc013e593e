// Deletions ask first and say what they affect: the delete links of slots, quiet windows and air-time
// policies open a page (no script) naming the thing, the stations it reaches and its plays over the next
// two weeks in local time; nothing is deleted until that page's button is pressed.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildTree } from '../controller/areas/trees.ts';
import { ADMIN_PASSWORD, makeController, type TestController } from '../support/controller.ts';
import { CAN_THO, consoleSession } from './session.ts';

/** 10:00 on Friday 4 December 2026 in Cần Thơ. */
const NOW = new Date('2026-12-04T03:00:00Z');
const CLIP = 'clip-mua-mua';
let ctl: TestController;
let session: ReturnType<typeof consoleSession>;
const world = { campaignId: '', slotId: '', quietId: '', policyId: '' };

beforeAll(async () => {
  vi.useFakeTimers({ toFake: ['Date'], now: NOW });
  ctl = await makeController({ now: () => new Date() });
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
  world.campaignId = campaign.body.id;
  const slot = await ctl.call('POST', '/api/slots', {
    campaignId: world.campaignId,
    clipIds: [CLIP],
    startTime: '17:30',
    weekdays: [1, 3, 5],
    startDate: '2026-12-01',
    endDate: '2026-12-31',
    target: { scope: 'area', id: 'ninh-kieu' },
  });
  expect(slot.status).toBe(201);
  world.slotId = slot.body.id;
  const quiet = await ctl.call('POST', '/api/quiet-windows', {
    weekdays: [1],
    startTime: '17:00',
    endTime: '18:00',
    startDate: '2026-12-01',
    endDate: '2026-12-31',
    reason: 'online-class',
    note: 'Học trực tuyến',
    target: { scope: 'area', id: 'an-hoa' },
  });
  expect(quiet.status).toBe(201);
  world.quietId = quiet.body.id;
  const policy = await ctl.call('POST', '/api/airtime-policies', {
    target: { scope: 'area', id: 'cai-rang' },
    policy: { maxSessionsPerDay: 2, enforcement: 'warn' },
  });
  world.policyId = policy.body.id;
  session = consoleSession(ctl);
  await session.signIn('admin', ADMIN_PASSWORD);
});
afterAll(() => {
  vi.useRealTimers();
  return ctl.cleanup();
});

/** The text of a page a person reads. */
const visible = (html: string) =>
  html
    .replace(/<script[\s\S]*?<\/script>|<style[\s\S]*?<\/style>/g, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ');

describe('console: a deletion asks first and says what it affects', () => {
  it('links a slot to its confirmation, which lists its next plays at each station', async () => {
    const campaign = (await session.get(`/console/campaigns/${world.campaignId}`)).html;
    const href = `/console/slots/${world.slotId}/delete?back=${encodeURIComponent(`/console/campaigns/${world.campaignId}`)}`;
    expect(campaign).toContain(`href="${href.replace(/&/g, '&amp;')}"`);
    expect(campaign).not.toMatch(new RegExp(`<form[^>]*action="/console/slots/${world.slotId}/delete"`));
    const confirm = await session.get(href);
    expect(confirm.status).toBe(200);
    const text = visible(confirm.html);
    expect(text).toContain('Xóa khung giờ phát?');
    expect(text).toContain('Tuyên truyền mùa mưa');
    expect(text).toContain('17:30');
    expect(text).toContain('Trong 14 ngày tới');
    // Mon, Wed, Fri from 10:00 on Friday 4 to 10:00 on Friday 18 December: 4, 7, 9, 11, 14, 16; at An Hòa
    // the Mondays (7, 14) are held back by its online-class window already
    expect(text).toMatch(/Đài phường An Hòa 4 04\/12\/2026 17:30, 09\/12\/2026 17:30/);
    expect(text).toMatch(/Đài phường Tân An 6 04\/12\/2026 17:30, 07\/12\/2026 17:30/);
    expect(text).not.toContain('Đài phường Lê Bình');
    expect(confirm.html).toMatch(
      new RegExp(`<form method="post" action="/console/slots/${world.slotId}/delete"`),
    );
    expect(confirm.html).toContain(`href="/console/campaigns/${world.campaignId}">Hủy</a>`);
    // local days and names only: no yyyy-mm-dd day, no instant, no raw id in what a person reads
    expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    expect(text).not.toContain(world.slotId);
    expect(text).not.toContain('st-an-hoa');
    // nothing gone until the button is pressed
    expect((await ctl.call('GET', `/api/slots/${world.slotId}`)).status).toBe(200);
  });

  it('lists what a quiet window holds back, and deletes it on the button', async () => {
    const list = (await session.get('/console/quiet-windows')).html;
    expect(list).toContain(`href="/console/quiet-windows/${world.quietId}/delete"`);
    const confirm = visible((await session.get(`/console/quiet-windows/${world.quietId}/delete`)).html);
    expect(confirm).toContain('Xóa khung giờ không phát?');
    expect(confirm).toContain('Học trực tuyến');
    // the Mondays 7 and 14 December at An Hòa are held back; Tân An is not in the window's ward
    expect(confirm).toMatch(/Đài phường An Hòa 2 07\/12\/2026 17:30, 14\/12\/2026 17:30/);
    expect(confirm).not.toContain('Đài phường Tân An');
    expect((await ctl.call('GET', `/api/quiet-windows/${world.quietId}`)).status).toBe(200);
    const done = await session.post(`/console/quiet-windows/${world.quietId}/delete`, {
      back: '/console/quiet-windows',
    });
    expect(done.status).toBe(303);
    expect((await ctl.call('GET', `/api/quiet-windows/${world.quietId}`)).status).toBe(404);
  });

  it('names the stations an air-time policy stops applying to', async () => {
    const confirm = visible((await session.get(`/console/airtime-policies/${world.policyId}/delete`)).html);
    expect(confirm).toContain('Xóa giới hạn thời lượng phát?');
    expect(confirm).toContain('Đài phường Lê Bình');
    expect(confirm).not.toContain('Đài phường An Hòa');
  });

  it('says so in English when English is chosen', async () => {
    session.jar.loa_lang = 'en';
    const confirm = visible((await session.get(`/console/slots/${world.slotId}/delete`)).html);
    delete session.jar.loa_lang;
    expect(confirm).toContain('Delete this slot?');
    expect(confirm).toContain('Over the next 14 days');
  });
});
