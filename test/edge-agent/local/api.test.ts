// The station's local API over real HTTP against a real agent: PIN sign-in and its back-off, sessions and
// CSRF, the page, and bad input refused with the reason while nothing changes.
import { readdirSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { ffmpegGen, toneClip } from '../../audio/fixtures.ts';
import { STATION } from '../../support/records.ts';
import { tempDir } from '../../support/temp.ts';
import { desired, slot } from '../helpers.ts';
import { PIN, postJson, signIn, useLocalStation, vn } from './station.ts';

const DAY = '2025-03-03';
const fixtures = tempDir('fixtures');
const tone = toneClip(fixtures.dir, 'clip-sang', 2);
const state = desired(1, {
  slots: [slot('sang', '07:00', [tone.ref.id]), slot('chieu', '17:00', [tone.ref.id])],
  clips: [tone.ref],
});

describe('local API', () => {
  // each test opens the station itself, with its own config
  const local = useLocalStation({ startAt: vn(DAY, '06:30:00'), clips: [tone], desired: state, open: false });
  const open = (config: Record<string, unknown> = {}, pin = true) => local.open(config, pin);
  afterAll(() => fixtures.cleanup());

  it('keeps status and health public, and everything else behind a session', async () => {
    await open();
    const status = await fetch(`${local.st.base}/api/status`);
    expect(status.status).toBe(200);
    expect(await status.json()).toMatchObject({ station: STATION, relay: { on: false } });
    expect(await (await fetch(`${local.st.base}/healthz`)).text()).toBe('ok');
    for (const path of ['/api/timetable', '/api/overrides', '/api/alerts', '/api/clips', '/api/session']) {
      const r = await fetch(`${local.st.base}${path}`);
      expect(r.status, path).toBe(401);
      expect(await r.json()).toMatchObject({ error: 'no_session' });
    }
    const stop = await postJson(local.st.base, '/api/stop', { reason: 'x' });
    expect(stop.status).toBe(401);
    const page = await (await fetch(`${local.st.base}/`)).text();
    expect(page).toMatch(/^<!DOCTYPE html>/);
    expect(page).toContain('Đăng nhập');
    expect(page).toContain('Loa An Bình');
    expect(page).not.toContain('Dừng phát ngay');
    expect(await (await fetch(`${local.st.base}/?lang=en`)).text()).toContain('Sign in');
  });

  it('refuses a wrong PIN, then locks the address for 30 s doubling, also against the right PIN', async () => {
    await open();
    for (let i = 0; i < 5; i++) {
      const r = await postJson(local.st.base, '/api/session', { pin: '1111', name: 'Anh Tuấn' });
      expect(r.status).toBe(401);
      expect(r.body).toMatchObject({ error: 'wrong_pin' });
    }
    const locked = await postJson(local.st.base, '/api/session', { pin: PIN, name: 'Anh Tuấn' });
    expect(locked.status).toBe(429);
    expect(locked.headers.get('retry-after')).toBe('30');
    expect(locked.body.message).toContain('30 s');

    await vi.advanceTimersByTimeAsync(30_000);
    const again = await postJson(local.st.base, '/api/session', { pin: '9999', name: 'Anh Tuấn' });
    expect(again.status).toBe(401);
    const longer = await postJson(local.st.base, '/api/session', { pin: PIN, name: 'Anh Tuấn' });
    expect(longer.status).toBe(429);
    expect(longer.headers.get('retry-after')).toBe('60');

    await vi.advanceTimersByTimeAsync(60_000);
    const ok = await postJson(local.st.base, '/api/session', { pin: PIN, name: 'Anh Tuấn' });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ name: 'Anh Tuấn', csrfToken: expect.any(String) });
    // a success clears the count: five more wrong ones before the next lock
    for (let i = 0; i < 5; i++)
      expect((await postJson(local.st.base, '/api/session', { pin: '0000', name: 'x' })).status).toBe(401);
    const relocked = await postJson(local.st.base, '/api/session', { pin: PIN, name: 'x' });
    expect(relocked.status).toBe(429);
    expect(relocked.headers.get('retry-after')).toBe('30');
  });

  it('sets an HttpOnly SameSite=Strict cookie, needs the CSRF token for changes, logs out and expires', async () => {
    await open();
    const res = await fetch(`${local.st.base}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ pin: PIN, name: 'Chị Lan' }),
    });
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    expect(cookie).not.toMatch(/Secure/i); // plain HTTP here; the HTTPS server sets it
    expect((await postJson(local.st.base, '/api/session', { pin: PIN })).status).toBe(400); // no name

    const staff = await signIn(local.st.base);
    expect((await staff.call('GET', '/api/overrides')).status).toBe(200);
    const noCsrf = await staff.call('POST', '/api/stop', { reason: 'x' }, { 'x-csrf-token': '' });
    expect(noCsrf.status).toBe(403);
    expect(noCsrf.body).toMatchObject({ error: 'csrf' });
    const wrongCsrf = await staff.call('POST', '/api/stop', { reason: 'x' }, { 'x-csrf-token': 'nope' });
    expect(wrongCsrf.status).toBe(403);

    expect((await staff.call('POST', '/api/session/logout')).status).toBe(200);
    expect((await staff.call('GET', '/api/overrides')).status).toBe(401);

    const other = await signIn(local.st.base, 'Anh Tuấn');
    await vi.advanceTimersByTimeAsync(12 * 3_600_000 - 60_000);
    expect((await other.call('GET', '/api/session')).status).toBe(200);
    await vi.advanceTimersByTimeAsync(61_000);
    expect((await other.call('GET', '/api/session')).status).toBe(401);
  });

  it('refuses bad overrides with the reason and stores nothing', async () => {
    await open();
    const staff = await signIn(local.st.base);
    const tt = await staff.call('GET', '/api/timetable?days=2');
    expect(tt.status).toBe(200);
    expect(tt.body.dates).toEqual([DAY, '2025-03-04']);
    expect(tt.body.entries.map((e: { id: string }) => e.id)).toEqual([
      `sang@${DAY}`,
      `chieu@${DAY}`,
      'sang@2025-03-04',
      'chieu@2025-03-04',
    ]);

    const cases: [unknown, number, RegExp][] = [
      [
        { kind: 'pause', reason: 'họp', startsAt: `${DAY}T10:00`, endsAt: `${DAY}T09:00` },
        400,
        /after startsAt/,
      ],
      [
        { kind: 'quiet', reason: 'tang lễ', startsAt: `${DAY}T10:00`, endsAt: '2025-06-03T10:00' },
        400,
        /at most 14 days/,
      ],
      [{ kind: 'skip', reason: 'x', entryId: 'khong-co@2025-03-03' }, 404, /no entry/],
      [{ kind: 'announce', reason: 'x', clipId: 'clip-khong-co' }, 404, /no clip/],
      [{ kind: 'pause', reason: 'x' }, 400, /needs endsAt/],
      [{ kind: 'volume', reason: 'x', endsAt: `${DAY}T23:00`, volume: 3 }, 400, /volume is 0 to 2/],
      [{ kind: 'silence', reason: 'x' }, 400, /kind/],
      [{ kind: 'pause', reason: '', endsAt: `${DAY}T23:00` }, 400, /give a reason/],
      [{ kind: 'pause', reason: 'x', endsAt: 'tomorrow' }, 400, /endsAt must be/],
      [{ kind: 'pause', reason: 'x', endsAt: `${DAY}T25:00` }, 400, /endsAt must be/],
      [{ kind: 'pause', reason: 'x', endsAt: `${DAY}T11:00`, extra: 1 }, 400, /extra|Unrecognized/i],
      [{ kind: 'stop', reason: 'nothing on air' }, 409, /nothing is playing/],
    ];
    for (const [body, status, message] of cases) {
      const r = await staff.call('POST', '/api/overrides', body);
      expect(r.status, JSON.stringify(body)).toBe(status);
      // the English behind the Vietnamese message, where the refusal was worded for ward staff
      expect(r.body.words?.en ?? r.body.message, JSON.stringify(body)).toMatch(message);
      if (r.body.words) expect(r.body.message).toBe(r.body.words.vi);
      expect(typeof r.body.error).toBe('string');
    }
    const notJson = await staff.call('POST', '/api/overrides', undefined, {
      'content-type': 'application/json',
    });
    expect(notJson.status).toBe(400);
    const form = await staff.call('POST', '/api/stop', undefined, { 'content-type': 'text/plain' });
    expect(form.status).toBe(415);
    expect((await staff.call('POST', '/api/overrides/ov-khong-co/cancel')).status).toBe(404);
    expect((await staff.call('POST', '/api/alerts/khong-co/decline', { reason: 'x' })).status).toBe(404);
    expect((await staff.call('GET', '/api/timetable?days=30')).status).toBe(400);
    expect((await staff.call('GET', '/api/overrides')).body).toEqual([]);
  });

  it('refuses uploads that are not audio, empty, too long or too large, and keeps no file', async () => {
    await open({ localClipMinutes: 0.1 });
    const staff = await signIn(local.st.base);
    const upload = (name: string, bytes: Uint8Array, title = 'Thông báo') => {
      const form = new FormData();
      form.set('title', title);
      form.set('file', new File([bytes], name));
      return staff.call('POST', '/api/clips', form);
    };
    const text = await upload('ghi-chu.mp3', new TextEncoder().encode('không phải âm thanh '.repeat(200)));
    expect(text.status).toBe(415);
    expect(text.body).toMatchObject({ error: 'not_audio' });
    expect((await upload('rong.wav', new Uint8Array())).body).toMatchObject({ error: 'empty' });
    const long = ffmpegGen(join(local.world.dir, 'dai.mp3'), [
      '-f',
      'lavfi',
      '-i',
      'sine=frequency=300:duration=9',
    ]);
    const tooLong = await upload('dai.mp3', readFileSync(long));
    expect(tooLong.status).toBe(413);
    expect(tooLong.body).toMatchObject({ error: 'too_long' });
    // 0.1 minute allows about 2.2 MB; a declared bigger body is refused before it is read
    // (headers only: the answer must come before any of the body is sent)
    const huge = await new Promise<number>((resolve, reject) => {
      const req = request(`${local.st.base}/api/clips`, {
        method: 'POST',
        headers: {
          cookie: staff.cookie,
          'x-csrf-token': staff.csrf,
          'content-type': 'multipart/form-data; boundary=x',
          'content-length': String(3 * 2 ** 20),
        },
      });
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
        req.destroy();
      });
      req.on('error', reject);
      req.flushHeaders();
    });
    expect(huge).toBe(413);
    const noFile = new FormData();
    noFile.set('title', 'x');
    expect((await staff.call('POST', '/api/clips', noFile)).status).toBe(400);
    expect((await staff.call('GET', '/api/clips')).body.filter((c: { local: boolean }) => c.local)).toEqual(
      [],
    );
    const left = readdirSync(join(local.st.dataDir, 'tmp-local'));
    expect(left).toEqual([]);
  });

  it('is read-only without a PIN hash and says how to set one', async () => {
    await open({}, false);
    const r = await postJson(local.st.base, '/api/session', { pin: PIN, name: 'Chị Lan' });
    expect(r.status).toBe(403);
    expect(r.body).toMatchObject({ error: 'no_pin' });
    expect(r.body.message).toContain('npm run agent-pin');
    const page = await (await fetch(`${local.st.base}/`)).text();
    expect(page).toContain('npm run agent-pin -- --config FILE');
    expect(page).not.toContain('name="pin"');
  });

  it('serves the signed-in page in Vietnamese, and in English with ?lang=en', async () => {
    await open();
    const staff = await signIn(local.st.base);
    const page = (lang = '') =>
      fetch(`${local.st.base}/${lang}`, { headers: { cookie: staff.cookie } }).then((r) => r.text());
    const vi = await page();
    for (const words of [
      'Đang phát',
      'Dừng phát ngay',
      'Bỏ qua lượt kế tiếp',
      'Tạm dừng đến',
      'Thêm khung giờ không phát',
      'Phát thông báo',
      'Ghi âm',
      'Âm lượng',
      'Hôm nay',
      'Ngày mai',
    ])
      expect(vi, words).toContain(words);
    expect(vi).toContain(`<meta name="csrf" content="${staff.csrf}"`);
    expect(vi).toContain(`data-entry="sang@${DAY}"`);
    // over plain HTTP the recorder points to the HTTPS page
    expect(vi).toContain('https://127.0.0.1:8443/');
    const en = await page('?lang=en');
    for (const words of ['Stop now', 'Skip the next entry', 'Pause until', 'Record', 'Volume'])
      expect(en, words).toContain(words);
  });
});
