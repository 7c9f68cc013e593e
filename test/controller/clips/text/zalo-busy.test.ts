// The controller with Zalo AI configured (a local server answering as its documentation says) and with
// the limit on texts spoken at once: Zalo's voices listed and spoken, a text beyond the queue refused.
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../../controller/config.ts';
import { type LocalServer, zaloServer } from '../../../audio/speech/engines/servers.ts';
import { makeController, type TestController } from '../../../support/controller.ts';

const open: { servers: LocalServer[]; ctls: TestController[] } = { servers: [], ctls: [] };
afterAll(async () => {
  for (const c of open.ctls) c.cleanup();
  await Promise.all(open.servers.map((s) => s.close()));
});
const preview = (ctl: TestController, voice: string) =>
  ctl.app.request('/api/clips/preview', {
    method: 'POST',
    headers: { authorization: `Bearer ${ctl.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ text: 'Thông báo của UBND phường.', voice }),
  });

describe('Zalo AI and the limit on texts spoken at once', { timeout: 60_000 }, () => {
  it('lists and speaks with Zalo AI voices', async () => {
    const z = await zaloServer('ok', { speechMs: 600 });
    open.servers.push(z);
    const ctl = await makeController(undefined, { TTS_ZALO_API_KEY: 'zalo-key', TTS_ZALO_URL: z.url });
    open.ctls.push(ctl);
    const voices = (await ctl.call('GET', '/api/clips/voices')).body as {
      id: string;
      label: { vi: string };
    }[];
    expect(voices.map((v) => v.id).slice(0, 6)).toEqual([
      'zalo:2',
      'zalo:5',
      'zalo:4',
      'zalo:1',
      'zalo:6',
      'zalo:3',
    ]);
    expect(voices[0]?.label.vi).toBe('Zalo AI, giọng nữ Bắc 1 (nữ miền Bắc)');
    const res = await preview(ctl, 'zalo:4');
    expect(res.status).toBe(200);
    expect(res.headers.get('x-spoken-by')).toBe('zalo:4');
    expect(new URLSearchParams(z.heard[0]?.body).get('input')).toBe('Thông báo của ủy ban nhân dân phường.');
  });

  it('refuses a text beyond the queue with 503 in Vietnamese, and speaks the others', async () => {
    const z = await zaloServer('hang');
    open.servers.push(z);
    const ctl = await makeController(undefined, {
      TTS_ZALO_API_KEY: 'zalo-key',
      TTS_ZALO_URL: z.url,
      // Zalo hangs until then; espeak-ng, which then speaks, shares the deadline, so not too short
      TTS_TIMEOUT_SECONDS: '3',
      TTS_PARALLEL: '1',
      TTS_QUEUE: '1',
    });
    open.ctls.push(ctl);
    // the first speaks (Zalo hangs a second, then espeak-ng), the second waits, the third is refused
    const first = preview(ctl, 'zalo:4');
    const second = preview(ctl, 'zalo:4');
    await new Promise((r) => setTimeout(r, 200));
    const third = await preview(ctl, 'zalo:4');
    expect(third.status).toBe(503);
    const body = (await third.json()) as { error: string; details: { vi: string } };
    expect(body.error).toBe('speech_busy');
    expect(body.details.vi).toMatch(/đang chờ.*thử lại sau/);
    for (const r of await Promise.all([first, second])) {
      expect(r.status).toBe(200);
      expect(r.headers.get('x-speech-fallbacks')).toBe('zalo:timeout');
    }
  });

  it('takes Zalo AI and the limits from the environment', () => {
    expect(loadConfig({ TTS_ZALO_API_KEY: 'k' }).tts).toMatchObject({
      engines: ['zalo', 'espeak-ng'],
      zalo: { apiKey: 'k', url: 'https://api.zalo.ai/v1/tts/synthesize' },
      limits: { parallel: 2, waiting: 8 },
    });
    expect(() => loadConfig({ TTS_ENGINES: 'zalo' })).toThrow(/TTS_ZALO_API_KEY/);
    expect(() => loadConfig({ TTS_PARALLEL: '0' })).toThrow(/TTS_PARALLEL/);
  });
});
