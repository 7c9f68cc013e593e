// Text clips through the API: read, spoken by espeak-ng for real, through the broadcast pipeline and
// review; the text kept beside the audio; new versions; bad input refused with nothing stored.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AN_HOA, makeController, type TestController } from '../../support/controller.ts';

let ctl: TestController;
const tokens: Record<string, string> = {};
const NOTICE =
  'UBND phường An Hòa thông báo: ngày 23/9/2021 lúc 7h30 tiêm vắc-xin COVID-19 tại nhà văn hóa KP 3. ' +
  'Liên hệ 0292 3821 234.';

const post = (body: unknown, query = '?wait=true', who = 'kt') =>
  ctl.call('POST', `/api/clips${query}`, body, tokens[who]);
const clipCount = () => (ctl.db.prepare('SELECT COUNT(*) AS n FROM clips').get() as { n: number }).n;
/** The spoken WAV files waiting in the temp folder (a refused text leaves none). */
const tmpFiles = () => readdirSync(path.join(ctl.dataDir, 'tmp')).filter((f) => f.startsWith('text-'));

beforeAll(async () => {
  ctl = await makeController();
  await ctl.call('POST', '/api/stations', AN_HOA);
  tokens.kt = await ctl.tokenFor('ky-thuat', 'technician', { districts: ['ninh-kieu'] });
  tokens.duyet = await ctl.tokenFor('duyet', 'reviewer');
}, 30_000);
afterAll(() => ctl.cleanup());

// each clip goes through the whole broadcast pipeline: slow when the two cores are busy
describe('a text clip', { timeout: 180_000 }, () => {
  let first: { id: string; durationMs: number };

  it('is read, spoken, processed into a draft, with its text beside the audio', async () => {
    const r = await post({ title: 'Lịch tiêm chủng', text: NOTICE, voice: 'espeak-ng:vi', speed: 1 });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({
      title: 'Lịch tiêm chủng',
      status: 'draft',
      source: { format: 'wav/pcm_s16le' },
    });
    expect(r.body.loudness.outputLufs).toBeCloseTo(-16, 0);
    expect(r.body.text).toMatchObject({
      text: NOTICE,
      voice: 'espeak-ng:vi',
      spokenBy: 'espeak-ng:vi',
      engine: 'espeak-ng',
      speed: 1,
      fallbacks: [],
      replaces: null,
    });
    expect(r.body.text.spoken).toMatch(
      /^ủy ban nhân dân phường An Hòa thông báo: ngày hai mươi ba tháng chín/i,
    );
    expect(r.body.text.spoken).not.toMatch(/\d/);
    // about 60 syllables: speech of a plausible length, trimmed but not cut
    expect(r.body.durationMs).toBeGreaterThan(60 * 120);
    expect(r.body.durationMs).toBeLessThan(60 * 500);
    first = r.body;
    const got = await ctl.call('GET', `/api/clips/${first.id}`);
    expect(got.body.text.text).toBe(NOTICE);
    const audio = await ctl.app.request(`/api/clips/${first.id}/audio`, {
      headers: { authorization: `Bearer ${ctl.token}` },
    });
    expect(audio.headers.get('content-type')).toMatch(/ogg/);
    expect(tmpFiles()).toEqual([]);
  });

  it('goes through the same review as an upload', async () => {
    const ok = await ctl.call('POST', `/api/clips/${first.id}/approve`, undefined, tokens.duyet);
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ status: 'approved', reviewedBy: 'duyet', text: { text: NOTICE } });
  });

  it('the same text and voice again answers the same clip', async () => {
    const r = await post({ title: 'lại', text: NOTICE, voice: 'espeak-ng:vi' });
    expect(r.status).toBe(200);
    expect(r.body.id).toBe(first.id);
  });

  it('edited, becomes a new clip (a draft) that names the one it replaces', async () => {
    const r = await post({
      title: 'Lịch tiêm chủng (sửa)',
      text: NOTICE.replace('7h30', '8h00'),
      replaces: first.id,
    });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ status: 'draft', text: { replaces: first.id } });
    expect(r.body.text.spoken).toMatch(/tám giờ/);
    const old = await ctl.call('GET', `/api/clips/${first.id}`);
    expect(old.body).toMatchObject({ status: 'approved', replacedBy: [r.body.id] });
  });

  const SOUTH = {
    text: '<p>Thông báo <b>hỗ trợ 1.500.000 đồng</b></p>\u0007 cho hộ nghèo.',
    voice: 'espeak-ng:vi-vn-x-south',
    speed: 1.2,
  };
  let south: { durationMs: number };

  it('reads numbers the southern way with a southern voice, and says what HTML and control characters it took out', async () => {
    const r = await post({ title: 'Hỗ trợ hộ nghèo', ...SOUTH });
    expect(r.status).toBe(201);
    expect(r.body.text.spoken).toMatch(/một triệu năm trăm ngàn đồng/);
    expect(r.body.text.spoken).not.toMatch(/[<>]/);
    expect(r.body.text.notes.removed).toEqual(expect.arrayContaining(['html', 'control']));
    south = r.body;
  });

  it('can open and close with a chime (202 without waiting, then its events)', async () => {
    const chimed = await post(
      { title: 'Hỗ trợ, có chuông', ...SOUTH, chime: { before: true, after: true } },
      '',
    );
    expect(chimed.status).toBe(202);
    // the events stream ends when processing is done
    const events = await ctl.app.request(`/api/clips/${chimed.body.id}/events`, {
      headers: { authorization: `Bearer ${ctl.token}` },
    });
    expect(await events.text()).toMatch(/event: done/);
    const got = await ctl.call('GET', `/api/clips/${chimed.body.id}`);
    expect(got.body).toMatchObject({ status: 'draft', text: { chime: { before: true, after: true } } });
    expect(got.body.durationMs - south.durationMs).toBeGreaterThan(2500);
  });
});

