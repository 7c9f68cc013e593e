// espeak-ng for real: each Vietnamese voice, speed, a WAV of speech of a plausible length; no shell.
import { describe, expect, it } from 'vitest';
import { EngineError, ESPEAK_VOICES, espeakEngine } from '../../../../audio/speech/engines/index.ts';
import { durationMsOf, readWav } from '../../../../audio/speech/engines/wav.ts';

const engine = espeakEngine();
const say = (text: string, voice = 'vi', speed = 1, signal = AbortSignal.timeout(30_000)) =>
  engine.synthesize({ text, voice, speed, signal });
const TEXT = 'Ủy ban nhân dân phường An Hòa thông báo lịch tiêm chủng ngày hai mươi ba tháng chín.';

describe('espeak-ng engine', () => {
  it('offers the northern, central and southern voices espeak-ng has', () => {
    expect(engine.voices().map((v) => v.id)).toEqual([
      'espeak-ng:vi',
      'espeak-ng:vi-vn-x-central',
      'espeak-ng:vi-vn-x-south',
    ]);
    expect(ESPEAK_VOICES.map((v) => v.region)).toEqual(['north', 'central', 'south']);
  });

  it.each(ESPEAK_VOICES.map((v) => v.engineVoice))(
    'speaks with voice %s into a WAV of speech',
    async (voice) => {
      const pcm = readWav(await say(TEXT, voice));
      // 19 syllables: between 2 and 10 syllables a second
      expect(durationMsOf(pcm)).toBeGreaterThan(19 * 100);
      expect(durationMsOf(pcm)).toBeLessThan(19 * 500);
      const peak = Math.max(
        ...Array.from({ length: pcm.data.length / 2 }, (_, i) => Math.abs(pcm.data.readInt16LE(i * 2))),
      );
      expect(peak).toBeGreaterThan(1000);
    },
  );

  it('reads faster at a higher speed', async () => {
    const slow = durationMsOf(readWav(await say(TEXT, 'vi', 0.7)));
    const fast = durationMsOf(readWav(await say(TEXT, 'vi', 1.5)));
    expect(fast).toBeLessThan(slow * 0.75);
  });

  it('reads text that looks like options or shell as text, never as arguments or commands', async () => {
    const pcm = readWav(await say('-w /tmp/x.wav; rm -rf / $(echo hi) `id`', 'vi'));
    expect(durationMsOf(pcm)).toBeGreaterThan(500);
  });

  it('refuses a voice it does not have', async () => {
    await expect(say(TEXT, 'en-us')).rejects.toMatchObject({ code: 'refused' });
  });

  it('is a timeout when its time runs out, and unavailable when the program is missing', async () => {
    const ctrl = new AbortController();
    ctrl.abort();
    await expect(say(TEXT.repeat(50), 'vi', 1, ctrl.signal)).rejects.toMatchObject({ code: 'timeout' });
    const missing = espeakEngine({ binary: '/nonexistent/espeak-ng' });
    const err = await missing
      .synthesize({ text: TEXT, voice: 'vi', speed: 1, signal: AbortSignal.timeout(5000) })
      .catch((e) => e);
    expect(err).toBeInstanceOf(EngineError);
    expect(err.code).toBe('unavailable');
  });
});
