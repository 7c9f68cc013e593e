// The area pages in headless Chromium with trees of 2, 3 and 5 levels: the tree at any depth with level
// names, codes and stations; a target four levels down picked by typing its name (without diacritics);
// a merge of two communes previewed (stations, quiet windows, people) and then applied. Vietnamese names
// throughout: no raw id in the visible text where a name exists.
// biome-ignore-all lint/performance/useDomNodeTextContent: Playwright's innerText is the text a person sees
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { serve } from '@hono/node-server';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newVersion } from '../../controller/areas/history.ts';
import { insertArea, replaceLevels } from '../../controller/areas/tree.ts';
import { insertStation } from '../../controller/stations/store.ts';
import {
  type AreaSpec,
  buildTree,
  FIVE_LEVELS,
  THREE_LEVELS,
  type TreeSpec,
  TWO_LEVELS,
} from '../controller/areas/trees.ts';
import { launchChromium, screenshotDir } from '../support/browser.ts';
import { ADMIN_PASSWORD, makeController, type TestController } from '../support/controller.ts';

const SHOTS = screenshotDir();
let browser: Browser;
const open: { ctl: TestController; server: ReturnType<typeof serve> }[] = [];

beforeAll(async () => {
  browser = await launchChromium();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  for (const o of open) {
    o.server.close();
    o.ctl.cleanup();
  }
});

