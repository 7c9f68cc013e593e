// The edge agent's playback sink: output specs, real-time file sink, abort, timeout, failures.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AudioError, createPlayer, parseAudioOutput, probeAudio } from '../../audio/index.ts';
import { tempDir } from '../support/temp.ts';
import { waitFor } from '../support/wait.ts';
import { paths, processesMentioning, tone } from './fixtures.ts';

const tmp = tempDir('player');
const f = (name: string) => join(tmp.dir, name);

beforeAll(() => {
  tone(f('clip.opus'), 1.5, ['-ar', '48000', '-ac', '1', '-c:a', 'libopus', '-b:a', '40k']);
  tone(f('long.opus'), 10, ['-c:a', 'libopus']);
  writeFileSync(f('broken.opus'), 'not audio at all');
});
afterAll(() => tmp.cleanup());

describe('parseAudioOutput', () => {
  it('parses the three sinks', () => {
    expect(parseAudioOutput('alsa:plughw:CARD=Device')).toEqual({
      kind: 'alsa',
      device: 'plughw:CARD=Device',
    });
    expect(parseAudioOutput('alsa:default')).toEqual({ kind: 'alsa', device: 'default' });
    expect(parseAudioOutput('file:./some/dir')).toEqual({ kind: 'file', dir: './some/dir' });
    expect(parseAudioOutput('null')).toEqual({ kind: 'null' });
  });
  it.each(['', 'alsa', 'alsa:', 'file:', 'pulse:default', 'NULL', 'speaker'])('rejects %j', (spec) => {
    expect(() => parseAudioOutput(spec)).toThrow(/invalid audio output/);
  });
});

describe('createPlayer', () => {
  it('file sink writes a 48 kHz mono wav in real time', async () => {
    const dir = f('out');
    const player = createPlayer(paths, { kind: 'file', dir });
    const t0 = Date.now();
    const r = await player.play(f('clip.opus'), { name: 'morning/news 06:00', timeoutMs: 10_000 });
    const elapsed = Date.now() - t0;

    expect(r.outputFile).toBe(join(dir, 'morning_news_06_00.wav'));
    const wav = await probeAudio(paths, r.outputFile ?? '');
    expect(wav).toMatchObject({ codec: 'pcm_s16le', sampleRate: 48000, channels: 1 });
    const clip = await probeAudio(paths, f('clip.opus'));
    expect(Math.abs(wav.durationMs - clip.durationMs)).toBeLessThanOrEqual(100);
    // paced like speakers: takes the clip's length, not the few ms a plain decode would
    const playedMs = r.endedAt.getTime() - r.startedAt.getTime();
    expect(playedMs).toBeGreaterThan(clip.durationMs - 150);
    expect(playedMs).toBeLessThan(clip.durationMs + 1000);
    expect(elapsed).toBeGreaterThanOrEqual(playedMs);
  });

  it('null sink plays in real time and takes its timestamps from the clock', async () => {
    let ticks = 0;
    const player = createPlayer(
      paths,
      { kind: 'null' },
      { now: () => new Date(Date.UTC(2026, 0, 1, 6, 0, ticks++)) },
    );
    const t0 = Date.now();
    const r = await player.play(f('clip.opus'), { name: 'x', timeoutMs: 10_000, volume: 0.5 });
    expect(Date.now() - t0).toBeGreaterThan(1300);
    expect(r).toEqual({
      startedAt: new Date(Date.UTC(2026, 0, 1, 6, 0, 0)),
      endedAt: new Date(Date.UTC(2026, 0, 1, 6, 0, 1)),
      outputFile: null,
    });
  });

  it('abort kills playback at once, not at the end of the clip', async () => {
    const player = createPlayer(paths, { kind: 'file', dir: f('out') });
    const ctl = new AbortController();
    const playing = player.play(f('long.opus'), { name: 'aborted', timeoutMs: 20_000, signal: ctl.signal });
    // ffmpeg is running
    await waitFor(() => processesMentioning(f('long.opus')).length === 1, 5000, 'ffmpeg to start');
    expect(processesMentioning(f('long.opus')).length).toBe(1);
    const t0 = Date.now();
    ctl.abort();
    const err = await playing.catch((e) => e);
    // ~100 ms on an idle machine; the bound only tells it from the 20 s clip's end on a loaded one
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(err).toBeInstanceOf(AudioError);
    expect(err.code).toBe('aborted');
    expect(processesMentioning(f('long.opus'))).toEqual([]);
  });

  it('times out, and reports ffmpeg failures', async () => {
    const player = createPlayer(paths, { kind: 'null' });
    await expect(player.play(f('long.opus'), { name: 't', timeoutMs: 300 })).rejects.toMatchObject({
      code: 'timeout',
    });
    expect(processesMentioning(f('long.opus'))).toEqual([]);
    await expect(player.play(f('broken.opus'), { name: 'b', timeoutMs: 5000 })).rejects.toMatchObject({
      code: 'ffmpeg_failed',
    });
    const ctl = new AbortController();
    ctl.abort();
    await expect(
      player.play(f('clip.opus'), { name: 'c', timeoutMs: 5000, signal: ctl.signal }),
    ).rejects.toMatchObject({ code: 'aborted' });
  });

  it('validates volume and name', async () => {
    const player = createPlayer(paths, { kind: 'null' });
    await expect(player.play(f('clip.opus'), { name: 'v', timeoutMs: 5000, volume: 2.5 })).rejects.toThrow(
      RangeError,
    );
    await expect(player.play(f('clip.opus'), { name: '../..', timeoutMs: 5000 })).rejects.toThrow(/name/);
  });
});
