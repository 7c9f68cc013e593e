// Bad uploads: each gets a clear answer, and the database, the clip store and the temp folder stay as they were.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import path from 'node:path';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ffmpegGen, tone } from '../../audio/fixtures.ts';
import { clipStoreSnapshot, filesUnder as list } from '../../support/clip-store.ts';
import { makeController, type TestController } from '../../support/controller.ts';
import { tempDir } from '../../support/temp.ts';
import { waitFor } from '../../support/wait.ts';

let ctl: TestController;
let technician: string;
const tmp = tempDir('clips-bad');
const f = (name: string) => path.join(tmp.dir, name);

/** Everything a bad upload must leave untouched. */
const snapshot = () => clipStoreSnapshot(ctl);
let before: ReturnType<typeof snapshot>;

beforeAll(async () => {
  // recordings over 3 s are too long here; uploads over 5 MB too large
  ctl = await makeController(undefined, { MAX_CLIP_MINUTES: '0.05', MAX_UPLOAD_MB: '5' });
  technician = await ctl.tokenFor('kt-ninh-kieu', 'technician', { districts: ['ninh-kieu'] });
  tone(f('ok.mp3'), 2, ['-b:a', '128k']);
  tone(f('long.mp3'), 5, ['-b:a', '128k']);
  ffmpegGen(f('video.mp4'), ['-f', 'lavfi', '-i', 'testsrc=duration=1:size=64x64', '-c:v', 'mpeg4']);
  // one good clip already stored: nothing below may touch it
  expect((await ctl.upload('ok.mp3', readFileSync(f('ok.mp3')), 'ok', technician, '?wait=true')).status).toBe(
    201,
  );
}, 60_000);
beforeEach(() => {
  before = snapshot();
});
afterAll(() => {
  ctl.cleanup();
  tmp.cleanup();
});

/** A multipart body by hand, so tests can cut it, stretch it or lie in it. */
function multipart(name: string, type: string, file: Uint8Array) {
  const boundary = '----loa-test-boundary';
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\nThông báo\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\n` +
      `Content-Type: ${type}\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return { contentType: `multipart/form-data; boundary=${boundary}`, head, tail, file };
}

const post = (body: RequestInit['body'], headers: Record<string, string>) =>
  ctl.app.request('/api/clips', {
    method: 'POST',
    headers: { authorization: `Bearer ${technician}`, ...headers },
    body,
    duplex: 'half',
  } as RequestInit);

