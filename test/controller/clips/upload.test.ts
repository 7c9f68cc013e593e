// Clip upload through the API with real ffmpeg: every format phones and laptops produce comes out as
// trimmed mono Opus at -16 LUFS, stored once by its sha256; progress while processing; preview with Range.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeAudio } from '../../../audio/index.ts';
import { ffmpegGen, hasEncoder, loudness, npmPaths, paddedSpeech, paths } from '../../audio/fixtures.ts';
import { makeController, type TestController } from '../../support/controller.ts';
import { tempDir } from '../../support/temp.ts';

let ctl: TestController;
let technician: string;
const tmp = tempDir('clips-api');
const f = (name: string) => path.join(tmp.dir, name);
let speechS = 0;

const storedFiles = (dataDir: string): string[] => {
  const dir = path.join(dataDir, 'clips');
  return existsSync(dir)
    ? readdirSync(dir, { recursive: true, withFileTypes: true })
        .filter((d) => d.isFile())
        .map((d) => d.name)
        .sort()
    : [];
};

// the system ffmpeg here has no AMR encoder; the static npm build does (and decodes nothing we lack)
const amrBin = [paths.ffmpeg, npmPaths.ffmpeg].find((bin) => hasEncoder(bin, 'libopencore_amrnb'));
const AMR = ['-ar', '8000', '-ac', '1', '-c:a', 'libopencore_amrnb', '-b:a', '12.2k'];

/** What phones and laptops upload, each made from the same espeak-ng speech padded with 0.8 s silence. */
const FORMATS: { name: string; args: string[]; bin?: string; source: RegExp }[] = [
  { name: 'ghi-am.mp3', args: ['-c:a', 'libmp3lame', '-b:a', '64k'], source: /^mp3\/mp3$/ },
  { name: 'laptop.wav', args: ['-ar', '44100', '-ac', '2', '-c:a', 'pcm_s16le'], source: /^wav\/pcm_s16le$/ },
  { name: 'iphone.m4a', args: ['-c:a', 'aac', '-b:a', '64k'], source: /mp4.*\/aac$/ },
  { name: 'zalo.ogg', args: ['-c:a', 'libopus', '-b:a', '24k'], source: /^ogg\/opus$/ },
  { name: 'studio.flac', args: ['-c:a', 'flac'], source: /^flac\/flac$/ },
  { name: 'webapp.webm', args: ['-c:a', 'libopus', '-f', 'webm'], source: /webm\/opus$/ },
  ...(amrBin
    ? [
        { name: 'old-phone.amr', args: AMR, bin: amrBin, source: /^amr\/amr_nb$/ },
        { name: 'feature-phone.3gp', args: AMR, bin: amrBin, source: /3gp.*\/amr_nb$/ },
      ]
    : [{ name: 'feature-phone.3gp', args: ['-c:a', 'aac', '-b:a', '32k'], source: /3gp.*\/aac$/ }]),
];

beforeAll(async () => {
  ctl = await makeController();
  technician = await ctl.tokenFor('kt-ninh-kieu', 'technician', { districts: ['ninh-kieu'] });
  const speech = paddedSpeech(tmp.dir, 0.8);
  speechS = speech.speechS;
  for (const { name, args, bin } of FORMATS) ffmpegGen(f(name), ['-i', speech.file, ...args], bin);
  ffmpegGen(f('long.wav'), [
    ...['-f', 'lavfi', '-i', 'anoisesrc=color=pink:duration=90:amplitude=0.3:sample_rate=16000'],
    ...['-af', "volume='if(lt(mod(t,0.9),0.6),1,0.05)':eval=frame"],
  ]);
}, 60_000);
afterAll(() => {
  ctl.cleanup();
  tmp.cleanup();
});

describe('every accepted format becomes broadcast-ready', () => {
  it.each(FORMATS)(
    '$name: trimmed mono 48 kHz Opus at -16 LUFS, stored by sha256',
    async ({ name, source }) => {
      const r = await ctl.upload(name, readFileSync(f(name)), `Thông báo ${name}`, technician, '?wait=true');
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      const clip = r.body;
      expect(clip).toMatchObject({ status: 'draft', progress: 1, reason: null, originalName: name });
      expect(clip.source.format).toMatch(source);
      expect(clip.uploadedBy).toBe('kt-ninh-kieu');
      // the 0.8 s pads are gone; the speech (with espeak's own short edges) stays
      expect(clip.durationMs).toBeGreaterThan(speechS * 1000 - 800);
      expect(clip.durationMs).toBeLessThan(speechS * 1000 + 400);
      expect(clip.source.durationMs).toBeGreaterThan(speechS * 1000 + 1400);
      expect(Math.abs(clip.loudness.outputLufs - -16)).toBeLessThanOrEqual(0.5);
      expect(clip.loudness.outputTruePeakDb).toBeLessThanOrEqual(-1.5);
      expect(clip.loudness.inputLufs).toBeLessThan(-16.5);

      const stored = path.join(ctl.dataDir, 'clips', clip.sha256.slice(0, 2), `${clip.sha256}.opus`);
      const bytes = readFileSync(stored);
      expect(bytes.length).toBe(clip.bytes);
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(clip.sha256);
      const probe = await probeAudio(paths, stored);
      expect(probe).toMatchObject({ formatName: 'ogg', codec: 'opus', sampleRate: 48000, channels: 1 });
      expect(Math.abs(probe.durationMs - clip.durationMs)).toBeLessThan(30);
      // measured again by a different meter (loudnorm's) than the pipeline's ebur128
      const measured = loudness(stored);
      expect(Math.abs(measured.i - -16)).toBeLessThanOrEqual(0.5);
      expect(measured.tp).toBeLessThanOrEqual(-1);
      // small for the link: ~40 kbit/s
      expect((bytes.length * 8) / (clip.durationMs / 1000)).toBeLessThan(56_000);
    },
  );
});

