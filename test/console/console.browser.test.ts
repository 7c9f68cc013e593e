// The console in headless Chromium: a district technician uploads a clip (progress bar on a slow link),
// a reviewer approves it, the technician plans a campaign with an online-class quiet window, sees the
// skipped entry in the week preview, downloads the report CSV; another district sees none of it.
// Screenshots at laptop and phone widths go to screenshotDir() (docs/screenshots/ with `npm run docs:screenshots`).
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { serve } from '@hono/node-server';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeAsRun } from '../../controller/plays/store.ts';
import { slotEntryId } from '../../schedules/entry-ids.ts';
import { tone } from '../audio/fixtures.ts';
import { buildTree } from '../controller/areas/trees.ts';
import { launchChromium, screenshotDir } from '../support/browser.ts';
import { makeController, type TestController } from '../support/controller.ts';
import { tempDir } from '../support/temp.ts';
import { waitFor } from '../support/wait.ts';
import { CAN_THO } from './session.ts';

const SHOTS = screenshotDir();
const PASSWORD = 'mat-khau-dai-du';
let ctl: TestController;
let server: ReturnType<typeof serve>;
let base = '';
let browser: Browser;
const tmp = tempDir('console');

beforeAll(async () => {
  ctl = await makeController(undefined, { MAX_UPLOAD_MB: '50' });
  server = serve({ fetch: ctl.app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise((r) => server.once('listening', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  await buildTree(ctl, CAN_THO);
  for (const [username, role, areas] of [
    ['kt-ninh-kieu', 'technician', ['ninh-kieu']],
    ['kt-cai-rang', 'technician', ['cai-rang']],
    ['duyet', 'reviewer', []],
  ] as const) {
    const made = await ctl.call('POST', '/api/users', { username, role, password: PASSWORD, areas });
    expect(made.status).toBe(201);
  }
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  server?.close();
  ctl?.cleanup();
  tmp.cleanup();
});

async function signIn(user: string, width = 1280, height = 800): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height }, acceptDownloads: true });
  const page = await context.newPage();
  await page.goto(`${base}/console/login`);
  await page.fill('input[name=username]', user);
  await page.fill('input[name=password]', PASSWORD);
  await Promise.all([page.waitForURL(`${base}/console`), page.click('button[type=submit]')]);
  return page;
}

const shot = (page: Page, name: string) =>
  page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });

