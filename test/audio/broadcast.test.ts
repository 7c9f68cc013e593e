// transcodeForBroadcast end to end: format, silence trimming, loudness, progress, timeouts; sha256File.
import { createHash } from 'node:crypto';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AudioError, probeAudio, transcodeForBroadcast } from '../../audio/index.ts';
import { sha256File } from '../../common/hash.ts';
import { tempDir } from '../support/temp.ts';
import { ffmpegGen, loudness, npmPaths, paddedSpeech, paths, processesMentioning, tone } from './fixtures.ts';

const tmp = tempDir('broadcast');
const f = (name: string) => join(tmp.dir, name);
const PAD_S = 1;
let speech: { file: string; speechS: number };

beforeAll(() => {
  speech = paddedSpeech(tmp.dir, PAD_S);
  ffmpegGen(f('long.wav'), ['-f', 'lavfi', '-i', 'anoisesrc=color=pink:duration=300:sample_rate=16000']);
  ffmpegGen(f('silence.wav'), ['-f', 'lavfi', '-t', '2', '-i', 'anullsrc=channel_layout=stereo']);
  tone(f('stereo.mp3'), 2, ['-ac', '2', '-c:a', 'libmp3lame']);
});
afterAll(() => tmp.cleanup());

const leftovers = () => readdirSync(tmp.dir).filter((n) => n.endsWith('.tmp'));

