// The library page's text-clip form in headless Chromium: a technician types a notice, listens to the
// preview, saves it (a draft with its text shown in the list), a reviewer approves it; a text with
// nothing to read is refused in Vietnamese.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CAN_THO } from '../../console/session.ts';
import { launchChromium, serveApp, signIn } from '../../support/browser.ts';
import { makeController, type TestController } from '../../support/controller.ts';
import { buildTree } from '../areas/trees.ts';

const PASSWORD = 'mat-khau-dai-du';
let ctl: TestController;
let server: Awaited<ReturnType<typeof serveApp>>;
let base = '';
let browser: Browser;
let tech: Page;

beforeAll(async () => {
  ctl = await makeController();
  server = await serveApp(ctl.app);
  base = server.base;
  await buildTree(ctl, CAN_THO);
  const made = await ctl.call('POST', '/api/users', {
    username: 'kt-ninh-kieu',
    role: 'technician',
    password: PASSWORD,
    areas: ['ninh-kieu'],
  });
  expect(made.status).toBe(201);
  browser = await launchChromium();
  tech = await (await browser.newContext({ viewport: { width: 360, height: 740 } })).newPage();
  await signIn(tech, base, 'kt-ninh-kieu', PASSWORD);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  server?.close();
  ctl?.cleanup();
});

describe('the text-clip form', { timeout: 180_000 }, () => {
  it('previews, saves a draft that shows its text, and a reviewer approves it', async () => {
    await tech.goto(`${base}/console/clips`);
    await tech.fill('#speak input[name=title]', 'Họp tổ dân phố');
    await tech.fill('#speak textarea[name=text]', 'Mời bà con KP 3 họp tổ dân phố lúc 19h30 ngày 12/12.');
    await tech.selectOption('#speak select[name=voice]', 'espeak-ng:vi-vn-x-south');
    await tech.check('#speak input[name=before]');
    await tech.click('#speak-preview');
    await tech.waitForFunction("document.getElementById('speak-player').src.startsWith('blob:')");
    expect(await tech.locator('#speak-note').textContent()).toBe('Đọc bằng espeak-ng:vi-vn-x-south');
    expect((await ctl.call('GET', '/api/clips')).body).toEqual([]); // a preview stores nothing

    await Promise.all([
      tech.waitForEvent('load', { timeout: 150_000 }),
      tech.click('#speak button[type=submit]'),
    ]);
    await tech.waitForSelector('td:has-text("Họp tổ dân phố") details');
    expect(await tech.locator('td details').first().textContent()).toContain(
      'Mời bà con KP 3 họp tổ dân phố',
    );
    const [clip] = (await ctl.call('GET', '/api/clips')).body;
    expect(clip).toMatchObject({
      status: 'draft',
      text: { voice: 'espeak-ng:vi-vn-x-south', chime: { before: true } },
    });
    const approved = await ctl.call('POST', `/api/clips/${clip.id}/approve`);
    expect(approved.body.status).toBe('approved');
  });

  it('a text with nothing to read is refused in Vietnamese', async () => {
    await tech.goto(`${base}/console/clips`);
    await tech.fill('#speak input[name=title]', 'Trống');
    await tech.fill('#speak textarea[name=text]', '🎉🎉 ***');
    await tech.click('#speak-preview');
    await tech.waitForFunction("/biểu tượng/.test(document.getElementById('speak-note').textContent)");
    expect(await tech.locator('#speak-note').textContent()).toMatch(
      /^Văn bản không có chữ hay số nào để đọc/,
    );
  });
});
