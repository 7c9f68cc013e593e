// The print report: a button that prints (hidden on paper, as the stylesheet's print rules hide .noprint)
// and a per-day table that says what it is, with a day per row in dd/mm/yyyy.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildTree } from '../controller/areas/trees.ts';
import { ADMIN_PASSWORD, makeController, type TestController } from '../support/controller.ts';
import { CAN_THO, consoleSession } from './session.ts';

let ctl: TestController;
let session: ReturnType<typeof consoleSession>;
let campaignId = '';

beforeAll(async () => {
  vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-12-04T03:00:00Z') });
  ctl = await makeController({ now: () => new Date() });
  await buildTree(ctl, CAN_THO);
  const campaign = await ctl.call('POST', '/api/campaigns', {
    name: 'Tuyên truyền mùa mưa',
    message: 'Diệt lăng quăng',
    startDate: '2026-12-01',
    endDate: '2026-12-03',
  });
  campaignId = campaign.body.id;
  ctl.db
    .prepare(
      `INSERT INTO clips (id, title, original_name, source_format, sha256, bytes, duration_ms, created_at, status)
       VALUES ('clip-mua-mua', 'Phòng chống sốt xuất huyết', 't', 'wav', ?, 10, 44000, '2026-11-01T00:00:00Z', 'approved')`,
    )
    .run('a'.repeat(64));
  const slot = await ctl.call('POST', '/api/slots', {
    campaignId,
    clipIds: ['clip-mua-mua'],
    startTime: '17:30',
    weekdays: [1, 2, 3, 4, 5, 6, 7],
    startDate: '2026-12-01',
    endDate: '2026-12-03',
    target: { scope: 'area', id: 'an-hoa' },
  });
  expect(slot.status).toBe(201);
  session = consoleSession(ctl);
  await session.signIn('admin', ADMIN_PASSWORD);
});
afterAll(() => {
  vi.useRealTimers();
  return ctl.cleanup();
});

describe('console: the print report', () => {
  it('has a print button that is not printed', async () => {
    const { status, html } = await session.get(`/console/campaigns/${campaignId}/report`);
    expect(status).toBe(200);
    expect(html).toMatch(
      /<p class="noprint"><button type="button" onclick="window.print\(\)">In báo cáo<\/button>/,
    );
    const css = await (await ctl.app.request('/console/style.css')).text();
    expect(css).toMatch(/@media print\{[^}]*\.noprint\{display:none\}/);
  });

  it('captions its per-day table, a day per row', async () => {
    const { html } = await session.get(`/console/campaigns/${campaignId}/report`);
    const table = html.slice(html.lastIndexOf('<table>'));
    expect(table).toMatch(/^<table><caption>Kết quả theo từng ngày: 01\/12\/2026 - 03\/12\/2026<\/caption>/);
    expect(table).toContain('<th>Ngày</th>');
    for (const day of ['01/12/2026', '02/12/2026', '03/12/2026']) expect(table).toContain(`<td>${day}</td>`);
  });
});
