// The slot form's and the bulletin form's "Phát lặp lại" and "Chuông mở đầu / kết thúc", posted as the console
// posts them: saved into `repeat` and `chime`, shown in the campaign's list; a number out of range comes back
// as typed, the field marked, the reason in Vietnamese, nothing stored.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CAN_THO, consoleSession } from '../../console/session.ts';
import { ADMIN_PASSWORD, makeController, type TestController } from '../../support/controller.ts';
import { buildTree } from '../areas/trees.ts';

let ctl: TestController;
let session: ReturnType<typeof consoleSession>;
let campaignId = '';
const CLIP = 'clip-tiem-chung';

beforeAll(async () => {
  ctl = await makeController({ now: () => new Date('2026-12-04T03:00:00Z') });
  await buildTree(ctl, CAN_THO);
  ctl.db
    .prepare(
      `INSERT INTO clips (id, title, original_name, source_format, sha256, bytes, duration_ms, created_at, status)
       VALUES (?, ?, 't', 'wav', ?, 10, 44000, '2026-12-01T00:00:00Z', 'approved')`,
    )
    .run(CLIP, 'Lịch tiêm chủng', 'a'.repeat(64));
  const campaign = await ctl.call('POST', '/api/campaigns', {
    name: 'Tiêm chủng mở rộng',
    message: 'Tiêm mũi 3',
    startDate: '2026-12-01',
    endDate: '2026-12-31',
  });
  campaignId = campaign.body.id;
  session = consoleSession(ctl);
  await session.signIn('admin', ADMIN_PASSWORD);
});
afterAll(() => ctl.cleanup());

const tagOf = (html: string, name: string, value?: string) =>
  new RegExp(`<input[^>]*name="${name}"${value ? `[^>]*value="${value}"` : ''}[^>]*>`).exec(html)?.[0] ?? '';
const slotPart = (html: string) =>
  html.slice(html.indexOf(`/slots"`), html.indexOf('</form>', html.indexOf(`/slots"`)));
const slotForm = (extra: Record<string, string | string[]>) => ({
  clipId: CLIP,
  startTime: '06:30',
  startDate: '10/12/2026',
  endDate: '20/12/2026',
  target: 'area:an-hoa',
  weekdays: ['1', '3', '5'],
  shapeFields: '1',
  ...extra,
});
const slots = async () => (await ctl.call('GET', `/api/campaigns/${campaignId}`)).body.slots;