describe('refused recordings leave nothing behind', () => {
  const cases: [string, () => Uint8Array, number, RegExp][] = [
    ['notes.txt', () => Buffer.from('Lịch phát thanh tuần này\n'.repeat(50)), 415, /^not_audio$/],
    ['video.mp4', () => readFileSync(f('video.mp4')), 415, /^no_audio_stream$/],
    ['empty.wav', () => new Uint8Array(0), 415, /^empty$/],
    ['long.mp3', () => readFileSync(f('long.mp3')), 413, /^too_long$/],
    ['cut.mp3', () => readFileSync(f('long.mp3')).subarray(0, 3000), 415, /^corrupt$/],
    [
      'random.mp3',
      () => Buffer.from(Array.from({ length: 20_000 }, (_, i) => (i * 7919) % 251)),
      415,
      /corrupt|not_audio/,
    ],
  ];
  it.each(cases)('%s -> %i', async (name, bytes, status, code) => {
    const r = await ctl.upload(name, bytes(), 'x', technician);
    expect(r.status).toBe(status);
    expect(r.body.error).toMatch(code);
    // spelt as every other code the API answers (audio's own codes are kebab-case)
    expect(r.body.error).toMatch(/^[a-z]+(_[a-z]+)*$/);
    expect(r.body.message).toMatch(/^clip rejected: /);
    expect(snapshot()).toEqual(before);
  });

  it('a content type that lies does not decide: ffprobe does', async () => {
    const text = multipart(
      'thong-bao.mp3',
      'audio/mpeg',
      Buffer.from('<html>not a recording</html>'.repeat(40)),
    );
    const r = await post(Buffer.concat([text.head, text.file, text.tail]), {
      'content-type': text.contentType,
    });
    expect(r.status).toBe(415);
    expect(((await r.json()) as { error: string }).error).toBe('not_audio');
    expect(snapshot()).toEqual(before);
    // and real audio declared as a picture is accepted, the claim only recorded
    tone(f('short.ogg'), 1.5, ['-c:a', 'libopus']);
    const ok = multipart('anh.png', 'image/png', readFileSync(f('short.ogg')));
    const res = await post(Buffer.concat([ok.head, ok.file, ok.tail]), { 'content-type': ok.contentType });
    expect(res.status).toBe(202);
    const clip = (await res.json()) as { id: string; source: { declaredType: string; format: string } };
    expect(clip.source).toMatchObject({ declaredType: 'image/png', format: 'ogg/opus' });
    const events = await ctl.app.request(`/api/clips/${clip.id}/events`, {
      headers: { authorization: `Bearer ${technician}` },
    });
    expect(await events.text()).toMatch(/event: done/); // the stream ends once it is processed
    expect((await ctl.call('DELETE', `/api/clips/${clip.id}`)).status).toBe(204);
    expect(snapshot()).toEqual(before);
  });

  it('a file name that tries to leave the store is metadata only', async () => {
    tone(f('escape.wav'), 1, []);
    for (const name of ['../../../../tmp/loa-escape.wav', '..\\..\\windows\\loa-escape.wav', '../..']) {
      const r = await ctl.upload(name, readFileSync(f('escape.wav')), 'x', technician, '?wait=true');
      expect([200, 201]).toContain(r.status);
      expect(['loa-escape.wav', 'upload']).toContain(r.body.originalName);
      const stored = list(path.join(ctl.dataDir, 'clips')).map((d) => path.join(d.parentPath, d.name));
      expect(stored).toContain(
        path.join(ctl.dataDir, 'clips', r.body.sha256.slice(0, 2), `${r.body.sha256}.opus`),
      );
    }
    expect(existsSync('/tmp/loa-escape.wav')).toBe(false);
    expect(list(path.join(ctl.dataDir, 'tmp'))).toEqual([]);
    const extra = ctl.db
      .prepare("SELECT id FROM clips WHERE original_name IN ('loa-escape.wav', 'upload')")
      .all();
    expect(extra).toHaveLength(1); // the same bytes three times: one clip
    expect((await ctl.call('DELETE', `/api/clips/${(extra[0] as { id: string }).id}`)).status).toBe(204);
    expect(snapshot()).toEqual(before);
  });

  it('over MAX_UPLOAD_MB: 413 at once from Content-Length, or as soon as the streamed bytes pass it', async () => {
    const big = multipart('big.wav', 'audio/wav', Buffer.alloc(6 * 2 ** 20, 1));
    const declared = await post(Buffer.concat([big.head, big.file, big.tail]), {
      'content-type': big.contentType,
      'content-length': String(big.head.length + big.file.length + big.tail.length),
    });
    expect(declared.status).toBe(413);
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(c) {
        // never ends by itself: only the server stopping to read ends this upload
        c.enqueue(sent === 0 ? big.head : Buffer.alloc(256 * 1024, 7));
        sent++;
      },
    });
    const streamed = await post(stream, { 'content-type': big.contentType });
    expect(streamed.status).toBe(413);
    expect(((await streamed.json()) as { error: string }).error).toBe('too_large');
    expect(sent).toBeLessThan(40); // 5 MB and a little read-ahead, not the endless rest
    expect(snapshot()).toEqual(before);
  });
});

