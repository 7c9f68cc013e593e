// Live speech end to end from the browser: headless Chromium with its fake microphone (a WAV of Vietnamese
// speech made with espeak-ng) speaks from the console's "Phát trực tiếp" page; the controller (a process, its
// embedded Icecast on a free port) carries it to the one station of the area that has an agent (a process
// writing what it plays to a wav file); the other station of the area has none and is shown not on air.
import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { type LiveChain, startLiveChain } from '../controller/live/chain.ts';
import { launchChromium, screenshotDir, signIn } from '../support/browser.ts';
import { ADMIN_PASSWORD } from '../support/controller.ts';
import { PROCESS_POLL_MS, waitFor } from '../support/wait.ts';

let chain: LiveChain;
let browser: Browser;
let page: Page;

/** max_volume and mean_volume of a sound file in dBFS (ffmpeg's volumedetect, reported on stderr). */
function loudness(file: string): { maxDb: number; meanDb: number } {
  const args = ['-hide_banner', '-i', file, '-af', 'volumedetect', '-f', 'null', '-'];
  const report = spawnSync('ffmpeg', args, { encoding: 'utf8' }).stderr;
  const db = (key: string) => Number(new RegExp(`${key}: (-?[\\d.]+) dB`).exec(report)?.[1]);
  return { maxDb: db('max_volume'), meanDb: db('mean_volume') };
}

beforeAll(async () => {
  chain = await startLiveChain([
    { id: 'st-an-hoa', name: 'Đài phường An Hòa', district: 'ninh-kieu', ward: 'an-hoa', agent: true },
    { id: 'st-tan-an', name: 'Đài phường Tân An', district: 'ninh-kieu', ward: 'tan-an', agent: false },
  ]);
  const wav = path.join(chain.dir, 'mic.wav');
  execFileSync('espeak-ng', ['-v', 'vi', '-w', wav, 'Kính thưa bà con, đây là thông báo khẩn của phường']);
  browser = await launchChromium([
    // a microphone that plays the file (in a loop), allowed without asking
    ...['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'],
    `--use-file-for-fake-audio-capture=${wav}`,
    '--autoplay-policy=no-user-gesture-required',
  ]);
  page = await (await browser.newContext({ viewport: { width: 1100, height: 800 } })).newPage();
  await signIn(page, chain.ctl.api, 'admin', ADMIN_PASSWORD);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await chain?.stop();
});

// generous limits: the suite runs two files side by side on two shared cores
describe('speaking from the console to a station', { timeout: 90_000 }, () => {
  it("reaches the agent's output from the fake microphone, shows it on air, and records it live", async () => {
    onTestFailed(() => {
      for (const p of chain.procs) console.error(p.output().slice(-4000));
    });
    await page.goto(`${chain.ctl.api}/console/live?target=area:ninh-kieu`);
    await page.selectOption('#live select[name=level]', 'emergency');
    await page.click('#live-button');
    await page.waitForSelector('#live[data-state=speaking]');
    const id = (await page.locator('#live').getAttribute('data-session')) as string;

    // the console shows the station with an agent on air, and says why the other is not
    const onAir = page.locator('#live-stations li[data-station=st-an-hoa][data-on-air=true]');
    await onAir.waitFor({ timeout: 30_000 });
    expect(await onAir.textContent()).toMatch(/^Đang phát Đài phường An Hòa/);
    const other = await page.locator('#live-stations li[data-station=st-tan-an]').textContent();
    expect(other).toMatch(/^Chưa phát Đài phường Tân An .*: Đài mất kết nối/);
    await page.waitForTimeout(3000); // the fake microphone speaks in real time
    await page.screenshot({ path: path.join(screenshotDir(), 'live-on-air.png') });
    await page.click('#live-button');
    await page.waitForSelector('#live[data-state=idle]');

    // the as-run record, sent by the agent once the session's stream ended
    const record = await waitFor(
      async () => (await chain.plays('st-an-hoa')).find((p) => p.entryId === `alert:${id}`),
      30_000,
      'the live record',
      PROCESS_POLL_MS,
    );
    expect(record).toMatchObject({ outcome: 'live', reason: null });
    // the agent's own count of the milliseconds heard (3 s and more of speech); the span from the first
    // sample to the end is longer (the agent tries the mount a few seconds more after the stream ends)
    expect(record.heardMs).toBeGreaterThan(2000);
    const spanMs = Date.parse(record.audioEndAt as string) - Date.parse(record.audioStartAt as string);
    expect(spanMs).toBeGreaterThanOrEqual(record.heardMs as number);

    // the station's output: a wav of this session that holds the voice, not silence
    const dir = chain.speakerDir('st-an-hoa');
    const files = readdirSync(dir).filter((f) => f.includes(id) && f.endsWith('.wav'));
    expect(files.length, readdirSync(dir).join(', ')).toBeGreaterThan(0);
    const file = path.join(
      dir,
      files.sort((a, b) => statSync(path.join(dir, b)).size - statSync(path.join(dir, a)).size)[0] as string,
    );
    // 16-bit mono at 48 kHz after a 44-byte header: seconds of sound played
    expect((statSync(file).size - 44) / 96_000, file).toBeGreaterThan(2);
    const { maxDb, meanDb } = loudness(file);
    expect(maxDb, file).toBeGreaterThan(-20);
    expect(meanDb, file).toBeGreaterThan(-50);
  });
});
