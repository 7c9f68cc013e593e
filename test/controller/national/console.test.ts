// The national console ("Toàn quốc") read as a Vietnamese reader reads it: provinces by name, local dd/mm/yyyy
// times, the state at each province, the report table, the send forms; no English word, UTC instant or raw id.
// The app is the national controller's (real SQLite file); the provinces' APIs are fakes (remote services).
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveFfmpeg } from '../../../audio/index.ts';
import { silentLogger } from '../../../common/log.ts';
import { loadConfig } from '../../../controller/config.ts';
import { openDb } from '../../../controller/db.ts';
import { createApp } from '../../../controller/http/app.ts';
import type { NationalClient } from '../../../controller/national/client.ts';
import { createNational, type National } from '../../../controller/national/national.ts';
import { ProvinceFailure } from '../../../controller/province/client.ts';
import { ensureAdmin } from '../../../controller/users/auth.ts';
import { consoleSession, localDay } from '../../console/session.ts';
import { ADMIN_PASSWORD, type TestController } from '../../support/controller.ts';
import { englishWords, rawIds, utcStamps } from '../../support/readable.ts';
import { tempDir } from '../../support/temp.ts';

const tmp = tempDir('national-console');
let national: National;
let session: ReturnType<typeof consoleSession>;
let itemId = '';

const visibleText = (html: string) =>
  html
    .replace(/<script[\s\S]*?<\/script>/g, ' ')
    .replace(/<style[\s\S]*?<\/style>/g, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/\s+/g, ' ');

/** Cần Thơ takes everything; Hậu Giang is down. */
const client = (down: boolean): NationalClient => ({
  async call(_m, url) {
    if (down)
      throw new ProvinceFailure('outage', 'Hậu Giang: no connection', 'Tỉnh Hậu Giang: không kết nối được');
    return {
      status: 201,
      body: url === '/api/areas' ? { areas: [{ id: 'can-tho' }] } : { id: 'al-0123456789ab' },
    };
  },
  async upload() {
    if (down) throw new ProvinceFailure('outage', 'no connection', 'không kết nối được');
    return { status: 201, body: { id: 'clip-remote' } };
  },
});

/** Yesterday in Cần Thơ, as the API keeps it and as the page writes it. */
const REPORT_DAY = localDay(-1);

beforeAll(async () => {
  const file = path.join(tmp.dir, 'provinces.json');
  writeFileSync(
    file,
    JSON.stringify({
      provinces: [
        ['can-tho', 'Thành phố Cần Thơ'],
        ['hau-giang', 'Tỉnh Hậu Giang'],
      ].map(([id, name]) => ({
        id,
        name,
        baseUrl: 'http://127.0.0.1:1',
        sender: { username: 'u', password: 'p' },
      })),
    }),
    { mode: 0o600 },
  );
  const config = loadConfig({
    DATA_DIR: tmp.dir,
    ADMIN_PASSWORD,
    CONTROLLER_ROLE: 'national',
    PROVINCES_FILE: file,
  });
  const db = openDb(path.join(tmp.dir, 'controller.db'));
  await ensureAdmin(db, ADMIN_PASSWORD, new Date());
  const clock = { now: () => new Date() };
  national = createNational({
    db,
    clock,
    log: silentLogger,
    dataDir: tmp.dir,
    settings: config.national as NonNullable<typeof config.national>,
    clients: new Map([
      ['can-tho', client(false)],
      ['hau-giang', client(true)],
    ]),
  });
  const app = createApp(
    {
      config,
      db,
      clock,
      ffmpeg: resolveFfmpeg(process.env),
      desired: { sync: () => {} },
      log: silentLogger,
      national,
    },
    { mqttConnected: () => true },
  );
  // a national reviewer (who sends at this level) with a Vietnamese name (the header shows who is signed in)
  const login = await app.request('/api/auth/token', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
  });
  const { token } = (await login.json()) as { token: string };
  const made = await app.request('/api/users', {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'nguyen-thi-lan', role: 'reviewer', password: 'mat-khau-thu-nghiem' }),
  });
  expect(made.status, await made.clone().text()).toBe(201);
  session = consoleSession({ app } as unknown as TestController);
  await session.signIn('nguyen-thi-lan', 'mat-khau-thu-nghiem');
  // an emergency: accepted by Cần Thơ (its stations read), waiting for Hậu Giang
  const clipFile = path.join(tmp.dir, 'tin.mp3');
  writeFileSync(clipFile, 'sound');
  const clipId = national.keepClip(clipFile, 'Cảnh báo bão', 5);
  itemId = national.send(
    'bulletin',
    { title: 'Bão số 9', level: 'emergency', clipId, body: { level: 'emergency' }, provinces: 'all' },
    'nguyen-thi-lan',
  );
  await national.sender.runDue();
  await national.sender.stop();
  const now = new Date().toISOString();
  db.prepare('INSERT INTO national_alert_counts VALUES (?, ?, ?, 12, 11, 10)').run(itemId, 'can-tho', now);
  // yesterday in Cần Thơ, within the days the report page shows whatever day the tests run on
  db.prepare("INSERT INTO national_report_days VALUES ('can-tho', ?, 12, 30, 2, 33, 75.5, ?)").run(
    REPORT_DAY.iso,
    now,
  );
}, 30_000);

