// probeAudio on real files in the formats phones and laptops upload, and on things that are not audio.
import { spawnSync } from 'node:child_process';
import { closeSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AudioError, probeAudio } from '../../audio/index.ts';
import { tempDir } from '../support/temp.ts';
import { ffmpegGen, hasEncoder, npmPaths, paths, tone } from './fixtures.ts';

const tmp = tempDir('probe');
const f = (name: string) => join(tmp.dir, name);

async function codeOf(file: string, opts?: { maxDurationMs?: number }): Promise<string> {
  const err = await probeAudio(paths, file, opts).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AudioError);
  return (err as AudioError).code;
}

// the system ffmpeg here has no AMR encoder; the static npm build does
const amrBin = [paths.ffmpeg, npmPaths.ffmpeg].find((bin) => hasEncoder(bin, 'libopencore_amrnb'));

const formats: { name: string; args: string[]; format: RegExp; codec: string; bin?: string }[] = [
  { name: 'a.wav', args: [], format: /^wav$/, codec: 'pcm_s16le' },
  { name: 'a.mp3', args: ['-c:a', 'libmp3lame', '-b:a', '96k'], format: /^mp3$/, codec: 'mp3' },
  { name: 'a.m4a', args: ['-c:a', 'aac', '-b:a', '64k'], format: /mp4/, codec: 'aac' },
  { name: 'a.ogg', args: ['-c:a', 'libopus', '-b:a', '32k'], format: /^ogg$/, codec: 'opus' },
  { name: 'a.flac', args: ['-c:a', 'flac'], format: /^flac$/, codec: 'flac' },
  { name: 'a.webm', args: ['-c:a', 'libopus'], format: /webm/, codec: 'opus' },
];

beforeAll(() => {
  for (const { name, args } of formats) tone(f(name), 3, args);
  if (amrBin)
    tone(f('a.amr'), 3, ['-ar', '8000', '-ac', '1', '-c:a', 'libopencore_amrnb', '-b:a', '12.2k'], amrBin);
  // written to a pipe, as browsers' MediaRecorder does: the muxer cannot go back to store a duration
  const fd = openSync(f('streamed.webm'), 'w');
  spawnSync(
    paths.ffmpeg,
    ['-v', 'error', '-f', 'lavfi', '-i', 'sine=duration=2', '-c:a', 'libopus', '-f', 'webm', '-'],
    {
      stdio: ['ignore', fd, 'pipe'],
    },
  );
  closeSync(fd);
  writeFileSync(f('empty.mp3'), '');
  writeFileSync(f('notes.txt'), 'Loa phường: thông báo lúc 6 giờ sáng.\n'.repeat(20));
  ffmpegGen(f('image.png'), ['-f', 'lavfi', '-i', 'color=red:size=32x32', '-frames:v', '1']);
  ffmpegGen(f('video.mp4'), ['-f', 'lavfi', '-i', 'testsrc=duration=1:size=64x64', '-c:v', 'mpeg4']);
  writeFileSync(f('truncated.mp3'), readFileSync(f('a.mp3')).subarray(0, 4000));
  // deterministic bytes that no demuxer claims with confidence
  writeFileSync(f('garbage.bin'), Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 251)));
});
afterAll(() => tmp.cleanup());

describe('probeAudio', () => {
  it.each(formats)('reads $name', async ({ name, format, codec }) => {
    const r = await probeAudio(paths, f(name));
    expect(r.formatName).toMatch(format);
    expect(r.codec).toBe(codec);
    expect(r.channels).toBe(1);
    expect(r.sampleRate).toBeGreaterThanOrEqual(44100);
    expect(Math.abs(r.durationMs - 3000)).toBeLessThan(100);
  });

  it.skipIf(!amrBin)('reads AMR-NB as recorded by old phones', async () => {
    const r = await probeAudio(paths, f('a.amr'));
    expect(r).toMatchObject({ codec: 'amr_nb', sampleRate: 8000, channels: 1 });
    expect(Math.abs(r.durationMs - 3000)).toBeLessThan(100);
  });

  it('measures by decoding when the container has no duration', async () => {
    const r = await probeAudio(paths, f('streamed.webm'));
    expect(r.codec).toBe('opus');
    expect(Math.abs(r.durationMs - 2000)).toBeLessThan(100);
  });

  it('reports bit rate when known, null otherwise', async () => {
    expect((await probeAudio(paths, f('a.mp3'))).bitRate).toBe(96000);
    expect((await probeAudio(paths, f('a.flac'))).bitRate).toBeGreaterThan(0); // format-level estimate
  });

  it('rejects bad inputs with the matching code', async () => {
    expect(await codeOf(f('empty.mp3'))).toBe('empty');
    expect(await codeOf(f('notes.txt'))).toBe('not_audio');
    expect(await codeOf(f('image.png'))).toBe('not_audio');
    expect(await codeOf(f('video.mp4'))).toBe('no_audio_stream');
    expect(await codeOf(f('truncated.mp3'))).toBe('corrupt');
    expect(['not_audio', 'corrupt']).toContain(await codeOf(f('garbage.bin')));
  });

  it('rejects recordings longer than maxDurationMs, also when it has to decode', async () => {
    expect(await codeOf(f('a.flac'), { maxDurationMs: 1000 })).toBe('too_long');
    expect(await codeOf(f('streamed.webm'), { maxDurationMs: 1000 })).toBe('too_long');
    await expect(probeAudio(paths, f('a.flac'), { maxDurationMs: 5000 })).resolves.toBeTruthy();
  });

  it('times out', async () => {
    await expect(probeAudio(paths, f('a.wav'), { timeoutMs: 1 })).rejects.toMatchObject({ code: 'timeout' });
  });
});
