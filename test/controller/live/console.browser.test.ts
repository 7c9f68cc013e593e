// Speaking from the console in headless Chromium with its fake microphone (a WAV made with espeak-ng): the
// page opens a session, the browser's MediaRecorder chunks reach the stream server's mount (an HTTP
// listener records what a station would hear), the stations are listed by name, and "Kết thúc" ends it.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, screenshotDir, signIn } from '../../support/browser.ts';
import { waitFor } from '../../support/wait.ts';
import { type LiveWorld, startLiveWorld } from './world.ts';

let w: LiveWorld;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  w = await startLiveWorld({ startTimeoutMs: 10_000, silenceTimeoutMs: 3000, tickMs: 100 });
  const wav = path.join(w.dir, 'mic.wav');
  execFileSync('espeak-ng', [
    '-v',
    'vi',
    '-w',
    wav,
    'Kính thưa bà con, đây là thông báo khẩn của phường An Hòa',
  ]);
  browser = await launchChromium([
    // a microphone that plays the file, allowed without asking
    ...['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'],
    `--use-file-for-fake-audio-capture=${wav}`,
    '--autoplay-policy=no-user-gesture-required',
  ]);
  page = await (await browser.newContext({ viewport: { width: 1100, height: 800 } })).newPage();
  await signIn(page, w.base, 'kt-ninh-kieu', 'mat-khau-thu-nghiem');
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await w?.stop();
});

describe('speaking from the console', { timeout: 60_000 }, () => {
  it('reaches the mount from the fake microphone, lists the stations by name, and ends', async () => {
    await page.goto(`${w.base}/console/live?target=area:ninh-kieu`);
    expect(await page.locator('h1').textContent()).toBe('Phát trực tiếp');
    await page.selectOption('#live select[name=level]', 'emergency');
    await page.click('#live-button');
    await page.waitForSelector('#live[data-state=speaking]');
    expect(await page.locator('#live-button').textContent()).toBe('Kết thúc');
    const id = (await page.locator('#live').getAttribute('data-session')) as string;

    // a station joins once the bulletin is out, and records two seconds of what it hears
    const [bulletin] = await waitFor(
      () => w.alertsOf(id).length > 0 && w.alertsOf(id),
      10_000,
      'the bulletin',
    );
    expect(bulletin).toMatchObject({ level: 'emergency', live: { speaker: 'kt-ninh-kieu', sessionId: id } });
    const stop = new AbortController();
    const heard = w.listen(bulletin.live.url, 'st-an-hoa', stop.signal);
    await page.waitForSelector('#live-stations li');
    const lines = await page.locator('#live-stations li').allTextContents();
    expect(lines, lines.join(' | ')).toEqual([
      'Chưa phát Đài phường An Hòa (An Hòa): Đài mất kết nối',
      'Chưa phát Đài phường Tân An (Tân An): Đài mất kết nối',
    ]);
    await page.waitForTimeout(2000); // the fake microphone speaks in real time
    await page.screenshot({ path: path.join(screenshotDir(), 'live-laptop.png') });
    await page.click('#live-button');
    await page.waitForSelector('#live[data-state=idle]');
    expect(await page.locator('#live-note').textContent()).toBe('Đã kết thúc');
    stop.abort();
    const ogg = await heard;

    const session = (await w.call('GET', `/api/live/${id}`)).body;
    expect(session).toMatchObject({ status: 'ended', endReason: 'ended', speaker: 'kt-ninh-kieu' });
    expect(session.bytes).toBeGreaterThan(2000);
    // what the station heard: Ogg/Opus, and not silence (espeak-ng's voice through the fake microphone)
    expect(ogg.subarray(0, 4).toString()).toBe('OggS');
    const file = path.join(w.dir, 'heard.ogg');
    writeFileSync(file, ogg);
    const report = execFileSync(
      'sh',
      ['-c', `ffmpeg -hide_banner -i '${file}' -af volumedetect -f null - 2>&1 | grep max_volume`],
      { encoding: 'utf8' },
    );
    const maxDb = Number(/max_volume: (-?[\d.]+) dB/.exec(report)?.[1]);
    expect(maxDb).toBeGreaterThan(-30);

    // the bulletin's own page says whose voice it carried
    await page.goto(`${w.base}/console/alerts/${id}`);
    expect(await page.locator('main').textContent()).toContain('Nói trực tiếp (kt-ninh-kieu)');
  });

  it("takes ward staff from their station's page to speak to it, at the normal level only", async () => {
    const ward = await (await browser.newContext()).newPage();
    await signIn(ward, w.base, 'cb-an-hoa', 'mat-khau-thu-nghiem');
    await ward.goto(`${w.base}/console/stations/st-an-hoa`);
    await Promise.all([ward.waitForURL(/\/console\/live/), ward.click('a:has-text("Nói trực tiếp")')]);
    expect(await ward.locator('#live select[name=targets]').inputValue()).toBe('station:st-an-hoa');
    expect(await ward.locator('#live select[name=level] option').allTextContents()).toEqual(['Thông thường']);
    await ward.close();
  });
});
