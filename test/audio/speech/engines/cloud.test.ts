// The cloud adapters against local servers that answer as FPT.AI's and Viettel AI's documentation says.
import { afterEach, describe, expect, it } from 'vitest';
import { fptEngine, fptSpeed, viettelEngine } from '../../../../audio/speech/engines/index.ts';
import { durationMsOf, readWav } from '../../../../audio/speech/engines/wav.ts';
import { fptServer, type LocalServer, viettelServer } from './servers.ts';

let servers: LocalServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});
const up = async (s: Promise<LocalServer>) => {
  const server = await s;
  servers.push(server);
  return server;
};
const req = (text: string, voice: string, timeoutMs = 5000) => ({
  text,
  voice,
  speed: 1,
  signal: AbortSignal.timeout(timeoutMs),
});

describe('FPT.AI adapter', () => {
  it('posts the text with key, voice, speed and wav format, then fetches the async link until the audio is there', async () => {
    const s = await up(fptServer('ok', { notReadyFor: 2 }));
    const engine = fptEngine({ apiKey: 'fpt-key', url: `${s.url}/hmi/tts/v5`, pollMs: 20 });
    const pcm = readWav(await engine.synthesize(req('Xin chào bà con.', 'banmai')));
    expect(durationMsOf(pcm)).toBe(1000);
    const post = s.heard[0];
    expect(post).toMatchObject({ method: 'POST', url: '/hmi/tts/v5', body: 'Xin chào bà con.' });
    expect(post?.headers).toMatchObject({
      'api-key': 'fpt-key',
      api_key: 'fpt-key',
      voice: 'banmai',
      speed: '0',
      format: 'wav',
    });
    expect(s.heard.filter((h) => h.method === 'GET')).toHaveLength(3);
  });

  it('sends a long text in pieces of at most 5,000 characters and joins their audio', async () => {
    const s = await up(fptServer('ok', { notReadyFor: 0 }));
    const engine = fptEngine({ apiKey: 'fpt-key', url: s.url, pollMs: 10 });
    const text = Array.from({ length: 300 }, (_, i) => `Câu thông báo số ${i} của phường.`).join(' ');
    const pcm = readWav(await engine.synthesize(req(text, 'leminh')));
    const posts = s.heard.filter((h) => h.method === 'POST');
    expect(posts.length).toBeGreaterThan(1);
    expect(posts.every((p) => p.body.length <= 5000)).toBe(true);
    expect(posts.map((p) => p.body).join(' ')).toBe(text);
    expect(durationMsOf(pcm)).toBe(1000 * posts.length);
  });

  it('maps speed to its steps from -3 to +3', () => {
    expect([0.5, 0.8, 1, 1.1, 1.3, 2].map(fptSpeed)).toEqual(['-3', '-2', '0', '1', '3', '3']);
  });

  it('says why: a key refused in its JSON, 401, garbage, a server that never answers', async () => {
    const ok = await up(fptServer('ok'));
    const wrongKey = fptEngine({ apiKey: 'wrong', url: ok.url });
    await expect(wrongKey.synthesize(req('Xin chào.', 'banmai'))).rejects.toMatchObject({ code: 'refused' });
    for (const [b, code] of [
      ['unauthorized', 'unauthorized'],
      ['garbage', 'garbage'],
      ['hang', 'timeout'],
    ] as const) {
      const s = await up(fptServer(b));
      const engine = fptEngine({ apiKey: 'fpt-key', url: s.url });
      await expect(engine.synthesize(req('Xin chào.', 'banmai', 300))).rejects.toMatchObject({ code });
    }
  });

  it('is a timeout when the audio never appears at its link', async () => {
    const s = await up(fptServer('ok', { notReadyFor: 1_000_000 }));
    const engine = fptEngine({ apiKey: 'fpt-key', url: s.url, pollMs: 20 });
    await expect(engine.synthesize(req('Xin chào.', 'banmai', 300))).rejects.toMatchObject({
      code: 'timeout',
    });
  });
});

describe('Viettel AI adapter', () => {
  it('posts the documented JSON with the token header and reads the WAV answer', async () => {
    const s = await up(viettelServer('ok', { speechMs: 700 }));
    const engine = viettelEngine({ token: 'vt-token', url: s.url });
    const pcm = readWav(await engine.synthesize({ ...req('Xin chào bà con.', 'hn-quynhanh'), speed: 1.5 }));
    expect(durationMsOf(pcm)).toBe(700);
    const body = JSON.parse(s.heard[0]?.body ?? '{}');
    expect(body).toMatchObject({
      text: 'Xin chào bà con.',
      voice: 'hn-quynhanh',
      speed: 1.3,
      tts_return_option: 2,
      without_filter: false,
    });
    expect(typeof body.id).toBe('string');
    expect(s.heard[0]?.headers.token).toBe('vt-token');
  });

  it('says why: 401 for a wrong token, garbage, a server that never answers', async () => {
    const ok = await up(viettelServer('ok'));
    await expect(
      viettelEngine({ token: 'nope', url: ok.url }).synthesize(req('Xin chào.', 'doanngocle')),
    ).rejects.toMatchObject({ code: 'unauthorized' });
    for (const [b, code] of [
      ['garbage', 'garbage'],
      ['hang', 'timeout'],
      ['unauthorized', 'unauthorized'],
    ] as const) {
      const s = await up(viettelServer(b));
      const engine = viettelEngine({ token: 'vt-token', url: s.url });
      await expect(engine.synthesize(req('Xin chào.', 'doanngocle', 300))).rejects.toMatchObject({ code });
    }
  });

  it('is unavailable when nothing listens', async () => {
    const engine = viettelEngine({ token: 'vt-token', url: 'http://127.0.0.1:9/' });
    await expect(engine.synthesize(req('Xin chào.', 'doanngocle'))).rejects.toMatchObject({
      code: 'unavailable',
    });
  });
});
