// Upload truth: a file cut short is refused as `corrupt` however it was cut, and a whole file with long
// silences is accepted. Fixtures made at test time with real ffmpeg, cut with fs truncation.
import { spawnSync } from 'node:child_process';
import {
  closeSync,
  copyFileSync,
  openSync,
  readFileSync,
  statSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AudioError, probeAudio, refusalOf } from '../../audio/index.ts';
import { tempDir } from '../support/temp.ts';
import { ffmpegGen, paths } from './fixtures.ts';

const tmp = tempDir('truncation');
const f = (name: string) => join(tmp.dir, name);

/** 10 s: 2 s of silence, 6 s of syllable-like tone bursts, 2 s of silence. */
const SPEECH_LIKE = [
  ...['-f', 'lavfi', '-i', 'sine=frequency=220:duration=6:sample_rate=44100'],
  ...['-af', "volume='if(lt(mod(t,0.5),0.35),1,0.02)':eval=frame,adelay=2000,apad=pad_dur=2", '-ac', '1'],
];

const FORMATS: { name: string; args: string[] }[] = [
  { name: 'cbr.mp3', args: ['-c:a', 'libmp3lame', '-b:a', '96k'] }, // ffmpeg writes an Info header
  { name: 'vbr.mp3', args: ['-c:a', 'libmp3lame', '-q:a', '4'] }, // a Xing header with the frame count
  { name: 'bare.mp3', args: ['-c:a', 'libmp3lame', '-b:a', '64k', '-write_xing', '0'] }, // no header at all
  {
    name: 'tagged.mp3',
    args: ['-c:a', 'libmp3lame', '-b:a', '64k', '-write_xing', '0', '-metadata', 'TLEN=10000'],
  },
  { name: 'phone.m4a', args: ['-c:a', 'aac', '-b:a', '64k'] }, // the moov index after the sound
  { name: 'web.m4a', args: ['-c:a', 'aac', '-b:a', '64k', '-movflags', '+faststart'] }, // moov first
  { name: 'zalo.ogg', args: ['-c:a', 'libopus', '-b:a', '32k'] },
  { name: 'vorbis.ogg', args: ['-c:a', 'libvorbis'] },
  { name: 'studio.flac', args: ['-c:a', 'flac'] },
  { name: 'laptop.wav', args: ['-c:a', 'pcm_s16le'] },
];
/** Raw AAC as some recorders save it: no container, no stated length. */
const RAW_AAC = ['-c:a', 'aac', '-b:a', '64k', '-f', 'adts'];

/** A copy of `name` cut to `fraction` of its bytes. */
function cut(name: string, fraction: number): string {
  const out = f(`cut-${Math.round(fraction * 10000)}-${name}`);
  copyFileSync(f(name), out);
  truncateSync(out, Math.floor(statSync(out).size * fraction));
  return out;
}

async function refusal(file: string) {
  const err = await probeAudio(paths, file).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err, `${file} was accepted`).toBeInstanceOf(AudioError);
  return err as AudioError;
}

/** Cut points the same on every run (a small LCG), between 15% (past the first second) and 99.9%. */
function cutPoints(seed: number, n: number): number[] {
  let x = seed;
  return Array.from({ length: n }, () => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return 0.15 + (x / 2 ** 31) * 0.849;
  });
}

beforeAll(() => {
  for (const { name, args } of FORMATS) ffmpegGen(f(name), [...SPEECH_LIKE, ...args]);
  ffmpegGen(f('raw.aac'), [...SPEECH_LIKE, ...RAW_AAC]);
  // half a minute of silence either side of 3 s of tone: far fewer bytes than the nominal bitrate says
  const padded = [
    '-f',
    'lavfi',
    '-i',
    'sine=frequency=440:duration=3',
    '-af',
    'adelay=30000,apad=pad_dur=30',
  ];
  ffmpegGen(f('quiet-vorbis.ogg'), [...padded, '-ac', '1', '-c:a', 'libvorbis']);
  ffmpegGen(f('quiet-opus.ogg'), [...padded, '-ac', '1', '-c:a', 'libopus', '-b:a', '32k']);
  ffmpegGen(f('quiet.mp3'), [...padded, '-ac', '1', '-c:a', 'libmp3lame', '-q:a', '6']);
}, 60_000);
afterAll(() => tmp.cleanup());