/** A controller with the tree, served on loopback; the admin signed in in a fresh browser context. */
async function withTree(
  spec: TreeSpec | ((ctl: TestController) => void),
): Promise<{ ctl: TestController; page: Page; base: string }> {
  const ctl = await makeController();
  if (typeof spec === 'function') spec(ctl);
  else await buildTree(ctl, spec);
  const server = serve({ fetch: ctl.app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise((r) => server.once('listening', r));
  open.push({ ctl, server });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  await page.goto(`${base}/console/login`);
  await page.fill('input[name=username]', 'admin');
  await page.fill('input[name=password]', ADMIN_PASSWORD);
  await Promise.all([page.waitForURL(`${base}/console`), page.click('button[type=submit]')]);
  return { ctl, page, base };
}

const walk = (a: AreaSpec, depth = 0): (AreaSpec & { depth: number })[] => [
  { ...a, depth },
  ...(a.children ?? []).flatMap((c) => walk(c, depth + 1)),
];
/** Every id of the tree, areas and stations, as a person should never have to read them. */
const idsOf = (spec: TreeSpec) =>
  walk(spec.root).flatMap((a) => [a.id, ...(a.stations ?? []).map(([id]) => id)]);
const visible = (page: Page) => page.locator('main').innerText();

describe.each([
  ['2', TWO_LEVELS],
  ['3', THREE_LEVELS],
  ['5', FIVE_LEVELS],
] as const)('the areas page with %s levels', (n, spec) => {
  it('shows the whole tree: names, levels, codes, station counts and stations', async () => {
    const { page, base } = await withTree(spec);
    await page.goto(`${base}/console/areas`);
    for (const a of walk(spec.root)) {
      const summary = page.locator(`li[data-area="${a.id}"] > details > summary`);
      // walked as a person would: a closed level opens with a click on its name
      if (!(await summary.evaluate((e) => (e.parentElement as unknown as { open: boolean }).open)))
        await summary.locator('b').click();
      const text = (await summary.innerText()).replace(/\s+/g, ' ');
      expect(text).toContain(a.name);
      expect(text).toContain(`(${spec.levels[a.depth]?.[1]})`);
      if (a.code) expect(text).toContain(`Mã ${a.code}`);
      const below = walk(a).reduce((k, x) => k + (x.stations?.length ?? 0), 0);
      expect(await summary.locator('[data-count]').getAttribute('data-count')).toBe(String(below));
      expect(await page.locator(`li[data-area="${a.id}"]`).getAttribute('data-depth')).toBe(String(a.depth));
      for (const [id, name] of a.stations ?? [])
        expect(
          await page.locator(`li[data-area="${a.id}"] > details > ul > li[data-station="${id}"]`).innerText(),
        ).toContain(name);
    }
    expect(await page.locator(`li[data-depth="${Number(n) - 1}"]`).count()).toBeGreaterThan(0);
    // every level open: nothing but names to read
    const text = await visible(page);
    for (const id of idsOf(spec))
      expect(text).not.toMatch(new RegExp(`(^|[^\\p{L}\\d-])${id}($|[^\\p{L}\\d-])`, 'u'));
    expect(text).toContain('Sáp nhập');
    // an area's count of stations opens the station list filtered to it
    const first = spec.root.children?.[0] as AreaSpec;
    const pill = page.locator(`li[data-area="${first.id}"] > details > summary [data-count]`);
    const count = Number(await pill.getAttribute('data-count'));
    await Promise.all([page.waitForURL(/\/console\?area=/), pill.click()]);
    expect(await page.locator('tr[data-station]').count()).toBe(count);
    await page.goBack();
    if (n === '5') await page.screenshot({ path: path.join(SHOTS, 'areas-5-levels.png'), fullPage: true });

    // the filter: a leaf area found by its name typed without diacritics, alone with what lies under it
    const leaf = walk(spec.root).at(-1) as AreaSpec & { depth: number };
    const form = page.locator('form[method=get][action="/console/areas"]');
    await form
      .locator('input[type=search]')
      .fill(leaf.name.normalize('NFD').replace(/\p{M}/gu, '').replace(/Đ/g, 'D').replace(/đ/g, 'd'));
    expect(await form.locator('select').inputValue()).toBe(`area:${leaf.id}`);
    await Promise.all([page.waitForURL(/area=/), form.locator('button').click()]);
    expect(await page.locator('h1').innerText()).toBe(`Khu vực: ${leaf.name}`);
    expect(await page.locator('[data-tree] li[data-area]').count()).toBe(walk(leaf).length);
  }, 60_000);
});

describe('targets and reorganisations', () => {
  it('picks a target four levels down by searching its name', async () => {
    const { ctl, page, base } = await withTree(FIVE_LEVELS);
    await page.goto(`${base}/console/quiet-windows`);
    const form = page.locator('form[action="/console/quiet-windows"]');
    await form.locator('input[type=search]').fill('thon sen');
    const select = form.locator('select[name=target]');
    expect(await select.inputValue()).toBe('area:thon-sen-1');
    // what does not match is hidden; the village's hamlet and its station stay (their chain names it)
    const shown = await select.evaluate((s) =>
      Array.from(
        (s as unknown as { options: ArrayLike<{ hidden: boolean; textContent: string | null }> }).options,
      )
        .filter((o) => !o.hidden)
        .map((o) => o.textContent?.trim()),
    );
    expect(shown).toEqual(['Thôn Sen 1 (Thôn/ấp/khu phố)', 'Xóm 3 (Xóm/tổ)', 'Đài: Cụm loa xóm 3']);
    expect(await select.locator('option[value="area:thon-sen-1"]').getAttribute('title')).toBe(
      'Tỉnh Nghệ An › Huyện Nam Đàn › Xã Kim Liên › Thôn Sen 1 · thon-sen-1',
    );
    await form.locator('select[name=reason]').selectOption('local-event');
    await form.locator('input[name=startTime]').fill('19:00');
    await form.locator('input[name=endTime]').fill('21:00');
    await form.locator('input[name=startDate]').fill('2026-12-01');
    await form.locator('input[name=endDate]').fill('2026-12-31');
    await Promise.all([
      page.waitForURL(`${base}/console/quiet-windows`),
      form.locator('button[type=submit]').click(),
    ]);
    // the check before saving, then "Lưu"
    await page.waitForSelector('button[name=_step][value=save]');
    await Promise.all([page.waitForLoadState('load'), page.click('button[name=_step][value=save]')]);
    await page.waitForSelector('form[action="/console/quiet-windows"]');
    const stored = (await ctl.call('GET', '/api/quiet-windows')).body as { target: unknown }[];
    expect(stored.map((q) => q.target)).toEqual([{ scope: 'area', id: 'thon-sen-1' }]);
    const cell = page.locator('table').first().locator('tbody tr td').nth(4);
    expect((await cell.innerText()).replace(/\s+/g, ' ')).toBe(
      'Huyện Nam Đàn › Xã Kim Liên › Thôn Sen 1 (Thôn/ấp/khu phố)',
    );
    expect(await cell.locator('span[title]').first().getAttribute('title')).toBe('area:thon-sen-1');
    await page.screenshot({ path: path.join(SHOTS, 'quiet-windows-tree-target.png'), fullPage: true });
  }, 60_000);

  it('previews a merge of two communes (stations, quiet windows, people), then applies it', async () => {
    const { ctl, page, base } = await withTree(TWO_LEVELS);
    const q = await ctl.call('POST', '/api/quiet-windows', {
      target: { scope: 'area', id: 'phuong-an-hoi' },
      weekdays: [1, 2, 3, 4, 5],
      startTime: '07:00',
      endTime: '11:00',
      startDate: '2026-12-01',
      endDate: '2027-05-31',
      reason: 'online-class',
    });
    expect(q.status).toBe(201);
    const u = await ctl.call('POST', '/api/users', {
      username: 'kt-an-hoi',
      role: 'technician',
      password: 'mat-khau-dai-du',
      areas: ['phuong-an-hoi'],
    });
    expect(u.status).toBe(201);

    await page.goto(`${base}/console/areas`);
    await page.click('details:has(form[data-op=merge]) > summary');
    const form = page.locator('form[data-op=merge]');
    await form.locator('input[type=search]').first().fill('an hoi');
    await form.locator('select[name=areas]').selectOption(['area:xa-long-ho', 'area:phuong-an-hoi']);
    await form.locator('input[name=name]').fill('Phường Long Châu');
    await form.locator('input[name=code]').fill('29300');
    await Promise.all([page.waitForURL(`${base}/console/areas/reorganise`), form.locator('button').click()]);

    const preview = page.locator('[data-preview=merge]');
    const text = (await preview.innerText()).replace(/\s+/g, ' ');
    expect(text).toContain('Sáp nhập · Xem trước: chưa có gì thay đổi');
    expect(await preview.locator('[data-area-change=created]').innerText()).toContain('Phường Long Châu');
    expect(await preview.locator('[data-area-change=retired]').count()).toBe(2);
    expect(await preview.locator('[data-station-change]').count()).toBe(2);
    expect(text).toMatch(/Đài phường An Hội\s*Phường An Hội\s*Phường Long Châu/);
    expect(text).toContain('Khung giờ không phát (1)');
    expect(text).toContain('Đổi phạm vi');
    expect(text).toContain('kt-an-hoi: Phường An Hội → Phường Long Châu');
    for (const id of idsOf(TWO_LEVELS)) expect(text).not.toContain(id);
    // nothing has changed yet
    expect((await ctl.call('GET', '/api/areas/phuong-an-hoi')).body.retiredAt).toBeNull();
    await page.screenshot({ path: path.join(SHOTS, 'areas-merge-preview.png'), fullPage: true });

    await Promise.all([
      page.waitForURL(`${base}/console/areas?applied=1`),
      preview.locator('button[value=yes]').click(),
    ]);
    expect(await page.locator('main').innerText()).toContain('Đã áp dụng');
    const merged = page.locator('[data-tree] li[data-area] > details > summary', {
      hasText: 'Phường Long Châu',
    });
    expect((await merged.innerText()).replace(/\s+/g, ' ')).toContain('(Xã/phường/đặc khu) · Mã 29300');
    expect(await merged.locator('[data-count]').getAttribute('data-count')).toBe('2');
    expect(await page.locator('[data-tree]').innerText()).not.toContain('Phường An Hội');
    const after = (await ctl.call('GET', '/api/quiet-windows')).body as { target: { id: string } }[];
    expect(after[0]?.target.id).not.toBe('phuong-an-hoi');
    await page.goto(`${base}/console/quiet-windows`);
    expect(await page.locator('table').first().innerText()).toContain('Phường Long Châu');
  }, 60_000);
});

/** A province of 30 communes of 30 villages, a station each: 1,831 areas and stations, written directly. */
function bigProvince(ctl: TestController): void {
  const { db } = ctl;
  const at = new Date().toISOString();
  const area = (id: string, parent: string | null, level: string, name: string) => {
    const row = { id, parent_id: parent, level, code: null, name, created_at: at };
    insertArea(db, row);
    newVersion(db, row, at);
  };
  db.transaction(() => {
    replaceLevels(db, [
      { id: 'province', name: 'Tỉnh/thành phố' },
      { id: 'commune', name: 'Xã/phường/đặc khu' },
      { id: 'village', name: 'Thôn/ấp/khu phố' },
    ]);
    area('tinh', null, 'province', 'Tỉnh Thử Nghiệm');
    for (let c = 1; c <= 30; c++) {
      area(`xa-${c}`, 'tinh', 'commune', `Xã Số ${c}`);
      for (let v = 1; v <= 30; v++) {
        area(`thon-${c}-${v}`, `xa-${c}`, 'village', `Thôn Đồng ${c}-${v}`);
        const station = {
          name: `Cụm loa thôn ${c}-${v}`,
          areaId: `thon-${c}-${v}`,
          zones: [],
          timezone: 'Asia/Ho_Chi_Minh',
        };
        insertStation(db, `st-${c}-${v}`, station, `${c}-${v}`.padStart(64, '0'), new Date());
      }
    }
  })();
}

describe('a province too big to write whole', () => {
  it("sends the pickers' list once, and opens the tree level by level", async () => {
    const { page, base } = await withTree(bigProvince);
    const res = await page.goto(`${base}/console/quiet-windows`);
    const html = (await res?.text()) ?? '';
    expect(html.match(/<template id="choices-all">/g)).toHaveLength(1);
    const form = page.locator('form[action="/console/quiet-windows"]');
    const select = form.locator('select[name=target]');
    // filled from the page's one list at load: every area and station
    expect(await select.locator('option').count()).toBe(1 + 30 + 900 + 900);
    await form.locator('input[type=search]').fill('thon dong 7-13');
    expect(await select.inputValue()).toBe('area:thon-7-13');

    await page.goto(`${base}/console/areas`);
    expect(await page.locator('[data-tree] li[data-depth="1"]').count()).toBe(30);
    expect(await page.locator('[data-tree] li[data-depth="2"]').count()).toBe(0);
    await Promise.all([page.waitForURL(/area=xa-7/), page.locator('[data-more="xa-7"] a').click()]);
    expect(await page.locator('h1').innerText()).toBe('Khu vực: Xã Số 7');
    expect(await page.locator('[data-tree] li[data-depth="2"]').count()).toBe(30);
    expect(await page.locator('[data-tree] li[data-station]').count()).toBe(30);
  }, 60_000);
});
