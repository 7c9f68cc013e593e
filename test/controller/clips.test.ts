// Clip upload through the API with real ffmpeg: stored by hash at broadcast loudness, downloadable with
// Range; bad uploads are refused with the reason and leave nothing behind.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir, tone } from '../audio/fixtures.ts';
import { makeController, type TestController } from '../support/controller.ts';

let ctl: TestController;
const tmp = tempDir('clips-api');
beforeAll(async () => {
  ctl = await makeController();
});
afterAll(() => {
  ctl.cleanup();
  tmp.cleanup();
});

const files = (dir: string): string[] =>
  existsSync(dir)
    ? readdirSync(dir, { recursive: true, withFileTypes: true })
        .filter((d) => d.isFile())
        .map((d) => d.name)
    : [];

describe('clip upload', () => {
  it('stores a recording as broadcast Opus by its sha256 and serves it, with Range', async () => {
    const bytes = readFileSync(tone(path.join(tmp.dir, 'thong-bao.mp3'), 2, ['-b:a', '128k']));
    const res = await ctl.upload('thong-bao.mp3', bytes, 'Thông báo tiêm chủng');
    expect(res.status).toBe(201);
    const clip = res.body;
    expect(clip).toMatchObject({
      title: 'Thông báo tiêm chủng',
      originalName: 'thong-bao.mp3',
      format: { channels: 1 },
    });
    expect(Math.abs(clip.durationMs - 2000)).toBeLessThan(150);
    expect(Math.abs(clip.loudness.outputLufs - -16)).toBeLessThanOrEqual(0.5);
    const stored = path.join(ctl.dataDir, 'clips', clip.sha256.slice(0, 2), `${clip.sha256}.opus`);
    expect(createHash('sha256').update(readFileSync(stored)).digest('hex')).toBe(clip.sha256);

    const full = await ctl.app.request(`/api/clips/${clip.id}/audio`, {
      headers: { authorization: `Bearer ${ctl.token}` },
    });
    expect(full.status).toBe(200);
    expect(full.headers.get('content-type')).toBe('audio/ogg');
    expect(
      createHash('sha256')
        .update(Buffer.from(await full.arrayBuffer()))
        .digest('hex'),
    ).toBe(clip.sha256);

    const part = await ctl.app.request(`/api/clips/${clip.id}/audio`, {
      headers: { authorization: `Bearer ${ctl.token}`, range: 'bytes=100-' },
    });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 100-${clip.bytes - 1}/${clip.bytes}`);
    expect((await part.arrayBuffer()).byteLength).toBe(clip.bytes - 100);
    expect(files(path.join(ctl.dataDir, 'tmp'))).toEqual([]);
  });

  it('refuses what is not audio, empty or corrupt, with the reason, and keeps nothing', async () => {
    const before = (await ctl.call('GET', '/api/clips')).body.length;
    const storedBefore = files(path.join(ctl.dataDir, 'clips')).length;
    const mp3 = readFileSync(tone(path.join(tmp.dir, 'long.mp3'), 5, ['-b:a', '128k']));
    const cases: [string, Uint8Array, RegExp][] = [
      ['notes.txt', Buffer.from('Lịch phát thanh tuần này\n'.repeat(50)), /not-audio/],
      ['empty.wav', new Uint8Array(0), /empty/],
      ['cut.mp3', mp3.subarray(0, 3000), /corrupt|not-audio/],
      [
        'random.mp3',
        Buffer.from(Array.from({ length: 20_000 }, (_, i) => (i * 7919) % 251)),
        /corrupt|not-audio/,
      ],
    ];
    for (const [name, bytes, code] of cases) {
      const r = await ctl.upload(name, bytes);
      expect(r.status, name).toBe(415);
      expect(r.body.error, name).toMatch(code);
      expect(r.body.message, name).toMatch(/^clip rejected: /);
    }
    const noFile = await ctl.app.request('/api/clips', {
      method: 'POST',
      headers: { authorization: `Bearer ${ctl.token}` },
      body: new FormData(),
    });
    expect(noFile.status).toBe(400);
    expect((await ctl.call('GET', '/api/clips')).body.length).toBe(before);
    expect(files(path.join(ctl.dataDir, 'clips')).length).toBe(storedBefore);
    expect(files(path.join(ctl.dataDir, 'tmp'))).toEqual([]);
  });
});