describe('console', () => {
  it('walks a campaign from upload to report', async () => {
    const tech = await signIn('kt-ninh-kieu');
    expect(await tech.locator('tbody tr').count()).toBe(2);
    await shot(tech, 'stations-laptop');

    // Upload on a slow link: the progress bar shows.
    const cdp = await tech.context().newCDPSession(tech);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 100,
      downloadThroughput: 4e6,
      uploadThroughput: 1.5e6,
    });
    const wav = tone(path.join(tmp.dir, 'thong-bao.wav'), 12, ['-ac', '2', '-ar', '48000']);
    await tech.goto(`${base}/console/clips`);
    await tech.fill('#upload input[name=title]', 'Thông báo tiêm chủng');
    await tech.setInputFiles('#upload input[name=file]', wav);
    await tech.click('#upload button[type=submit]');
    await tech.waitForSelector('#bar:not([hidden])');
    // the bar moves while the slow upload is still under way (shown)
    const bar = `document.getElementById('bar')`;
    const seen = Number(
      await (
        await tech.waitForFunction(`!${bar}.hidden && Number(${bar}.value) > 0 && ${bar}.value`)
      ).jsonValue(),
    );
    expect(seen).toBeGreaterThan(0);
    await shot(tech, 'clips-uploading-laptop');
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: -1,
    });
    await tech.waitForFunction(
      `document.body.textContent.includes('Thông báo tiêm chủng') && document.getElementById('bar').hidden`,
      null,
      { timeout: 60_000 },
    );
    const clipId = await waitForClip('draft');

    const reviewer = await signIn('duyet');
    await reviewer.goto(`${base}/console/clips`);
    await reviewer.click(`form[action="/console/clips/${clipId}/review"] button[value=approve]`);
    await waitForClip('approved');

    // A campaign with a 09:00 slot for ward An Hòa and its online-class hours, Monday to Saturday.
    await tech.goto(`${base}/console/campaigns`);
    await tech.fill('input[name=name]', 'Tiêm chủng mùa đông');
    await tech.fill('input[name=message]', 'Xét nghiệm là then chốt, vắc-xin là căn cơ');
    await tech.fill('input[name=startDate]', '2026-11-30');
    await tech.fill('input[name=endDate]', '2026-12-06');
    await Promise.all([
      tech.waitForURL(`${base}/console/campaigns`),
      tech.click('form.card button[type=submit]'),
    ]);
    await tech.click('text=Tiêm chủng mùa đông');
    const campaignUrl = tech.url();
    const campaignId = campaignUrl.split('/').at(-1) as string;
    await tech.selectOption('select[name=clipId]', clipId);
    await tech.fill('input[name=startTime]', '09:00:00');
    await tech.selectOption('select[name=target]', 'area:an-hoa');
    // the check before saving ("Kiểm tra trước khi lưu"), then "Lưu"
    await Promise.all([tech.waitForURL(`${campaignUrl}/slots`), tech.click('form.card button[type=submit]')]);
    expect(await tech.textContent('main')).toContain('Kiểm tra trước khi lưu');
    await Promise.all([tech.waitForURL(campaignUrl), tech.click('button[name=_step][value=save]')]);
    expect(await tech.locator('tbody tr').first().textContent()).toContain('09:00');

    await tech.goto(`${base}/console/quiet-windows`);
    await tech.selectOption('form[action="/console/quiet-windows"] select[name=reason]', 'online-class');
    await tech.fill('form[action="/console/quiet-windows"] input[name=startTime]', '07:00');
    await tech.fill('input[name=endTime]', '11:30');
    await tech.fill('input[name=startDate]', '2026-11-30');
    await tech.fill('input[name=endDate]', '2026-12-06');
    await tech.selectOption('form[action="/console/quiet-windows"] select[name=target]', 'area:an-hoa');
    await Promise.all([
      tech.waitForURL(`${base}/console/quiet-windows`),
      tech.click('form[action="/console/quiet-windows"] button[type=submit]'),
    ]);
    await tech.waitForSelector('button[name=_step][value=save]');
    await Promise.all([tech.waitForLoadState('load'), tech.click('button[name=_step][value=save]')]);
    await tech.waitForSelector('details summary');

    // The same online-class hours for ward Tân An in one step, and a district air-time limit.
    await tech.click('details summary');
    await tech.selectOption('details select[name=targets]', ['area:tan-an']);
    await Promise.all([
      tech.waitForURL(`${base}/console/quiet-windows`),
      tech.click('details button[type=submit]'),
    ]);
    expect(await tech.locator('table').first().locator('tbody tr').count()).toBe(2);
    await tech.selectOption('form[action="/console/airtime-policies"] select[name=target]', 'area:ninh-kieu');
    await tech.fill('input[name=maxSessionsPerDay]', '2');
    await tech.fill('input[name=maxMinutesPerSession]', '15');
    await Promise.all([
      tech.waitForURL(`${base}/console/quiet-windows`),
      tech.click('form[action="/console/airtime-policies"] button[type=submit]'),
    ]);
    await tech.waitForSelector('button[name=_step][value=save]');
    await Promise.all([tech.waitForLoadState('load'), tech.click('button[name=_step][value=save]')]);
    await tech.waitForSelector('form[action="/console/airtime-policies"]');
    expect(await tech.locator('table').last().textContent()).toContain('Quận Ninh Kiều (Quận/huyện)');
    await shot(tech, 'quiet-windows-laptop');

    await tech.goto(`${base}/console/stations/st-an-hoa?week=2026-11-30`);
    expect(await tech.locator('.entry.skipped').count()).toBe(6);
    expect(await tech.locator('.entry.scheduled').count()).toBe(1);
    expect(await tech.locator('.entry.skipped .why').first().textContent()).toContain('Giờ học trực tuyến');
    await shot(tech, 'timetable-laptop');

    // The stations report back; the CSV from the page holds exactly the as-run log's rows.
    const slotId = (await ctl.call('GET', `/api/slots?campaign=${campaignId}`)).body[0].id as string;
    const record = (day: string, outcome: 'played' | 'skipped') => ({
      id: slotEntryId(slotId, day),
      stationId: 'st-an-hoa',
      entryId: slotEntryId(slotId, day),
      slotId,
      campaignId,
      clipIds: [clipId],
      scheduledAt: `${day}T02:00:00.000Z`,
      outcome,
      reason: outcome === 'skipped' ? 'online-class' : null,
      detail: null,
      relayOnAt: null,
      audioStartAt: outcome === 'played' ? `${day}T02:00:00.000Z` : null,
      audioEndAt: outcome === 'played' ? `${day}T02:00:12.000Z` : null,
      relayOffAt: null,
      desiredVersion: 3,
      recordedAt: `${day}T02:00:13.000Z`,
    });
    storeAsRun(ctl.db, [record('2026-11-30', 'skipped'), record('2026-12-06', 'played')], new Date());
    await tech.goto(campaignUrl);
    // All: 7 planned, 1 played, 1 skipped for online classes.
    const totals = await tech.locator('table').last().locator('tbody tr').first().textContent();
    expect(totals?.replace(/\s+/g, ' ')).toMatch(/7\s*1\s*Giờ học trực tuyến: 1/);
    await shot(tech, 'campaign-laptop');
    const [download] = await Promise.all([tech.waitForEvent('download'), tech.click('a[download]')]);
    const csv = readFileSync((await download.path()) as string, 'utf8')
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    const api = await ctl.call('GET', `/api/plays?campaign=${campaignId}`);
    expect(csv.slice(1).map((l) => JSON.parse(`[${l}]`)[0])).toEqual(
      api.body.map((p: { id: string }) => p.id),
    );
    expect(csv[0]).toContain('Kết quả');

    // Deleting the slot asks first, naming its plays at each station; "Hủy" comes back, nothing deleted.
    await tech.click(`a[href^="/console/slots/${slotId}/delete"]`);
    expect(await tech.textContent('main')).toContain('Xóa khung giờ phát?');
    await shot(tech, 'slot-delete-confirm-laptop');
    await Promise.all([tech.waitForURL(campaignUrl), tech.click('main form a:has-text("Hủy")')]);
    expect((await ctl.call('GET', `/api/slots/${slotId}`)).status).toBe(200);
    // A slot form that fails comes back as typed, the time marked, the ward still chosen.
    await tech.fill('form.card input[name=startTime]', '25:00');
    await tech.selectOption('form.card select[name=target]', 'area:an-hoa');
    await tech.click('form.card button[type=submit]');
    await tech.waitForSelector('input[name=startTime][aria-invalid=true]');
    expect(await tech.inputValue('form.card input[name=startTime]')).toBe('25:00');
    expect(await tech.inputValue('form.card select[name=target]')).toBe('area:an-hoa');
    await shot(tech, 'slot-form-refused-laptop');

    // Another district sees neither the campaign nor An Hòa.
    const other = await signIn('kt-cai-rang');
    expect(await other.locator('tbody tr').count()).toBe(1);
    await other.goto(campaignUrl);
    expect(await other.textContent('main')).toContain('Ngoài phạm vi quản lý của bạn');
    await other.goto(`${base}/console/stations/st-an-hoa`);
    expect(await other.textContent('main')).toContain('Ngoài phạm vi quản lý của bạn');

    // Phone widths.
    const phone = await signIn('kt-ninh-kieu', 390, 844);
    await shot(phone, 'stations-phone');
    await phone.goto(`${base}/console/stations/st-an-hoa?week=2026-11-30`);
    await shot(phone, 'timetable-phone');
    await phone.goto(campaignUrl);
    await shot(phone, 'campaign-phone');
  }, 180_000);
});

/** Waits (polling the API) until the only clip reaches `status`; answers its id. */
const waitForClip = (status: string): Promise<string> =>
  waitFor(
    async () => {
      const list = (await ctl.call('GET', '/api/clips')).body as { id: string; status: string }[];
      return list[0]?.status === status && list[0].id;
    },
    60_000,
    `the clip to be ${status}`,
    250,
  );