describe('whole files are accepted', () => {
  it.each(FORMATS)('$name', async ({ name }) => {
    const r = await probeAudio(paths, f(name));
    expect(Math.abs(r.durationMs - 10_000)).toBeLessThan(100);
  });

  it.each(['quiet-vorbis.ogg', 'quiet-opus.ogg', 'quiet.mp3'])(
    '%s: a minute of silence around 3 s of sound is not "cut short"',
    async (name) => {
      expect(Math.abs((await probeAudio(paths, f(name))).durationMs - 63_000)).toBeLessThan(100);
    },
  );
});

describe('whole files that state less than they could are still accepted', () => {
  it('a WAV written to a pipe, whose data size says "unknown"', async () => {
    const out = f('piped.wav');
    const fd = openSync(out, 'w');
    spawnSync(paths.ffmpeg, ['-v', 'error', '-i', f('laptop.wav'), '-f', 'wav', '-'], {
      stdio: ['ignore', fd, 'pipe'],
    });
    closeSync(fd);
    const wav = readFileSync(out);
    expect(wav.readUInt32LE(wav.indexOf('data') + 4)).toBe(0xffffffff); // the size a pipe leaves: unknown
    expect(Math.abs((await probeAudio(paths, out)).durationMs - 10_000)).toBeLessThan(100);
  });

  it('an MP3 with junk after its last frame (the sound is whole)', async () => {
    const out = f('junk-after.mp3');
    writeFileSync(out, Buffer.concat([readFileSync(f('cbr.mp3')), Buffer.alloc(700, 0x5a)]));
    expect(Math.abs((await probeAudio(paths, out)).durationMs - 10_000)).toBeLessThan(100);
  });
});

describe('cut files are refused as corrupt, saying they look cut off', () => {
  it.each(FORMATS)('$name cut after 1 s, at half and at 90%', async ({ name }) => {
    for (const fraction of [0.15, 0.5, 0.9]) {
      const err = await refusal(cut(name, fraction));
      expect(err.code, `${name} at ${fraction}`).toBe('corrupt');
      const words = refusalOf(err);
      expect(words.text).toMatch(/cut off|damaged or incomplete/);
      expect(words.vi).toMatch(/cắt cụt|không đầy đủ/);
      expect(`${words.text} ${words.vi}`).not.toContain(tmp.dir);
    }
  });

  // property-style: wherever the cut falls, MP3 (with the Info or Xing header encoders write) and M4A are
  // refused; a bare MP3 or raw AAC cut exactly between two frames states nothing that could tell
  it.each(['cbr.mp3', 'vbr.mp3', 'phone.m4a', 'web.m4a'])('%s cut anywhere', async (name) => {
    for (const fraction of [...cutPoints(name.length * 7919, 6), 0.995, 0.999]) {
      const err = await refusal(cut(name, fraction));
      expect(err.code, `${name} cut at ${(fraction * 100).toFixed(2)}%`).toBe('corrupt');
      expect(refusalOf(err).text).toMatch(/^the file looks cut off/);
    }
  });

  it('raw AAC (ADTS) cut inside a frame, which ffmpeg drops without a word', async () => {
    const { adtsLength } = await import('../../audio/frames/adts.ts');
    const bytes = readFileSync(f('raw.aac'));
    let pos = 0;
    while (pos < bytes.length / 2) pos += adtsLength(bytes.subarray(pos, pos + 7)) ?? 1;
    const out = f('cut-raw.aac');
    copyFileSync(f('raw.aac'), out);
    truncateSync(out, pos + 5);
    expect((await refusal(out)).message).toMatch(/its last AAC frame is cut short/);
    expect(Math.abs((await probeAudio(paths, f('raw.aac'))).durationMs - 10_000)).toBeLessThan(100);
  });

  it('an MP3 cut exactly between two frames is refused by its Xing frame count', async () => {
    // 96 kbit/s at 44.1 kHz: frames of 313 or 314 bytes; find a boundary near the middle by walking
    const { frameHeader } = await import('../../audio/frames/mp3.ts');
    const bytes = readFileSync(f('cbr.mp3'));
    let pos = bytes.indexOf(Buffer.from([0xff, 0xfb]));
    while (pos < bytes.length / 2) pos += frameHeader(bytes.subarray(pos, pos + 4))?.length ?? 1;
    const out = f('between-frames.mp3');
    copyFileSync(f('cbr.mp3'), out);
    truncateSync(out, pos);
    const err = await refusal(out);
    expect(err.message).toMatch(/frames of the \d+ its Info header announces|stops at/);
  });
});