describe('console: repeat and chime in the slot form', () => {
  it('offers the fields, fresh: once, no chime', async () => {
    const form = slotPart((await session.get(`/console/campaigns/${campaignId}`)).html);
    expect(form).toContain('Phát lặp lại (số lần, 1-5)');
    expect(form).toContain('Chuông mở đầu');
    expect(form).toContain('Chuông kết thúc');
    expect(tagOf(form, 'repeatTimes')).toContain('value="1"');
    expect(tagOf(form, 'chime', 'before')).not.toContain('checked');
  });

  it('keeps a form with 7 times as typed, marks it, says why in Vietnamese, stores nothing', async () => {
    const res = await session.post(
      `/console/campaigns/${campaignId}/slots`,
      slotForm({ repeatTimes: '7', repeatGap: '10', chime: ['before'] }),
    );
    expect(res.status).toBe(400);
    const form = slotPart(await res.text());
    expect(tagOf(form, 'repeatTimes')).toContain('value="7"');
    expect(tagOf(form, 'repeatTimes')).toContain('aria-invalid="true"');
    expect(form).toContain('Số lần phát phải là số nguyên từ 1 đến 5.');
    expect(tagOf(form, 'repeatGap')).toContain('value="10"');
    expect(tagOf(form, 'chime', 'before')).toContain('checked');
    expect(tagOf(form, 'chime', 'after')).not.toContain('checked');
    expect(tagOf(form, 'startTime')).toContain('value="06:30"');
    expect(await slots()).toEqual([]);
  });

  it('refuses a gap over 120 s the same way', async () => {
    const res = await session.post(
      `/console/campaigns/${campaignId}/slots`,
      slotForm({ repeatTimes: '2', repeatGap: '300' }),
    );
    expect(res.status).toBe(400);
    const form = slotPart(await res.text());
    expect(tagOf(form, 'repeatGap')).toContain('aria-invalid="true"');
    expect(form).toContain('Thời gian nghỉ giữa các lần phải là số giây nguyên từ 0 đến 120.');
    expect(await slots()).toEqual([]);
  });

  it('saves 3 times, 10 s apart, with both chimes, and lists it so', async () => {
    const res = await session.post(
      `/console/campaigns/${campaignId}/slots`,
      slotForm({ repeatTimes: '3', repeatGap: '10', chime: ['before', 'after'] }),
    );
    expect(res.status).toBe(303);
    const [slot] = await slots();
    expect(slot).toMatchObject({
      repeat: { times: 3, gapSeconds: 10 },
      chime: { before: true, after: true },
    });
    const page = (await session.get(`/console/campaigns/${campaignId}`)).html;
    expect(page).toContain('3 lần, nghỉ 10 s · chuông mở đầu, kết thúc');
    await ctl.call('DELETE', `/api/slots/${slot.id}`);
  });

  it('the edit form shows them as stored, and changes them', async () => {
    const saved = await ctl.call('POST', '/api/slots', {
      campaignId,
      clipIds: [CLIP],
      startTime: '07:00',
      weekdays: [1, 2, 3, 4, 5, 6, 7],
      startDate: '2026-12-10',
      endDate: '2026-12-20',
      target: { scope: 'area', id: 'an-hoa' },
      repeat: { times: 3, gapSeconds: 10 },
      chime: { before: true, after: false },
    });
    expect(saved.status).toBe(201);
    const id = saved.body.id as string;
    const form = (await session.get(`/console/slots/${id}/edit`)).html;
    expect(tagOf(form, 'repeatTimes')).toContain('value="3"');
    expect(tagOf(form, 'repeatGap')).toContain('value="10"');
    expect(tagOf(form, 'chime', 'before')).toContain('checked');
    expect(tagOf(form, 'chime', 'after')).not.toContain('checked');
    const res = await session.post(
      `/console/slots/${id}/edit`,
      slotForm({ startTime: '07:00', repeatTimes: '2', repeatGap: '0', chime: 'after' }),
    );
    expect(res.status).toBe(303);
    expect((await ctl.call('GET', `/api/slots/${id}`)).body).toMatchObject({
      repeat: { times: 2, gapSeconds: 0 },
      chime: { before: false, after: true },
    });
    await ctl.call('DELETE', `/api/slots/${id}`);
  });

  it('once without chime saves a slot as before', async () => {
    const res = await session.post(`/console/campaigns/${campaignId}/slots`, slotForm({ repeatTimes: '1' }));
    expect(res.status).toBe(303);
    const [slot] = await slots();
    expect(slot.repeat ?? null).toBeNull();
    expect(slot.chime ?? null).toBeNull();
    await ctl.call('DELETE', `/api/slots/${slot.id}`);
  });
});

describe('console: repeat and chime in the bulletin form', () => {
  const bulletinForm = (extra: Record<string, string | string[]>) => ({
    level: 'normal',
    title: 'Thông báo tiêm chủng',
    reason: 'Lịch tiêm mũi 3',
    clipId: CLIP,
    targets: 'area:an-hoa',
    shapeFields: '1',
    ...extra,
  });

  it('sends a bulletin read twice with a closing chime', async () => {
    const res = await session.post(
      '/console/alerts',
      bulletinForm({ repeatTimes: '2', repeatGap: '5', chime: 'after' }),
    );
    expect(res.status).toBe(303);
    const id = decodeURIComponent(String(res.headers.get('location')).split('/').at(-1) ?? '');
    const sent = await ctl.call('GET', `/api/alerts/${id}`);
    expect(sent.body).toMatchObject({
      repeat: { times: 2, gapSeconds: 5 },
      chime: { before: false, after: true },
    });
    expect((await session.get(`/console/alerts/${id}`)).html).toContain('2 lần, nghỉ 5 s · chuông kết thúc');
  });

  it('keeps a refused bulletin form as typed', async () => {
    const before = (await ctl.call('GET', '/api/alerts')).body.length;
    const res = await session.post('/console/alerts', bulletinForm({ repeatTimes: 'ba', chime: 'before' }));
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(tagOf(html, 'repeatTimes')).toContain('value="ba"');
    expect(tagOf(html, 'repeatTimes')).toContain('aria-invalid="true"');
    expect(tagOf(html, 'chime', 'before')).toContain('checked');
    expect((await ctl.call('GET', '/api/alerts')).body.length).toBe(before);
  });
});