afterAll(() => tmp.cleanup());

const ids = () => [itemId, 'can-tho', 'hau-giang', 'al-0123456789ab', 'nclip'];

function readable(html: string) {
  const text = visibleText(html);
  expect(englishWords(text)).toEqual([]);
  expect(utcStamps(text)).toEqual([]);
  expect(rawIds(text, ids())).toEqual([]);
  return text;
}

describe('national console', () => {
  it('shows the provinces, their link state and what was sent, in Vietnamese', async () => {
    const page = await session.get('/console');
    expect(page.status).toBe(200);
    const text = readable(page.html);
    expect(text).toContain('Thành phố Cần Thơ');
    expect(text).toContain('Mất kết nối');
    expect(text).toContain('Bão số 9');
    expect(text).toMatch(/Thành phố Cần Thơ: Tỉnh đã nhận; Tỉnh Hậu Giang: Đã gửi, chờ trả lời/);
  });

  it('shows an item at each province: accepted with its stations started, waiting with its next try and reason', async () => {
    const page = await session.get(`/console/national/items/${itemId}`);
    const text = readable(page.html);
    expect(page.html).toMatch(/data-province="can-tho" data-state="accepted"/);
    expect(text).toMatch(
      /Tỉnh Hậu Giang Đã gửi, chờ trả lời 1 \d\d\/\d\d\/\d{4} \d\d:\d\d Tỉnh Hậu Giang: không kết nối được/,
    );
    expect(page.html).toMatch(/data-started[^>]*>10</);
  });

  it('shows the report table by local day and province', async () => {
    const text = readable((await session.get('/console/national/reports')).html);
    expect(text).toContain(`${REPORT_DAY.typed} Thành phố Cần Thơ 12 30 2 75,5`);
  });

  it('sends a quiet window from its form and shows its page', async () => {
    const send = await session.get('/console/national/send');
    readable(send.html);
    const res = await session.post('/console/national/quiet-windows', {
      reason: 'national-relay',
      startTime: '19:00',
      endTime: '19:45',
      startDate: '01/12/2026',
      endDate: '31/12/2026',
      note: 'Tiếp sóng thời sự',
      all: 'yes',
    });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toMatch(/^\/console\/national\/items\/nat-/);
  });

  it('offers to withdraw a quiet window in every province from its page', async () => {
    const id = national.send(
      'quiet-window',
      { title: 'Giờ nghỉ toàn quốc', body: { startTime: '22:00', endTime: '23:00' }, provinces: 'all' },
      'nguyen-thi-lan',
    );
    const text = readable((await session.get(`/console/national/items/${id}`)).html);
    expect(text).toContain('Thu hồi khung giờ không phát ở tất cả các tỉnh');
  });

  it('withdraws the bulletin from its page', async () => {
    const res = await session.post(`/console/national/items/${itemId}/cancel`, { reason: 'Bão đã tan' });
    expect(res.status).toBe(303);
    const text = readable((await session.get(`/console/national/items/${itemId}`)).html);
    expect(text).toMatch(/Đã thu hồi lúc \d\d\/\d\d\/\d{4} \d\d:\d\d: Bão đã tan/);
  });
});
