// A CAP alert's remote audio (<resource><uri>), fetched to a temp file as an upload would arrive, for the
// normal clip pipeline (ffprobe, loudness, Opus). http(s) only, bounded in bytes and time.

import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { sha256File } from '../../../common/hash.ts';
import { type Received, sanitiseOriginalName } from '../../../common/upload.ts';
import { capRefusal } from './refusal.ts';

const AT = 'alert/info/resource/uri';

const decoded = (text: string) => {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
};

/** Fetches `uri` into `dir`; refused (400, the element named) when it cannot be had whole. */
export async function fetchAudio(
  resource: { uri: string; mimeType: string; resourceDesc: string },
  dir: string,
  opts: { maxBytes: number; timeoutMs: number },
): Promise<Received> {
  const url = URL.canParse(resource.uri) ? new URL(resource.uri) : null;
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:'))
    throw capRefusal(
      AT,
      `'${resource.uri}' is not an http(s) URL`,
      `'${resource.uri}' không phải địa chỉ http(s)`,
    );
  const failed = (why: string, vi: string) =>
    capRefusal(AT, `cannot fetch '${url.href}': ${why}`, `không tải được '${url.href}': ${vi}`);
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(opts.timeoutMs) });
  } catch (e) {
    throw failed(
      (e as Error).name === 'TimeoutError' ? 'no answer in time' : 'no connection',
      'không kết nối được',
    );
  }
  if (!res.ok || !res.body) throw failed(`it answered ${res.status}`, `máy chủ trả lời ${res.status}`);
  if (Number(res.headers.get('content-length') ?? 0) > opts.maxBytes)
    throw failed(`over ${opts.maxBytes} bytes`, `quá ${opts.maxBytes} byte`);
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `cap-${randomBytes(6).toString('hex')}`);
  let bytes = 0;
  const count = new Transform({
    transform(chunk: Buffer, _enc, done) {
      bytes += chunk.length;
      done(
        bytes > opts.maxBytes ? failed(`over ${opts.maxBytes} bytes`, `quá ${opts.maxBytes} byte`) : null,
        chunk,
      );
    },
  });
  try {
    await pipeline(Readable.fromWeb(res.body as never), count, createWriteStream(file));
  } catch (e) {
    await rm(file, { force: true });
    throw e instanceof Error && 'status' in e ? e : failed('the transfer broke off', 'truyền bị ngắt');
  }
  return {
    path: file,
    bytes,
    sha256: await sha256File(file),
    originalName: sanitiseOriginalName(decoded(url.pathname)),
    declaredType: resource.mimeType,
    title: resource.resourceDesc,
  };
}