describe('processing in the background', () => {
  it('answers 202 at once, shows progress, streams progress events, then the draft', async () => {
    const r = await ctl.upload('long.wav', readFileSync(f('long.wav')), 'Dài', technician);
    expect(r.status).toBe(202);
    expect(r.body).toMatchObject({ status: 'processing', progress: 0, sha256: null, durationMs: null });
    expect(r.body.source.durationMs).toBe(90_000);
    const now = await ctl.call('GET', `/api/clips/${r.body.id}`);
    expect(now.body.status).toBe('processing');
    // the broadcast file does not exist yet: nothing to preview or download
    expect((await ctl.call('GET', `/api/clips/${r.body.id}/audio`)).status).toBe(409);

    const res = await ctl.app.request(`/api/clips/${r.body.id}/events`, {
      headers: { authorization: `Bearer ${ctl.token}` },
    });
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const events = [...(await res.text()).matchAll(/event: (\w+)\ndata: (.*)\n/g)].map((m) => ({
      event: m[1],
      data: JSON.parse(m[2] as string),
    }));
    const progress = events.filter((e) => e.event === 'progress').map((e) => e.data.progress as number);
    expect(progress.length).toBeGreaterThanOrEqual(3);
    for (let i = 1; i < progress.length; i++)
      expect(progress[i]).toBeGreaterThanOrEqual(progress[i - 1] ?? 0);
    expect(progress.at(-1)).toBeGreaterThan(0.5);
    expect(events.at(-1)).toMatchObject({
      event: 'done',
      data: { id: r.body.id, status: 'draft', progress: 1 },
    });
    // the stream of a finished clip says "done" straight away
    const again = await ctl.app.request(`/api/clips/${r.body.id}/events`, {
      headers: { authorization: `Bearer ${ctl.token}` },
    });
    expect(await again.text()).toMatch(/^event: done\n/);
    expect(readdirSync(path.join(ctl.dataDir, 'tmp'))).toEqual([]);
  });

  it('the same recording uploaded again is the same clip (200), processed and stored once', async () => {
    const before = storedFiles(ctl.dataDir);
    const count = (ctl.db.prepare('SELECT COUNT(*) AS n FROM clips').get() as { n: number }).n;
    const bytes = readFileSync(f('ghi-am.mp3'));
    const again = await ctl.upload('ban-sao.mp3', bytes, 'Bản sao', technician);
    expect(again.status).toBe(200);
    expect(again.body.originalName).toBe('ghi-am.mp3');
    expect((ctl.db.prepare('SELECT COUNT(*) AS n FROM clips').get() as { n: number }).n).toBe(count);
    expect(storedFiles(ctl.dataDir)).toEqual(before);
    expect(readdirSync(path.join(ctl.dataDir, 'tmp'))).toEqual([]);
  });
});

describe('preview', () => {
  it('a technician listens to the processed clip; Range and If-Range work', async () => {
    const clip = (await ctl.call('GET', '/api/clips?status=draft')).body.find(
      (c: { originalName: string }) => c.originalName === 'studio.flac',
    );
    const get = (headers: Record<string, string> = {}) =>
      ctl.app.request(`/api/clips/${clip.id}/audio`, {
        headers: { authorization: `Bearer ${technician}`, ...headers },
      });
    const full = await get();
    expect(full.status).toBe(200);
    expect(full.headers.get('content-type')).toBe('audio/ogg');
    expect(full.headers.get('etag')).toBe(`"${clip.sha256}"`);
    const body = Buffer.from(await full.arrayBuffer());
    expect(createHash('sha256').update(body).digest('hex')).toBe(clip.sha256);

    const part = await get({ range: 'bytes=100-' });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 100-${clip.bytes - 1}/${clip.bytes}`);
    expect(Buffer.from(await part.arrayBuffer()).equals(body.subarray(100))).toBe(true);
    expect((await get({ range: 'bytes=100-', 'if-range': `"${clip.sha256}"` })).status).toBe(206);
    expect((await get({ range: 'bytes=100-', 'if-range': '"other"' })).status).toBe(200);
    expect((await get({ range: `bytes=${clip.bytes}-` })).status).toBe(416);
  });
});
