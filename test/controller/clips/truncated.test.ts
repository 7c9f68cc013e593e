// Upload truth through the API: a recording cut short is refused 415 `corrupt`, in words that say it
// looks cut off (English in `message`, both languages in `details`) and name no server file; a whole
// recording with long silences is taken. Fixtures made with real ffmpeg, cut with fs truncation.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ffmpegGen } from '../../audio/fixtures.ts';
import { clipStoreSnapshot, LEAK } from '../../support/clip-store.ts';
import { makeController, type TestController } from '../../support/controller.ts';
import { tempDir } from '../../support/temp.ts';

let ctl: TestController;
let technician: string;
const tmp = tempDir('clips-truncated');
const f = (name: string) => path.join(tmp.dir, name);
const SPEECH_LIKE = [
  ...['-f', 'lavfi', '-i', 'sine=frequency=220:duration=6'],
  ...['-af', "volume='if(lt(mod(t,0.5),0.35),1,0.02)':eval=frame,adelay=2000,apad=pad_dur=2", '-ac', '1'],
];

beforeAll(async () => {
  ctl = await makeController();
  technician = await ctl.tokenFor('kt-ninh-kieu', 'technician', { districts: ['ninh-kieu'] });
  ffmpegGen(f('ghi-am.mp3'), [...SPEECH_LIKE, '-c:a', 'libmp3lame', '-q:a', '4']);
  ffmpegGen(f('iphone.m4a'), [...SPEECH_LIKE, '-c:a', 'aac', '-b:a', '64k']);
  ffmpegGen(f('web.m4a'), [...SPEECH_LIKE, '-c:a', 'aac', '-b:a', '64k', '-movflags', '+faststart']);
  // 20 s of silence either side of 2 s of tone: a fifth of the bytes its nominal bitrate stands for
  ffmpegGen(f('yen-lang.ogg'), [
    ...['-f', 'lavfi', '-i', 'sine=frequency=440:duration=2', '-af', 'adelay=20000,apad=pad_dur=20'],
    ...['-ac', '1', '-c:a', 'libvorbis'],
  ]);
}, 60_000);
afterAll(() => {
  ctl.cleanup();
  tmp.cleanup();
});

const cut = (name: string, fraction: number) => {
  const bytes = readFileSync(f(name));
  return bytes.subarray(0, Math.floor(bytes.length * fraction));
};

describe('a recording cut short', () => {
  it.each([
    ['ghi-am.mp3', 0.1],
    ['ghi-am.mp3', 0.5],
    ['ghi-am.mp3', 0.9],
    ['iphone.m4a', 0.1],
    ['iphone.m4a', 0.5],
    ['iphone.m4a', 0.9],
    ['web.m4a', 0.5],
    ['web.m4a', 0.9],
  ] as const)('%s cut at %d is refused as corrupt, stores nothing, names no file', async (name, fraction) => {
    const before = clipStoreSnapshot(ctl);
    for (const query of ['', '?wait=true']) {
      const r = await ctl.upload(name, cut(name, fraction), 'Thông báo tiêm chủng', technician, query);
      expect(r.status).toBe(415);
      expect(r.body.error).toBe('corrupt');
      expect(r.body.message).toMatch(/^clip rejected: the file looks cut off/);
      expect(r.body.details.vi).toMatch(/^Tệp âm thanh có vẻ bị cắt cụt, không đầy đủ/);
      expect(r.body.details.en).toMatch(/^the file looks cut off/);
      expect(JSON.stringify(r.body)).not.toMatch(LEAK);
    }
    expect(clipStoreSnapshot(ctl)).toEqual(before);
  });
});

describe('a whole recording', () => {
  it('with long silences at its ends is taken and processed', async () => {
    const r = await ctl.upload(
      'yen-lang.ogg',
      readFileSync(f('yen-lang.ogg')),
      'Yên lặng',
      technician,
      '?wait=true',
    );
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ status: 'draft', source: { format: 'ogg/vorbis' } });
    expect(Math.abs(r.body.source.durationMs - 42_000)).toBeLessThan(100);
  });

  it('the whole MP3 and M4A the cut ones came from are taken', async () => {
    for (const name of ['ghi-am.mp3', 'iphone.m4a', 'web.m4a']) {
      const r = await ctl.upload(name, readFileSync(f(name)), name, technician);
      expect(r.status, name).toBe(202);
    }
  });
});
