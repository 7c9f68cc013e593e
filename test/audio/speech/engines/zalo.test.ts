// The Zalo AI adapter against a local server that answers as Zalo AI's documentation says.
import { afterEach, describe, expect, it } from 'vitest';
import { zaloEngine, zaloSpeed } from '../../../../audio/speech/engines/index.ts';
import { durationMsOf, readWav } from '../../../../audio/speech/engines/wav.ts';
import { type LocalServer, zaloServer } from './servers.ts';

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

describe('Zalo AI adapter', () => {
  it('posts the form with apikey, speaker, speed and WAV encoding, then fetches the audio url', async () => {
    const s = await up(zaloServer('ok', { speechMs: 800, notReadyFor: 1 }));
    const engine = zaloEngine({ apiKey: 'zalo-key', url: `${s.url}/v1/tts/synthesize`, pollMs: 20 });
    const pcm = readWav(await engine.synthesize({ ...req('Xin chào bà con.', '4'), speed: 1.5 }));
    expect(durationMsOf(pcm)).toBe(800);
    const post = s.heard[0];
    expect(post).toMatchObject({ method: 'POST', url: '/v1/tts/synthesize' });
    expect(post?.headers.apikey).toBe('zalo-key');
    expect(post?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(post?.body))).toEqual({
      input: 'Xin chào bà con.',
      speaker_id: '4',
      speed: '1.2',
      encode_type: '0',
    });
    expect(s.heard.filter((h) => h.method === 'GET')).toHaveLength(2);
  });

  it('sends a long text in pieces of at most 2,000 characters and joins their audio', async () => {
    const s = await up(zaloServer('ok'));
    const engine = zaloEngine({ apiKey: 'zalo-key', url: s.url });
    const text = Array.from({ length: 150 }, (_, i) => `Câu thông báo số ${i} của phường.`).join(' ');
    const pcm = readWav(await engine.synthesize(req(text, '2')));
    const inputs = s.heard
      .filter((h) => h.method === 'POST')
      .map((p) => new URLSearchParams(p.body).get('input'));
    expect(inputs.length).toBeGreaterThan(1);
    expect(inputs.every((t) => (t ?? '').length <= 2000)).toBe(true);
    expect(inputs.join(' ')).toBe(text);
    expect(durationMsOf(pcm)).toBe(1000 * inputs.length);
  });

  it('keeps speed within 0.8-1.2', () => {
    expect([0.5, 0.85, 1, 1.04, 2].map(zaloSpeed)).toEqual(['0.8', '0.9', '1', '1', '1.2']);
  });

  it('says why: a key refused in its JSON, HTTP 401, garbage, a server that never answers', async () => {
    const ok = await up(zaloServer('ok'));
    await expect(
      zaloEngine({ apiKey: 'wrong', url: ok.url }).synthesize(req('Xin chào.', '1')),
    ).rejects.toMatchObject({ code: 'unauthorized', message: expect.stringContaining('Wrong apikey') });
    for (const [b, code] of [
      ['unauthorized', 'unauthorized'],
      ['garbage', 'garbage'],
      ['hang', 'timeout'],
    ] as const) {
      const s = await up(zaloServer(b));
      const engine = zaloEngine({ apiKey: 'zalo-key', url: s.url });
      await expect(engine.synthesize(req('Xin chào.', '1', 300))).rejects.toMatchObject({ code });
    }
  });

  it('is a refusal when the service says the text is too long, and unavailable when nothing listens', async () => {
    const s = await up(zaloServer('ok'));
    const long = 'a'.repeat(2500); // one word longer than a piece is cut where it must be: still refused here
    const engine = zaloEngine({ apiKey: 'zalo-key', url: s.url, fetch: (u, init) => fetch(u, init) });
    await expect(engine.synthesize(req(long, '1'))).resolves.toBeInstanceOf(Buffer);
    const refusing = zaloEngine({
      apiKey: 'zalo-key',
      url: s.url,
      fetch: (u, init) =>
        String(u).includes('/chunk/')
          ? fetch(u, init)
          : Promise.resolve(
              Response.json({
                error_code: 155,
                error_message: 'Your input exceeds the allowed limit',
                data: [],
              }),
            ),
    });
    await expect(refusing.synthesize(req('Xin chào.', '1'))).rejects.toMatchObject({ code: 'refused' });
    await expect(
      zaloEngine({ apiKey: 'zalo-key', url: 'http://127.0.0.1:9/' }).synthesize(req('Xin chào.', '1')),
    ).rejects.toMatchObject({ code: 'unavailable' });
  });

  it('is a timeout when the audio url never fills', async () => {
    const s = await up(zaloServer('ok', { notReadyFor: 1_000_000 }));
    const engine = zaloEngine({ apiKey: 'zalo-key', url: s.url, pollMs: 20 });
    await expect(engine.synthesize(req('Xin chào.', '1', 300))).rejects.toMatchObject({ code: 'timeout' });
  });
});
