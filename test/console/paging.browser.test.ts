// A province's database in headless Chromium: 10,000 stations, the station list paged 50 at a time with
// its status, area and text filters answered by the server; one station's as-run log and the audit trail
// paged by cursor too.
// biome-ignore-all lint/performance/useDomNodeTextContent: Playwright's innerText is the text a person sees
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeAsRun } from '../../controller/plays/store.ts';
import { buildTree, THREE_LEVELS } from '../controller/areas/trees.ts';
import { launchChromium } from '../support/browser.ts';
import { ADMIN_PASSWORD, makeController, type TestController } from '../support/controller.ts';
import { asRunRecord } from '../support/records.ts';

const N = 10_000;
const VILLAGES = ['kp-1', 'kp-2', 'ap-nhon-loc'];
let browser: Browser;
let ctl: TestController;
let server: ReturnType<typeof serve>;
let page: Page;
let base = '';

beforeAll(async () => {
  ctl = await makeController();
  await buildTree(ctl, THREE_LEVELS);
  // one CSV import for the whole province, as a technician would bring it
  const lines = Array.from(
    { length: N },
    (_, i) => `st-${String(i).padStart(5, '0')},Cụm loa số ${i},${VILLAGES[i % 3]}`,
  );
  const imported = await ctl.call('POST', '/api/stations/import', {
    csv: ['id,name,area', ...lines].join('\n'),
  });
  expect(imported.status).toBe(200);
  ctl.db
    .prepare("UPDATE stations SET online = 1 WHERE id LIKE 'st-%' AND CAST(substr(id, 4) AS INT) % 4 = 0")
    .run();
  const plays = Array.from({ length: 45 }, (_, i) =>
    asRunRecord(`run-${i}`, {
      stationId: 'st-00042',
      scheduledAt: new Date(Date.UTC(2026, 10, 1, 0, i)).toISOString(),
    }),
  );
  storeAsRun(ctl.db, plays, new Date());
  const audit = ctl.db.prepare(
    `INSERT INTO audit_log (at, actor, action, object_type, object_id, status, detail)
     VALUES (?, 'admin', 'PATCH /api/stations/:id', 'stations', ?, 200, '{}')`,
  );
  for (let i = 0; i < 250; i++) audit.run(new Date(Date.UTC(2026, 10, 2, 0, i)).toISOString(), `st-${i}`);

  server = serve({ fetch: ctl.app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise((r) => server.once('listening', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await launchChromium();
  page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  await page.goto(`${base}/console/login`);
  await page.fill('input[name=username]', 'admin');
  await page.fill('input[name=password]', ADMIN_PASSWORD);
  await Promise.all([page.waitForURL(`${base}/console`), page.click('button[type=submit]')]);
}, 180_000);
afterAll(async () => {
  await browser?.close();
  server?.close();
  ctl?.cleanup();
});

const rowIds = (selector = 'tr[data-station]', attr = 'data-station') =>
  page.locator(selector).evaluateAll((rows, a) => rows.map((r) => r.getAttribute(a) as string), attr);
const next = () => Promise.all([page.waitForLoadState('load'), page.click('a[rel=next]')]);

describe('the station list of 10,000 stations', () => {
  it('shows 50 at a time and pages forward without repeating a station', async () => {
    await page.goto(`${base}/console`);
    const seen: string[] = [];
    for (let i = 0; i < 4; i++) {
      const ids = await rowIds();
      expect(ids).toHaveLength(50);
      seen.push(...ids);
      await next();
    }
    expect(new Set(seen).size).toBe(200);
    await Promise.all([page.waitForLoadState('load'), page.getByText('Về trang đầu').click()]);
    expect((await rowIds())[0]).toBe(seen[0]);
  });

  it('filters by text without diacritics, by area and by status on the server', async () => {
    await page.goto(`${base}/console`);
    await page.fill('input[name=q]', 'cum loa so 9999');
    await Promise.all([page.waitForLoadState('load'), page.click('form.filters button[type=submit]')]);
    expect(await rowIds()).toEqual(['st-09999']);

    await page.fill('input[name=q]', '');
    await page.selectOption('select[name=area]', 'kp-2');
    await Promise.all([page.waitForLoadState('load'), page.click('form.filters button[type=submit]')]);
    const inVillage = await rowIds();
    expect(inVillage).toHaveLength(50);
    // kp-2 holds its own station and every third imported one (i % 3 === 1)
    expect(inVillage.every((id) => id === 'st-kp-2' || Number(id.slice(3)) % 3 === 1)).toBe(true);
    await expect(page.locator('tr[data-station] td:nth-child(2)').first().innerText()).resolves.toContain(
      'Khu phố 2',
    );

    await Promise.all([
      page.waitForLoadState('load'),
      page.getByRole('link', { name: 'Mất kết nối' }).click(),
    ]);
    expect(page.url()).toContain('area=kp-2');
    const offline = await rowIds();
    expect(offline.every((id) => id === 'st-kp-2' || Number(id.slice(3)) % 4 !== 0)).toBe(true);
  });
});

describe('one station as-run log and the audit trail', () => {
  it("pages through a station's as-run log 20 at a time", async () => {
    await page.goto(`${base}/console/stations/st-00042`);
    const pages: string[][] = [];
    for (;;) {
      pages.push(await rowIds('tr[data-play]', 'data-play'));
      if (!(await page.locator('#plays a[rel=next]').count())) break;
      await Promise.all([page.waitForLoadState('load'), page.click('#plays a[rel=next]')]);
    }
    expect(pages.map((p) => p.length)).toEqual([20, 20, 5]);
    expect(pages[0]?.[0]).toBe('run-44');
  });

  it('pages through the audit trail 100 at a time', async () => {
    await page.goto(`${base}/console/audit`);
    let rows = 0;
    for (let i = 0; i < 5; i++) {
      rows += await page.locator('main tbody tr').count();
      if (!(await page.locator('a[rel=next]').count())) break;
      await next();
    }
    const total = (ctl.db.prepare('SELECT COUNT(*) AS n FROM audit_log').get() as { n: number }).n;
    expect(rows).toBe(total);
  });
});
