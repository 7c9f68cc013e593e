// Remote audio of a CAP emergency, fetched from a local HTTP server and put through the real clip
// pipeline (ffprobe, loudness, Opus with real ffmpeg); a broken or missing source stores nothing.

import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { tone } from '../../../audio/fixtures.ts';
import type { TestController } from '../../../support/controller.ts';
import { tempDir } from '../../../support/temp.ts';
import { alertCount, capWorld, fixture, postCap } from './world.ts';

const dir = tempDir('cap-audio');
const wav = readFileSync(tone(path.join(dir.dir, 'tone.wav'), 2));
let server: Server;
let base = '';
const hits: string[] = [];
beforeAll(async () => {
  server = createServer((req, res) => {
    hits.push(req.url ?? '');
    if (req.url === '/canh-bao.wav') res.writeHead(200, { 'content-type': 'audio/wav' }).end(wav);
    else if (req.url === '/not-audio.wav')
      res.writeHead(200, { 'content-type': 'audio/wav' }).end('<html>no</html>');
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.close();
  dir.cleanup();
});

let ctl: TestController;
beforeEach(async () => {
  ctl = await capWorld({ now: () => new Date('2026-11-26T03:00:00Z') });
  hits.length = 0;
});
afterEach(() => ctl.cleanup());

const withAudio = (doc: string, uri: string) => doc.replace('http://localhost/api/clips/clip-ok/audio', uri);
const clipCount = () => (ctl.db.prepare('SELECT COUNT(*) AS n FROM clips').get() as { n: number }).n;

describe('remote audio of an emergency', () => {
  it('is fetched and processed as an upload would be: the bulletin plays the processed draft', async () => {
    const r = await postCap(ctl, withAudio(fixture('homeland-security.xml'), `${base}/canh-bao.wav`));
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body.level).toBe('emergency');
    const clip = ctl.db.prepare('SELECT * FROM clips WHERE id = ?').get(r.body.clipId) as Record<
      string,
      unknown
    >;
    expect(clip).toMatchObject({ status: 'draft', original_name: 'canh-bao.wav', source_type: 'audio/ogg' });
    // the declared type is the resource's <mimeType>, recorded, not trusted: ffprobe found a WAV
    expect(clip.source_format).toMatch(/^wav\//);
    expect(clip.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(r.body.clip).toMatchObject({ id: r.body.clipId, sha256: clip.sha256 });
    expect(hits).toEqual(['/canh-bao.wav']);
  });

  it('stores nothing when the source answers 404 or is not audio', async () => {
    const clips = clipCount();
    const missing = await postCap(ctl, withAudio(fixture('homeland-security.xml'), `${base}/gone.wav`));
    expect(missing.status).toBe(400);
    expect(missing.body.details[0]).toMatchObject({ path: 'alert/info/resource/uri' });
    expect(missing.body.message).toContain('it answered 404');
    const notAudio = await postCap(ctl, withAudio(fixture('homeland-security.xml'), `${base}/not-audio.wav`));
    expect(notAudio.status).toBeGreaterThanOrEqual(400);
    expect(notAudio.status).toBeLessThan(500);
    expect(notAudio.body.message).toMatch(/clip rejected/);
    const closed = await postCap(
      ctl,
      withAudio(fixture('homeland-security.xml'), 'http://127.0.0.1:1/a.wav'),
    );
    expect(closed.status).toBe(400);
    expect(alertCount(ctl)).toBe(0);
    expect(clipCount()).toBe(clips);
  });

  it('is not fetched when the bulletin is refused anyway: unknown area, a ward, a past expiry', async () => {
    const doc = withAudio(fixture('homeland-security.xml'), `${base}/canh-bao.wav`);
    expect(
      (await postCap(ctl, doc.replace('<value>ninh-kieu</value>', '<value>hoan-kiem</value>'))).status,
    ).toBe(400);
    const ward = await ctl.tokenFor('cb-an-hoa', 'ward', { ward: 'an-hoa' });
    expect(
      (await postCap(ctl, doc.replace('<value>ninh-kieu</value>', '<value>an-hoa</value>'), ward)).status,
    ).toBe(403);
    const past = doc.replace('<headline>Nâng mức', '<expires>2026-11-26T09:00:00+07:00</expires>$&');
    const r = await postCap(ctl, past);
    expect(r.status, JSON.stringify(r.body)).toBe(400);
    expect(hits).toEqual([]);
    expect(alertCount(ctl)).toBe(0);
  });
});
