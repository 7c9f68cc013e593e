// The station's page on a phone (headless Chromium at 360x740, touch): ward staff sign in with the PIN, see
// the entry on air, tap stop and confirm it, and the relay goes off within a second; the as-run says
// local-stop; the stop shows at the top and is ended there; then they type a notice, listen, and it is read.
// Real time: the entry is due a few seconds after start. The screenshot goes to screenshotDir().
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_TIMEZONE } from '../../../schedules/model.ts';
import { utcToZoned } from '../../../schedules/time.ts';
import { toneClip } from '../../audio/fixtures.ts';
import { launchChromium, screenshotDir } from '../../support/browser.ts';
import { unreadable } from '../../support/readable.ts';
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
  dueAt = new Date(Math.ceil((Date.now() + 20_000) / 1000) * 1000);
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
    clips: [{ ...tone.ref, title: 'Thông báo phòng dịch' }],
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
  it('signs in with the PIN, shows the entry on air, stops it once confirmed, and reads a typed notice', async () => {
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
      timeout: Math.max(dueAt.getTime() - Date.now(), 0) + 15_000,
    });
    await page.waitForSelector(`li.onair[data-entry="${entryId}"]`);
    expect(await page.textContent(`li[data-entry="${laterId}"]`)).toContain('Khung giờ không phát của đài');
    expect(st.relay.on).toBe(true);
    await page.screenshot({ path: path.join(SHOTS, 'local-phone.png'), fullPage: true });
    await readable(page, 'on air');
    // nothing wider than the phone, with every form open too: no sideways scrolling
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(360);
    await page.evaluate(`document.querySelectorAll('details').forEach((d) => { d.open = true; })`);
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(360);

    // the stop asks first, saying what it cuts and what plays next; only the confirmation acts
    await page.tap('#stop button[type=submit]');
    await page.waitForSelector('#stop-dialog[open]');
    const asked = (await page.textContent('#stop-dialog')) ?? '';
    expect(asked).toContain('Dừng phát ngay bây giờ?');
    expect(asked).toContain('Sẽ dừng: Thông báo phòng dịch');
    await readable(page, 'stop confirmation');
    expect(asked).toContain('Không lượt phát nào khác bị ảnh hưởng.');
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(360);
    await page.screenshot({ path: path.join(SHOTS, 'local-phone-stop-confirm.png') });
    expect(st.relay.on).toBe(true);
    const tappedAt = Date.now();
    await page.tap('#stop-dialog button.stop');
    await waitFor(() => !st.relay.on, 2000, 'relay off');
    const off = st.journal().findLast((j) => !j.on);
    expect(Date.parse(off?.at ?? '') - tappedAt).toBeLessThan(1000);
    expect(st.agent.status().relay.on).toBe(false);

    const r = await recordOf(st, entryId);
    expect(r).toMatchObject({ outcome: 'interrupted', reason: 'local-stop' });
    expect(r.detail).toContain('Chị Lan');
    // the page reloads with the stop at the top (who, until when) and among the overrides in force
    await page.waitForSelector('#banner [data-kind="stop"]');
    expect(await page.textContent('#banner')).toContain('Người thực hiện: Chị Lan');
    await page.waitForSelector('#overrides [data-kind="stop"]');
    expect(await page.textContent('#overrides')).toContain('Chị Lan');
    await page.screenshot({ path: path.join(SHOTS, 'local-phone-stopped.png') });
    await readable(page, 'stopped');
    // ended from the banner
    await Promise.all([page.waitForEvent('load'), page.tap('#banner button[type=submit]')]);
    expect(await page.$('#banner')).toBeNull();

    // ward staff type a notice, listen to it, and have it read now
    await page.tap('details:has(#speak) > summary');
    await page.fill(
      '#speak textarea[name=text]',
      'UBND phường thông báo: 19h30 tối nay họp tổ dân phố tại nhà văn hóa.',
    );
    await page.selectOption('#speak select[name=voice]', 'espeak-ng:vi-vn-x-south');
    await page.tap('#speak [data-preview]');
    await page.waitForSelector('#speak audio:not([hidden])');
    expect(await page.evaluate(`document.querySelector('#speak audio').src`)).toMatch(/^blob:/);
    await (await page.$('details:has(#speak)'))?.screenshot({
      path: path.join(SHOTS, 'local-phone-speak.png'),
    });
    await page.tap('#speak button[type=submit]');
    const announced = await waitFor(
      () => st.agent.overrides.list().find((o) => o.kind === 'announce'),
      30_000,
      'announcement made',
    );
    expect(announced).toMatchObject({ createdBy: 'Chị Lan' });
    const said = await recordOf(st, `local:${announced.id}`, 30_000);
    expect(said.outcome).toBe('played');
    await readable(page, 'announced');
    await context.close();
  }, 120_000);

  it('at a desk: a pause shows at the top and ends from there; a typed notice read now is stopped once confirmed', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'vi-VN' });
    const page = await context.newPage();
    await page.goto(`${st.base}/`);
    await page.fill('#login input[name=name]', 'Anh Tuấn');
    await page.fill('#login input[name=pin]', PIN);
    await Promise.all([page.waitForSelector('#stop'), page.click('#login button[type=submit]')]);
    await page.click('details:has(#pause) > summary');
    await page.fill('#pause input[name=reason]', 'Họp tổ dân phố');
    await Promise.all([page.waitForEvent('load'), page.click('#pause button[type=submit]')]);
    await page.waitForSelector('#banner [data-kind="pause"]');
    // the banner is the first thing under the header
    expect(await page.evaluate(`document.querySelector('main').firstElementChild.id`)).toBe('banner');
    expect(await page.textContent('#banner')).toContain('Người thực hiện: Anh Tuấn');
    await readable(page, 'paused at a desk');
    await Promise.all([page.waitForEvent('load'), page.click('#banner button[type=submit]')]);
    expect(await page.$('#banner')).toBeNull();

    // a typed notice read now, then stopped once confirmed
    await page.click('details:has(#speak) > summary');
    await page.fill('#speak textarea[name=text]', 'Thông báo: 7h00 sáng mai cắt điện khu phố 3 đến 11h00.');
    await page.click('#speak button[type=submit]');
    await waitFor(() => st.relay.on, 60_000, 'the notice on air');
    await page.reload();
    await page.click('#stop button[type=submit]');
    await page.waitForSelector('#stop-dialog[open]');
    expect(await page.textContent('#stop-dialog')).toContain('Dừng phát ngay bây giờ?');
    await readable(page, 'stop confirmation at a desk');
    await page.click('#stop-dialog button.stop');
    await waitFor(() => !st.relay.on, 2000, 'relay off');
    await page.waitForSelector('#banner [data-kind="stop"]');
    await readable(page, 'stopped at a desk');
    await context.close();
  }, 120_000);
});

/** Nothing on the page a Vietnamese reader should not meet: English, UTC instants, the entries' raw ids. */
async function readable(page: Page, step: string) {
  const found = await unreadable(
    page,
    [entryId, laterId, 'sang', 'chieu', tone.ref.id],
    ['Chị Lan', 'Anh Tuấn'],
  );
  expect(found, step).toEqual({ english: [], utc: [], ids: [] });
}
