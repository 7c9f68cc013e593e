// Streams a multipart upload (an audio file or a browser recording) to a temp file; never held in memory.
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import busboy from 'busboy';
import { badRequest, LocalError } from './errors.ts';

export interface Received {
  /** The temp file; the caller removes it. */
  path: string;
  bytes: number;
  /** The client's file name, without any path, for the title when none is given. */
  originalName: string;
  title: string | null;
}

/** Room for the multipart framing and the title around the file itself. */
const FORM_OVERHEAD = 64 * 1024;

const tooLarge = (maxBytes: number) =>
  new LocalError(413, 'too-large', `upload larger than the limit of ${Math.round(maxBytes / 2 ** 20)} MB`);

function cleanName(name: string | undefined): string {
  const last = (name ?? '').split(/[/\\]/).pop() ?? '';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
  const clean = last.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  return clean && clean !== '.' && clean !== '..' ? clean.slice(0, 200) : 'upload';
}

/**
 * Reads field `file` into `tmpDir` under a random name and the optional field `title`. Refuses at once
 * (413) a declared length or a file over `maxBytes`; 400 for a body that breaks off or is not multipart.
 */
export async function receiveUpload(req: Request, tmpDir: string, maxBytes: number): Promise<Received> {
  const contentType = req.headers.get('content-type') ?? '';
  if (!/^multipart\/form-data\b/i.test(contentType) || !req.body)
    throw badRequest('expected a multipart/form-data body with a "file" field');
  if (Number(req.headers.get('content-length') ?? 0) > maxBytes + FORM_OVERHEAD) throw tooLarge(maxBytes);
  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers: { 'content-type': contentType },
      limits: { files: 1, fileSize: maxBytes, fields: 4, fieldSize: 4096, parts: 6 },
    });
  } catch (e) {
    throw badRequest(`malformed multipart request: ${(e as Error).message}`);
  }
  await mkdir(tmpDir, { recursive: true });
  const file = path.join(tmpDir, `${randomBytes(12).toString('hex')}.upload`);
  const body = Readable.fromWeb(req.body as WebReadableStream<Uint8Array>);
  let written: Promise<number> | null = null;
  let originalName = 'upload';
  let title: string | null = null;

  const parsed = new Promise<void>((resolve, reject) => {
    const fail = (e: LocalError) => {
      reject(e);
      body.destroy(); // stop reading: an upload over the limit is not read to its end
    };
    parser.on('file', (name, stream, info) => {
      if (name !== 'file' || written) {
        stream.resume();
        return;
      }
      originalName = cleanName(info.filename);
      stream.on('limit', () => fail(tooLarge(maxBytes)));
      let bytes = 0;
      const meter = new Transform({
        transform(chunk: Buffer, _enc, cb) {
          bytes += chunk.length;
          cb(null, chunk);
        },
      });
      written = pipeline(stream, meter, createWriteStream(file, { flags: 'wx', mode: 0o600 })).then(
        () => bytes,
      );
      written.catch(() => {}); // awaited below; this only keeps an early failure from going unhandled
    });
    parser.on('field', (name, value) => {
      if (name === 'title') title = value;
    });
    parser.on('filesLimit', () => fail(badRequest('one file per upload')));
    parser.on('partsLimit', () => fail(badRequest('too many form fields')));
    parser.on('error', (e: unknown) =>
      fail(badRequest(`upload incomplete or malformed: ${e instanceof Error ? e.message : String(e)}`)),
    );
    parser.on('close', () => resolve());
    body.on('error', () => fail(badRequest('upload cut off before it was complete')));
    body.pipe(parser);
  });

  try {
    await parsed;
    const done = written as Promise<number> | null;
    if (!done) throw badRequest('multipart field "file" is missing');
    const bytes = await done;
    return { path: file, bytes, originalName, title };
  } catch (e) {
    body.destroy();
    parser.destroy();
    await (written as Promise<unknown> | null)?.catch(() => {});
    await rm(file, { force: true });
    throw e instanceof LocalError ? e : badRequest(`upload failed: ${(e as Error).message}`);
  }
}
