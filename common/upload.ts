// The streaming upload receiver: a multipart body to a temp file, hashed and counted, never held in
// memory. Used by the controller's clip upload and the station page's announcements.
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import busboy from 'busboy';

export interface Received {
  /** the temp file; the caller removes it */
  path: string;
  bytes: number;
  sha256: string;
  /** the client's file name, sanitised, kept as metadata only */
  originalName: string;
  /** the content type the client declared; recorded, never trusted */
  declaredType: string;
  title: string | null;
  /** written by this code itself (a text clip's speech): whole by construction, so not decoded to check */
  madeHere?: boolean;
}

/**
 * Makes the caller's refusal: 413 `too_large` for a body over the limit, 400 `bad_request` for anything
 * else wrong with it. The controller's HttpError and the station page's LocalError both fit.
 */
export type Refuse = (status: 400 | 413, code: 'bad_request' | 'too_large', message: string) => Error;

export interface UploadOptions {
  tmpDir: string;
  maxBytes: number;
  refuse: Refuse;
}

/** Room for the multipart framing and the title around the file itself. */
const FORM_OVERHEAD = 64 * 1024;

/** The last path segment of whatever the client called the file, without control characters. */
export function sanitiseOriginalName(name: string | undefined): string {
  const last = (name ?? '').split(/[/\\]/).pop() ?? '';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
  const clean = last.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  return clean && clean !== '.' && clean !== '..' ? clean.slice(0, 200) : 'upload';
}

/**
 * Reads the request's multipart body: field `file` goes to `tmpDir` under a random name, `title`
 * is kept. Refuses at once (413) a declared length or a file over `maxBytes`, and answers 400 for a
 * body that ends early (the client gave up or lost its link) or is not well-formed.
 */
export async function receiveUpload(req: Request, opts: UploadOptions): Promise<Received> {
  const { tmpDir, maxBytes } = opts;
  const refusals = new WeakSet<Error>();
  const refuse = (status: 400 | 413, message: string) => {
    const e = opts.refuse(status, status === 413 ? 'too_large' : 'bad_request', message);
    refusals.add(e);
    return e;
  };
  const badRequest = (message: string) => refuse(400, message);
  const tooLarge = () => refuse(413, `upload larger than the limit of ${Math.round(maxBytes / 2 ** 20)} MB`);
  const contentType = req.headers.get('content-type') ?? '';
  if (!/^multipart\/form-data\b/i.test(contentType) || !req.body) {
    throw badRequest('expected a multipart/form-data body with a "file" field');
  }
  if (Number(req.headers.get('content-length') ?? 0) > maxBytes + FORM_OVERHEAD) throw tooLarge();
  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers: { 'content-type': contentType },
      limits: { files: 1, fileSize: maxBytes, fields: 5, fieldSize: 4096, parts: 8 },
    });
  } catch (e) {
    throw badRequest(`malformed multipart request: ${(e as Error).message}`);
  }
  await mkdir(tmpDir, { recursive: true });
  const file = path.join(tmpDir, `${randomBytes(12).toString('hex')}.upload`);
  const body = Readable.fromWeb(req.body as WebReadableStream<Uint8Array>);
  let written: Promise<{ bytes: number; sha256: string }> | null = null;
  let meta = { originalName: 'upload', declaredType: '' };
  let title: string | null = null;

  const parsed = new Promise<void>((resolve, reject) => {
    const fail = (e: Error) => {
      reject(e);
      body.destroy(); // stop reading: an upload over the limit is not read to its end
    };
    parser.on('file', (name, stream, info) => {
      if (name !== 'file' || written) {
        stream.resume();
        return;
      }
      meta = { originalName: sanitiseOriginalName(info.filename), declaredType: info.mimeType.slice(0, 100) };
      stream.on('limit', () => fail(tooLarge()));
      const hash = createHash('sha256');
      let bytes = 0;
      const meter = new Transform({
        transform(chunk: Buffer, _enc, cb) {
          bytes += chunk.length;
          hash.update(chunk);
          cb(null, chunk);
        },
      });
      written = pipeline(stream, meter, createWriteStream(file, { flags: 'wx', mode: 0o600 })).then(() => ({
        bytes,
        sha256: hash.digest('hex'),
      }));
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
    const done = written as Promise<{ bytes: number; sha256: string }> | null;
    if (!done) throw badRequest('multipart field "file" is missing');
    const { bytes, sha256 } = await done;
    return { path: file, bytes, sha256, ...meta, title };
  } catch (e) {
    body.destroy();
    parser.destroy();
    await (written as Promise<unknown> | null)?.catch(() => {});
    await rm(file, { force: true });
    if (e instanceof Error && refusals.has(e)) throw e;
    // a file system error (disk full, temp folder gone) is the server's failure, and names its path
    if (e instanceof Error && 'syscall' in e) throw e;
    throw badRequest(`upload failed: ${(e as Error).message}`);
  }
}
