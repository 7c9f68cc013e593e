// What a technician reads on the clip page after an upload that is not a new clip: the same file again
// under a new title names the clip it already is, with a link to it; a recording cut short says, in
// Vietnamese, that it looks cut off. In headless Chromium through the real upload script.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tone } from '../audio/fixtures.ts';
import { buildTree } from '../controller/areas/trees.ts';
import { launchChromium, serveApp, signIn } from '../support/browser.ts';
import { makeController, type TestController } from '../support/controller.ts';
import { tempDir } from '../support/temp.ts';
import { CAN_THO } from './session.ts';

const PASSWORD = 'mat-khau-dai-du';
let ctl: TestController;
let server: Awaited<ReturnType<typeof serveApp>>;
let base = '';
let browser: Browser;
let tech: Page;
const tmp = tempDir('upload-notices');
const f = (name: string) => path.join(tmp.dir, name);

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
  tone(f('tiem-chung.mp3'), 3, ['-c:a', 'libmp3lame', '-b:a', '64k']);
  const bytes = readFileSync(f('tiem-chung.mp3'));
  writeFileSync(f('cut.mp3'), bytes.subarray(0, Math.floor(bytes.length / 2)));
  browser = await launchChromium();
  tech = await (await browser.newContext({ viewport: { width: 360, height: 740 } })).newPage();
  await signIn(tech, base, 'kt-ninh-kieu', PASSWORD);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  server?.close();
  ctl?.cleanup();
  tmp.cleanup();
});

async function upload(title: string, file: string) {
  await tech.goto(`${base}/console/clips`);
  await tech.fill('#upload input[name=title]', title);
  await tech.setInputFiles('#upload input[name=file]', file);
  await tech.click('#upload button[type=submit]');
}

describe('upload notices on the clip page', () => {
  it('the same file under a new title names the clip it already is, and links it', async () => {
    await upload('Tiêm chủng tháng 12', f('tiem-chung.mp3'));
    await tech.waitForSelector('td:text("Tiêm chủng tháng 12")', { timeout: 60_000 });
    await upload('Bản sao tiêm chủng', f('tiem-chung.mp3'));
    const link = tech.locator('#note a');
    await link.waitFor();
    expect(await tech.locator('#note').textContent()).toBe(
      'Âm thanh này đã có trong thư viện (cùng một tệp), với tên Tiêm chủng tháng 12',
    );
    const id = ((await link.getAttribute('href')) ?? '').slice(1);
    expect(await tech.locator(`tr[id="${id}"] td`).first().textContent()).toBe('Tiêm chủng tháng 12');
    const titles = ((await ctl.call('GET', '/api/clips')).body as { title: string }[]).map((c) => c.title);
    expect(titles).toEqual(['Tiêm chủng tháng 12']);
  });

  it('a recording cut short is refused in Vietnamese, saying it looks cut off', async () => {
    await upload('Thông báo bị cắt', f('cut.mp3'));
    // the note reads "Đang xử lý" (processing) once the bytes are sent, then the answer
    await tech.waitForFunction(
      "(t => t.length > 0 && t !== document.getElementById('upload').dataset.processing)(document.getElementById('note').textContent)",
    );
    const note = (await tech.locator('#note').textContent()) ?? '';
    expect(note).toMatch(/^Tệp âm thanh có vẻ bị cắt cụt, không đầy đủ/);
    expect(note).not.toMatch(/\/tmp|upload|clip rejected/);
  });
});