describe('uploads that stop half way', () => {
  it('streams to disk while the body arrives, and a body that breaks off is a 400 with nothing kept', async () => {
    const form = multipart('thong-bao.mp3', 'audio/mpeg', readFileSync(f('long.mp3')));
    const half = form.file.subarray(0, form.file.length >> 1);
    let breakOff: (e: Error) => void = () => {};
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(form.head);
        c.enqueue(half);
        breakOff = (e) => c.error(e);
      },
    });
    const answer = post(stream, { 'content-type': form.contentType });
    // the half already sent is on disk, not in memory, before the upload ends
    const partial = await waitFor(() =>
      list(path.join(ctl.dataDir, 'tmp')).find(
        (d) => statSync(path.join(d.parentPath, d.name)).size === half.length,
      ),
    );
    expect(partial?.name).toMatch(/^[0-9a-f]{24}\.upload$/);
    breakOff(new Error('connection reset by peer'));
    const r = await answer;
    expect(r.status).toBe(400);
    expect(((await r.json()) as { message: string }).message).toMatch(/cut off|incomplete/);
    expect(snapshot()).toEqual(before);
  });

  it('a body that ends without its closing boundary is a 400', async () => {
    const form = multipart('thong-bao.mp3', 'audio/mpeg', readFileSync(f('ok.mp3')));
    const r = await post(Buffer.concat([form.head, form.file.subarray(0, 5000)]), {
      'content-type': form.contentType,
    });
    expect(r.status).toBe(400);
    expect(((await r.json()) as { message: string }).message).toMatch(/incomplete|Unexpected end/);
    expect(snapshot()).toEqual(before);
  });

  it('over real HTTP: a client that drops the connection half way leaves nothing behind', async () => {
    const statuses: number[] = [];
    const outer = new Hono();
    outer.use(async (c, next) => {
      await next();
      statuses.push(c.res.status);
    });
    outer.route('/', ctl.app);
    const server = serve({ fetch: outer.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise<void>((resolve) => server.once('listening', resolve));
    const { port } = server.address() as { port: number };
    const form = multipart('thong-bao.mp3', 'audio/mpeg', readFileSync(f('long.mp3')));
    const length = form.head.length + form.file.length + form.tail.length;
    const socket = connect(port, '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', resolve));
    socket.write(
      `POST /api/clips HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${technician}\r\n` +
        `Content-Type: ${form.contentType}\r\nContent-Length: ${length}\r\n\r\n`,
    );
    socket.write(form.head);
    socket.write(form.file.subarray(0, form.file.length >> 1));
    await waitFor(() => list(path.join(ctl.dataDir, 'tmp')).length === 1, 5000, 'the upload to reach disk');
    socket.destroy();
    await waitFor(() => statuses.length === 1, 5000, 'the server to finish the request');
    expect(statuses).toEqual([400]);
    expect(snapshot()).toEqual(before);
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
});

describe('the same file twice at once', () => {
  it('ends as one clip, processed once, both uploaders told its id', async () => {
    tone(f('twice.wav'), 1.2, ['-ar', '22050']);
    const bytes = readFileSync(f('twice.wav'));
    const [a, b] = await Promise.all([
      ctl.upload('a.wav', bytes, 'A', technician, '?wait=true'),
      ctl.upload('b.wav', bytes, 'B', technician, '?wait=true'),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 201]);
    expect(a.body.id).toBe(b.body.id);
    expect(a.body.status).toBe('draft');
    expect(b.body.status).toBe('draft');
    const rows = ctl.db.prepare('SELECT id FROM clips WHERE source_sha256 = ?').all(a.body.source.sha256);
    expect(rows).toHaveLength(1);
    expect(snapshot().stored).toHaveLength(before.stored.length + 1);
    expect(list(path.join(ctl.dataDir, 'tmp'))).toEqual([]);
    expect((await ctl.call('DELETE', `/api/clips/${a.body.id}`)).status).toBe(204);
    expect(snapshot()).toEqual(before);
  });
});
