// Text clips with cloud engines configured (local servers on 127.0.0.1 standing in for FPT.AI and
// Viettel AI): a failing engine falls back to the next and the clip says so; when none speaks, a 503
// and nothing stored.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../controller/config.ts';
import { fptServer, type LocalServer, viettelServer } from '../../audio/speech/engines/servers.ts';
import { makeController, type TestController } from '../../support/controller.ts';

const open: { servers: LocalServer[]; ctls: TestController[] } = { servers: [], ctls: [] };
afterAll(async () => {
  for (const c of open.ctls) c.cleanup();
  await Promise.all(open.servers.map((s) => s.close()));
});

async function controllerWith(env: NodeJS.ProcessEnv) {
  // espeak-ng, which speaks after a hung engine, shares the deadline: 1 s was too short on a busy machine
  const ctl = await makeController(undefined, { TTS_TIMEOUT_SECONDS: '3', ...env });
  open.ctls.push(ctl);
  return ctl;
}
const server = async (s: Promise<LocalServer>) => {
  const up = await s;
  open.servers.push(up);
  return up;
};
const preview = async (ctl: TestController, body: object) => {
  const res = await ctl.app.request('/api/clips/preview', {
    method: 'POST',
    headers: { authorization: `Bearer ${ctl.token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { res, bytes: Buffer.from(await res.arrayBuffer()) };
};
const TEXT = 'Thông báo: chiều nay cắt điện từ 14h đến 16h.';

describe('text clips with cloud engines', { timeout: 120_000 }, () => {
  it('the voices of the configured engines, in their order', async () => {
    const f = await server(fptServer('ok'));
    const v = await server(viettelServer('ok'));
    const ctl = await controllerWith({
      TTS_ENGINES: 'viettel,fpt,espeak-ng',
      TTS_FPT_API_KEY: 'fpt-key',
      TTS_FPT_URL: f.url,
      TTS_VIETTEL_TOKEN: 'vt-token',
      TTS_VIETTEL_URL: v.url,
      // FPT.AI's audio appears at its link a poll (1 s) later
      TTS_TIMEOUT_SECONDS: '5',
    });
    const voices = (await ctl.call('GET', '/api/clips/voices')).body as { id: string; engine: string }[];
    expect([...new Set(voices.map((x) => x.engine))]).toEqual(['viettel', 'fpt', 'espeak-ng']);
    const { res } = await preview(ctl, { text: TEXT, voice: 'fpt:banmai' });
    expect(res.headers.get('x-spoken-by')).toBe('fpt:banmai');
    expect(res.headers.get('x-speech-fallbacks')).toBe('');
    expect(f.heard.find((h) => h.method === 'POST')?.body).toMatch(
      /^Thông báo: chiều nay cắt điện từ mười bốn giờ/,
    );
  });

  it('an engine that times out: the next one speaks and the clip says why', async () => {
    const f = await server(fptServer('hang'));
    const ctl = await controllerWith({ TTS_FPT_API_KEY: 'fpt-key', TTS_FPT_URL: f.url });
    const r = await ctl.call('POST', '/api/clips?wait=true', {
      title: 'Cắt điện',
      text: TEXT,
      voice: 'fpt:leminh',
    });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({
      status: 'draft',
      text: { voice: 'fpt:leminh', spokenBy: 'espeak-ng:vi', engine: 'espeak-ng' },
    });
    expect(r.body.text.fallbacks).toEqual([
      { engine: 'fpt', voice: 'fpt:leminh', code: 'timeout', message: 'FPT.AI took too long' },
    ]);
  });

  it('garbage and a refused key fall back too (the preview says so in a header)', async () => {
    const g = await server(viettelServer('garbage'));
    const u = await server(fptServer('unauthorized'));
    const ctl = await controllerWith({
      TTS_FPT_API_KEY: 'fpt-key',
      TTS_FPT_URL: u.url,
      TTS_VIETTEL_TOKEN: 'vt-token',
      TTS_VIETTEL_URL: g.url,
    });
    const { res, bytes } = await preview(ctl, { text: TEXT, voice: 'viettel:hcm-minhquan' });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-spoken-by')).toBe('espeak-ng:vi-vn-x-south');
    expect(res.headers.get('x-speech-fallbacks')).toBe('viettel:garbage, fpt:unauthorized');
    expect(bytes.toString('latin1', 0, 4)).toBe('RIFF');
  });

  it('when no configured engine speaks: 503 in both languages, nothing stored', async () => {
    const u = await server(fptServer('unauthorized'));
    const ctl = await controllerWith({ TTS_ENGINES: 'fpt', TTS_FPT_API_KEY: 'wrong', TTS_FPT_URL: u.url });
    const r = await ctl.call('POST', '/api/clips?wait=true', {
      title: 'Cắt điện',
      text: TEXT,
      voice: 'fpt:banmai',
    });
    expect(r.status).toBe(503);
    expect(r.body).toMatchObject({ error: 'speech_unavailable' });
    expect(r.body.details.vi).toMatch(/Không máy đọc nào đọc được văn bản \(fpt khóa truy cập bị từ chối\)/);
    expect(r.body.details.attempts).toEqual([
      expect.objectContaining({ engine: 'fpt', code: 'unauthorized' }),
    ]);
    expect((ctl.db.prepare('SELECT COUNT(*) AS n FROM clips').get() as { n: number }).n).toBe(0);
    expect(readdirSync(path.join(ctl.dataDir, 'tmp'))).toEqual([]);
    // espeak-ng is not configured here, so its voices are unknown
    const unknown = await ctl.call('POST', '/api/clips', { title: 'x', text: TEXT, voice: 'espeak-ng:vi' });
    expect(unknown.status).toBe(400);
  });
});

describe('configuration', () => {
  it('refuses an engine named without its key, and orders keyed cloud engines before espeak-ng by default', () => {
    expect(() => loadConfig({ TTS_ENGINES: 'fpt,espeak-ng' })).toThrow(
      /TTS_ENGINES names fpt without its key/,
    );
    expect(() => loadConfig({ TTS_ENGINES: 'google' })).toThrow(/TTS_ENGINES/);
    expect(loadConfig({}).tts.engines).toEqual(['espeak-ng']);
    expect(() => loadConfig({ TTS_ENGINES: 'piper,espeak-ng' })).toThrow(/TTS_PIPER_MODEL_DIR/);
    expect(loadConfig({ TTS_PIPER_MODEL_DIR: '/srv/piper/vi' }).tts).toMatchObject({
      engines: ['piper', 'espeak-ng'],
      piper: { modelDir: '/srv/piper/vi', region: 'north' },
    });
    expect(loadConfig({ TTS_VIETTEL_TOKEN: 't' }).tts).toMatchObject({
      engines: ['viettel', 'espeak-ng'],
      viettel: { token: 't', url: 'https://viettelgroup.ai/voice/api/tts/v1/rest/syn' },
      fpt: null,
      timeoutMs: 120_000,
    });
  });
});