describe('bad input', () => {
  it.each([
    ['empty text', { title: 't', text: '   ' }, 400, 'text_empty'],
    ['text over 20,000 characters', { title: 't', text: 'a '.repeat(10_001) }, 413, 'text_too_long'],
    ['only symbols and emoji', { title: 't', text: '🎉🎉 *** ### 😀' }, 422, 'text_nothing_to_read'],
    ['an unknown voice', { title: 't', text: 'Xin chào.', voice: 'fpt:banmai' }, 400, 'unknown_voice'],
    ['no title', { text: 'Xin chào.' }, 400, 'invalid_input'],
    ['a speed out of range', { title: 't', text: 'Xin chào.', speed: 5 }, 400, 'invalid_input'],
    ['an unknown field', { title: 't', text: 'Xin chào.', html: true }, 400, 'invalid_input'],
  ])('%s: a clear refusal in both languages, nothing stored', async (_what, body, status, code) => {
    const before = clipCount();
    const r = await post(body);
    expect(r.status).toBe(status);
    expect(r.body.error).toBe(code);
    expect(r.body.details.vi).toMatch(/[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]/);
    expect(r.body.details.en).toEqual(expect.any(String));
    expect(clipCount()).toBe(before);
    expect(tmpFiles()).toEqual([]);
  });

  it('a body that is not JSON, and a version of a clip that does not exist', async () => {
    const res = await ctl.app.request('/api/clips', {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.kt}`, 'content-type': 'application/json' },
      body: '{"title": ',
    });
    expect(res.status).toBe(400);
    expect((await post({ title: 't', text: 'Xin chào.', replaces: 'clip-none' })).status).toBe(404);
  });

  it('reviewers and viewers do not make clips', async () => {
    expect((await post({ title: 't', text: 'Xin chào.' }, '', 'duyet')).status).toBe(403);
  });
});

describe('voices and preview', () => {
  it('lists the configured voices', async () => {
    const r = await ctl.call('GET', '/api/clips/voices');
    expect(r.body.map((v: { id: string }) => v.id)).toEqual([
      'espeak-ng:vi',
      'espeak-ng:vi-vn-x-central',
      'espeak-ng:vi-vn-x-south',
    ]);
    expect(r.body[0]).toMatchObject({ region: 'north', label: { vi: expect.stringMatching(/miền Bắc/) } });
  });

  it('a preview answers a WAV file, stores nothing, and refuses long text', async () => {
    const before = clipCount();
    const res = await ctl.app.request('/api/clips/preview', {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.kt}`, 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'Thông báo họp tổ dân phố lúc 19h.', voice: 'espeak-ng:vi-vn-x-central' }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('audio/wav');
    expect(res.headers.get('x-spoken-by')).toBe('espeak-ng:vi-vn-x-central');
    expect(Buffer.from(await res.arrayBuffer()).toString('latin1', 0, 4)).toBe('RIFF');
    expect(clipCount()).toBe(before);
    const long = await ctl.call('POST', '/api/clips/preview', { text: 'a '.repeat(1500) }, tokens.kt);
    expect(long.status).toBe(413);
  });
});
