// The check before saving, in Chromium on a phone (360x740): a ward's slot that clashes with the city
// campaign opens "Kiểm tra trước khi lưu" (no script needed), which names the city's plays pushed off at
// the ward's station and fits the screen; "Sửa lại" brings the form back as typed, "Lưu" saves it.
// Screenshot: check-before-save-phone.png (docs/screenshots/ with SCREENSHOTS_DIR).
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { consoleSession } from '../../console/session.ts';
import { launchChromium, screenshotDir, serveApp } from '../../support/browser.ts';
import { ADMIN_PASSWORD } from '../../support/controller.ts';
import { WARD_CLIP, type World, whatIfWorld } from '../what-if/world.ts';

let w: World;
let server: Awaited<ReturnType<typeof serveApp>>;
let browser: Browser;

beforeAll(async () => {
  w = await whatIfWorld();
  server = await serveApp(w.ctl.app);
  browser = await launchChromium();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  server?.close();
  vi.useRealTimers();
  w?.ctl.cleanup();
});

it('shows the clash before saving on a phone, then saves what was typed', async () => {
  const base = server.base;
  const page = await browser.newPage({ viewport: { width: 360, height: 740 } });
  // signed in at the world's clock (Friday 4 December), the cookies handed to the browser as session
  // cookies: its own clock is not faked, and would drop cookies that expired by it
  const session = consoleSession(w.ctl);
  await session.signIn('admin', ADMIN_PASSWORD);
  await page
    .context()
    .addCookies(Object.entries(session.jar).map(([name, value]) => ({ name, value, url: base })));
  const campaign = `${base}/console/campaigns/${w.wardCampaign}`;
  const form = `form[action="/console/campaigns/${w.wardCampaign}/slots"]`;
  await page.goto(campaign);
  await page.selectOption(`${form} select[name=clipId]`, WARD_CLIP);
  await page.fill(`${form} input[name=startTime]`, '06:29');
  await page.selectOption(`${form} select[name=target]`, 'area:an-hoa');
  await Promise.all([page.waitForLoadState('load'), page.click(`${form} button[type=submit]`)]);

  await expect.poll(() => page.locator('h1').first().textContent()).toContain('Kiểm tra trước khi lưu');
  const row = page.locator('ul.effects li', { hasText: 'Tuyên truyền mùa mưa' });
  await expect.poll(() => row.count()).toBe(1);
  const text = (await row.textContent()) ?? '';
  expect(text).toContain('Đài phường An Hòa');
  expect(text).toContain('Bị đẩy khỏi lịch (trùng lịch):');
  expect(text).toContain('05/12/2026 06:30');
  expect(text).toContain('Trùng lịch với lượt phát khác');
  expect(text).toContain('Ngày chủ nhật xanh');
  // the page fits the phone: wide tables scroll inside their box, the buttons are on screen
  expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(360);
  const save = page.getByRole('button', { name: 'Lưu', exact: true });
  const edit = page.getByRole('button', { name: 'Sửa lại' });
  for (const b of [save, edit]) {
    const box = await b.boundingBox();
    expect(box && box.x >= 0 && box.x + box.width <= 360).toBe(true);
  }
  await page.screenshot({ path: path.join(screenshotDir(), 'check-before-save-phone.png'), fullPage: true });

  // Sửa lại: the form as typed, nothing saved
  await Promise.all([page.waitForLoadState('load'), edit.click()]);
  await expect.poll(() => page.inputValue(`${form} input[name=startTime]`)).toBe('06:29');
  expect(await page.inputValue(`${form} select[name=target]`)).toBe('area:an-hoa');
  expect((await w.ctl.call('GET', `/api/campaigns/${w.wardCampaign}`)).body.slots).toEqual([]);

  // again, and Lưu: saved, back on the campaign
  await Promise.all([page.waitForLoadState('load'), page.click(`${form} button[type=submit]`)]);
  await Promise.all([
    page.waitForURL(campaign),
    page.getByRole('button', { name: 'Lưu', exact: true }).click(),
  ]);
  const slots = (await w.ctl.call('GET', `/api/campaigns/${w.wardCampaign}`)).body.slots;
  expect(slots).toMatchObject([{ startTime: '06:29', target: { scope: 'area', id: 'an-hoa' } }]);
  await page.close();
}, 60_000);