describe('transcodeForBroadcast', () => {
  it('makes padded speech into trimmed, loudness-normalised mono 48 kHz Opus', async () => {
    const fractions: number[] = [];
    const out = f('speech.opus');
    const r = await transcodeForBroadcast(paths, speech.file, out, { onProgress: (x) => fractions.push(x) });

    const probe = await probeAudio(paths, out);
    expect(probe).toMatchObject({ formatName: 'ogg', codec: 'opus', sampleRate: 48000, channels: 1 });
    expect(probe.durationMs).toBe(r.durationMs);
    // both 1 s pads go (espeak's own trailing quiet may go too); the speech itself stays
    const paddedMs = (speech.speechS + 2 * PAD_S) * 1000;
    expect(r.durationMs).toBeLessThan(paddedMs - 2 * PAD_S * 1000 + 400);
    expect(r.durationMs).toBeGreaterThan(speech.speechS * 1000 - 800);

    const measured = loudness(out);
    expect(Math.abs(measured.i - -16)).toBeLessThanOrEqual(0.5);
    expect(measured.tp).toBeLessThanOrEqual(-1);
    expect(Math.abs(r.loudness.outputI - -16)).toBeLessThanOrEqual(0.5);
    expect(r.loudness.outputTp).toBeLessThanOrEqual(-1.5);
    expect(r.loudness.inputI).toBeLessThan(-17); // espeak is quieter than the target: gain was needed
    console.info('speech loudness', { ...r.loudness, independent: measured, durationMs: r.durationMs });

    expect(fractions.length).toBeGreaterThanOrEqual(3);
    for (let i = 1; i < fractions.length; i++) expect(fractions[i]).toBeGreaterThan(fractions[i - 1] ?? 0);
    expect(fractions.at(-1)).toBe(1);
    expect(leftovers()).toEqual([]);
  });

  it.each([
    ['quiet (about -40 LUFS)', ['-af', 'volume=-21dB']],
    ['clipped (18 dB overdriven, 16 bits)', ['-af', 'volume=18dB', '-c:a', 'pcm_s16le']],
    ['music-like (chord and noise)', []],
  ])('reaches the target from %s input', async (name, args) => {
    const input = f(`varied-${name.split(' ')[0]}.wav`);
    if (name.startsWith('music')) {
      ffmpegGen(input, [
        ...['-f', 'lavfi', '-i', 'sine=f=220:d=6', '-f', 'lavfi', '-i', 'sine=f=329.6:d=6'],
        ...['-f', 'lavfi', '-i', 'anoisesrc=color=pink:d=6:a=0.2'],
        ...['-filter_complex', 'amix=inputs=3:normalize=0,tremolo=f=2:d=0.6'],
      ]);
    } else ffmpegGen(input, ['-i', speech.file, ...args]);
    const out = f(`varied-${name.split(' ')[0]}.opus`);
    const r = await transcodeForBroadcast(paths, input, out);
    expect(Math.abs(r.loudness.outputI - -16)).toBeLessThanOrEqual(0.5);
    expect(r.loudness.outputTp).toBeLessThanOrEqual(-1.5);
    expect(Math.abs(loudness(out).i - -16)).toBeLessThanOrEqual(0.5);
    expect(r.stats.encodes).toBeLessThanOrEqual(2);
    expect(leftovers()).toEqual([]);
  });

  it('downmixes stereo and honours other targets', async () => {
    const r = await transcodeForBroadcast(paths, f('stereo.mp3'), f('stereo.opus'), { targetLufs: -20 });
    expect((await probeAudio(paths, f('stereo.opus'))).channels).toBe(1);
    expect(Math.abs(loudness(f('stereo.opus')).i - -20)).toBeLessThanOrEqual(0.5);
    expect(Math.abs(r.durationMs - 2000)).toBeLessThan(150);
  });

  it('works with the static npm binaries (ffmpeg 4.x) too', async () => {
    const r = await transcodeForBroadcast(npmPaths, f('stereo.mp3'), f('npm.opus'));
    expect(Math.abs(r.loudness.outputI - -16)).toBeLessThanOrEqual(0.5);
    expect((await probeAudio(paths, f('npm.opus'))).sampleRate).toBe(48000);
  });

  it('refuses a recording that is only silence', async () => {
    await expect(transcodeForBroadcast(paths, f('silence.wav'), f('silence.opus'))).rejects.toMatchObject({
      code: 'empty',
    });
    expect(readdirSync(tmp.dir)).not.toContain('silence.opus');
  });

  it('a 1 ms time limit rejects with timeout and leaves no process or temp file', async () => {
    const err = await transcodeForBroadcast(paths, f('long.wav'), f('t1.opus'), { timeoutMs: 1 }).catch(
      (e) => e,
    );
    expect(err).toBeInstanceOf(AudioError);
    expect(err.code).toBe('timeout');
    expect(processesMentioning(tmp.dir)).toEqual([]);
    expect(leftovers()).toEqual([]);
  });

  it('a limit that expires mid-encode kills ffmpeg and removes the partial file', async () => {
    // abort once encoding has started (progress beyond the analysis pass), while the temp file exists
    const ctl = new AbortController();
    let sawTemp = false;
    const err = await transcodeForBroadcast(paths, f('long.wav'), f('t2.opus'), {
      signal: ctl.signal,
      onProgress: (x) => {
        if (x > 0.35 && !ctl.signal.aborted) {
          sawTemp = leftovers().length > 0;
          ctl.abort();
        }
      },
    }).catch((e) => e);
    expect(err).toMatchObject({ code: 'aborted' });
    expect(sawTemp).toBe(true);
    expect(processesMentioning(tmp.dir)).toEqual([]);
    expect(leftovers()).toEqual([]);
    expect(readdirSync(tmp.dir)).not.toContain('t2.opus');
  }, 90_000); // a long encode started, then cut: ~10 s, three times that on a loaded machine
});

describe('sha256File', () => {
  it('matches node:crypto on a known buffer', async () => {
    const data = Buffer.alloc(3 * 1024 * 1024 + 17, 'loa phường ');
    writeFileSync(f('blob.bin'), data);
    expect(await sha256File(f('blob.bin'))).toBe(createHash('sha256').update(data).digest('hex'));
    writeFileSync(f('zero.bin'), '');
    expect(await sha256File(f('zero.bin'))).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
  });
});
