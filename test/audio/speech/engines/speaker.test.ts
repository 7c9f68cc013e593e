// The speaker: a voice's own engine first, then the next configured one with its nearest voice; the
// answer says which engine spoke and why the others did not.
import { afterEach, describe, expect, it } from 'vitest';
import {
  createSpeaker,
  EngineError,
  espeakEngine,
  fptEngine,
  type SpeechEngine,
  SpeechFailedError,
  UnknownVoiceError,
  viettelEngine,
} from '../../../../audio/speech/engines/index.ts';
import { readWav } from '../../../../audio/speech/engines/wav.ts';
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
const TEXT = 'Thông báo lịch cắt điện ngày mai.';

describe('speaker', () => {
  it('lists every engine’s voices and speaks with the one asked for', async () => {
    const vt = await up(viettelServer('ok', { speechMs: 800 }));
    const speaker = createSpeaker({
      engines: [viettelEngine({ token: 'vt-token', url: vt.url }), espeakEngine()],
      timeoutMs: 5000,
    });
    expect(speaker.voices().map((v) => v.id)).toContain('viettel:hue-maingoc');
    expect(speaker.voices().map((v) => v.id)).toContain('espeak-ng:vi-vn-x-south');
    const out = await speaker.speak({ text: TEXT, voice: 'viettel:hue-maingoc', speed: 1 });
    expect(out).toMatchObject({ durationMs: 800, fallbacks: [] });
    expect(out.spokenBy.id).toBe('viettel:hue-maingoc');
  });

  it('falls back to the next engine, with the nearest voice, when one times out, answers garbage or refuses the key', async () => {
    for (const [b, code] of [
      ['hang', 'timeout'],
      ['garbage', 'garbage'],
      ['unauthorized', 'unauthorized'],
    ] as const) {
      const s = await up(fptServer(b));
      const speaker = createSpeaker({
        engines: [fptEngine({ apiKey: 'fpt-key', url: s.url }), espeakEngine()],
        // espeak-ng shares the deadline: under a busy machine's load it took over 0.5 s for this sentence
        timeoutMs: 2000,
      });
      const out = await speaker.speak({ text: TEXT, voice: 'fpt:lannhi', speed: 1 });
      expect(out.asked.id).toBe('fpt:lannhi');
      expect(out.spokenBy.id).toBe('espeak-ng:vi-vn-x-south'); // the southern voice for a southern one
      expect(out.fallbacks).toEqual([
        { engine: 'fpt', voice: 'fpt:lannhi', code, message: expect.any(String) },
      ]);
      expect(readWav(out.wav).data.length).toBeGreaterThan(0);
    }
  });

  it('tries the configured engines in order after the asked voice’s own', async () => {
    const f = await up(fptServer('garbage'));
    const v = await up(viettelServer('ok', { speechMs: 600 }));
    const speaker = createSpeaker({
      engines: [
        espeakEngine({ binary: '/nonexistent/espeak-ng' }),
        viettelEngine({ token: 'vt-token', url: v.url }),
        fptEngine({ apiKey: 'k', url: f.url }),
      ],
      timeoutMs: 2000,
    });
    const out = await speaker.speak({ text: TEXT, voice: 'fpt:giahuy', speed: 1 });
    expect(out.fallbacks.map((x) => [x.engine, x.code])).toEqual([
      ['fpt', 'garbage'],
      ['espeak-ng', 'unavailable'],
    ]);
    expect(out.spokenBy.id).toBe('viettel:hue-baoquoc'); // central and male, like giahuy
  });

  it('fails with every attempt named when no engine speaks', async () => {
    const broken: SpeechEngine = {
      id: 'broken',
      voices: () => [
        {
          id: 'broken:x',
          engine: 'broken',
          engineVoice: 'x',
          region: 'north',
          gender: 'male',
          label: { vi: 'x', en: 'x' },
        },
      ],
      synthesize: async () => Buffer.from('not audio at all, but long enough to look like a header........'),
    };
    const speaker = createSpeaker({
      engines: [broken, espeakEngine({ binary: '/nonexistent/espeak-ng' })],
      timeoutMs: 1000,
    });
    const err = await speaker.speak({ text: TEXT, voice: 'broken:x', speed: 1 }).catch((e) => e);
    expect(err).toBeInstanceOf(SpeechFailedError);
    expect(err.attempts.map((a: { code: string }) => a.code)).toEqual(['garbage', 'unavailable']);
  });

  it('refuses a voice no engine has', async () => {
    const speaker = createSpeaker({ engines: [espeakEngine()], timeoutMs: 1000 });
    await expect(speaker.speak({ text: TEXT, voice: 'fpt:banmai', speed: 1 })).rejects.toBeInstanceOf(
      UnknownVoiceError,
    );
  });

  it('adds a chime and a pause before and after the speech', async () => {
    const speaker = createSpeaker({ engines: [espeakEngine()], timeoutMs: 10_000 });
    const plain = await speaker.speak({ text: TEXT, voice: 'espeak-ng:vi', speed: 1 });
    const chimed = await speaker.speak({
      text: TEXT,
      voice: 'espeak-ng:vi',
      speed: 1,
      chime: { before: true, after: true },
    });
    expect(chimed.durationMs - plain.durationMs).toBeGreaterThanOrEqual(2 * (1200 + 400) - 2);
    expect(readWav(chimed.wav).data.length).toBeGreaterThan(readWav(plain.wav).data.length);
  });

  it('keeps an engine’s own error text', () => {
    expect(new EngineError('refused', 'x').code).toBe('refused');
  });
});
