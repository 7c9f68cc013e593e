// The station's page on a phone (headless Chromium at 360x740, touch): ward staff sign in with the PIN, see
// the entry on air, tap stop, and the relay goes off within a second; the as-run says local-stop.
// Real time: the entry is due a few seconds after start. The screenshot goes to screenshotDir().
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_TIMEZONE } from '../../../schedules/model.ts';
import { utcToZoned } from '../../../schedules/time.ts';
import { toneClip } from '../../audio/fixtures.ts';
import { launchChromium, screenshotDir } from '../../support/browser.ts';
import { tempDir } from '../../support/temp.ts';
import { waitFor } from '../../support/wait.ts';
import { desired, slot, startBroker, startClipServer } from '../helpers.ts';
import { type ControllerClient, controllerClient } from '../rigs.ts';
import { openStation, PIN, recordOf, type Station, signIn } from './station.ts';

const SHOTS = screenshotDir();
const tmp = tempDir('phone');
const tone = toneClip(tmp.dir, 'clip-thong-bao', 30);
let broker: Awaited<ReturnType<typeof startBroker>>;
let clips: Awaited<ReturnType<typeof startClipServer>>;
let controller: ControllerClient;
let st: Station;
let browser: Browser;
let entryId = '';
let laterId = '';
let dueAt = new Date();

beforeAll(async () => {
  broker = await startBroker();
  clips = await startClipServer(new Map([[tone.ref.id, tone.bytes]]));
  // due far enough ahead to sign in first, even on a loaded machine
  dueAt = new Date(Math.ceil((Date.now() + 12_000) / 1000) * 1000);
  const local = utcToZoned(dueAt, DEFAULT_TIMEZONE);
  entryId = `sang@${local.date}`;
  // a later entry inside a local quiet window, placed from now (not at fixed hours, which the clock may be in)
  const later = utcToZoned(new Date(dueAt.getTime() + 150 * 60_000), DEFAULT_TIMEZONE);
  laterId = `chieu@${later.date}`;
  const state = desired(1, {
    slots: [
      slot('sang', local.time, [tone.ref.id], { startDate: local.date, endDate: local.date }),
      slot('chieu', later.time, [tone.ref.id], { startDate: later.date, endDate: later.date }),
    ],
    clips: [tone.ref],
  });
  controller = await controllerClient(broker.url);
  await controller.publishDesired(state);
  st = await openStation({ dir: tmp.dir, mqttUrl: broker.url, controllerUrl: clips.url });
  await waitFor(() => st.store.getClip(tone.ref.id), 10_000, 'clip download');
  // an exam: the later entry is skipped, and the page says why
  const staff = await signIn(st.base, 'Anh Tuấn');
  const quiet = await staff.call('POST', '/api/overrides', {
    kind: 'quiet',
    startsAt: new Date(dueAt.getTime() + 120 * 60_000).toISOString(),
    endsAt: new Date(dueAt.getTime() + 180 * 60_000).toISOString(),
    reason: 'Thi học kỳ tại trường',
  });
  if (quiet.status !== 201) throw new Error(JSON.stringify(quiet.body));
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await st?.close();
  await controller?.close();
  await broker?.close();
  await clips?.close();
  tmp.cleanup();
});

describe('the station page on a phone', () => {
  it('signs in with the PIN, shows the entry on air, and stops it with one tap', async () => {
    const context = await browser.newContext({
      viewport: { width: 360, height: 740 },
      isMobile: true,
      hasTouch: true,
      deviceScaleFactor: 2,
      locale: 'vi-VN',
    });
    const page = await context.newPage();
    await page.goto(`${st.base}/`);
    await page.fill('#login input[name=name]', 'Chị Lan');
    await page.fill('#login input[name=pin]', PIN);
    await Promise.all([page.waitForSelector('#stop'), page.tap('#login button[type=submit]')]);
    expect(await page.textContent('header')).toContain('Chị Lan');

    // the page follows the status and shows the entry once it is on air
    await page.waitForSelector(`#playing[data-id="${entryId}"]`, {
      timeout: dueAt.getTime() - Date.now() + 15_000,
    });
    await page.waitForSelector(`li.onair[data-entry="${entryId}"]`);
    expect(await page.textContent(`li[data-entry="${laterId}"]`)).toContain('Khung giờ không phát của đài');
    expect(st.relay.on).toBe(true);
    await page.screenshot({ path: path.join(SHOTS, 'local-phone.png'), fullPage: true });
    // nothing wider than the phone, with every form open too: no sideways scrolling
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(360);
    await page.evaluate(`document.querySelectorAll('details').forEach((d) => { d.open = true; })`);
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(360);

    const tappedAt = Date.now();
    await page.tap('#stop button[type=submit]');
    await waitFor(() => !st.relay.on, 2000, 'relay off');
    const off = st.journal().findLast((j) => !j.on);
    expect(Date.parse(off?.at ?? '') - tappedAt).toBeLessThan(1000);
    expect(st.agent.status().relay.on).toBe(false);

    const r = await recordOf(st, entryId);
    expect(r).toMatchObject({ outcome: 'interrupted', reason: 'local-stop' });
    expect(r.detail).toContain('Chị Lan');
    // the page reloads showing the stop among the overrides in force
    await page.waitForSelector('#overrides [data-kind="stop"]');
    expect(await page.textContent('#overrides')).toContain('Chị Lan');
    await context.close();
  }, 60_000);
});
