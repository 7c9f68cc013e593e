// Fetching a feed or a CAP document it links: a GET with the validators the server gave last time
// (If-None-Match, If-Modified-Since), bounded in time and bytes, read as UTF-8 text.
import { FeedError } from './read.ts';

export type Fetched =
  | { status: 'not-modified' }
  | { status: 'ok'; text: string; etag: string | null; lastModified: string | null };

export interface FetchLimits {
  timeoutMs: number;
  maxBytes: number;
}

/** Reads the body up to `maxBytes` (one byte over is enough to know it is too large). */
async function boundedText(res: Response, maxBytes: number): Promise<string | null> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.length;
    if (bytes > maxBytes) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** GETs `url`; a FeedError naming the URL when it cannot be had (no connection, an error status, too large). */
export async function fetchText(
  url: string,
  limits: FetchLimits,
  validators: { etag?: string | null; lastModified?: string | null } = {},
): Promise<Fetched> {
  const headers: Record<string, string> = {
    accept:
      'application/atom+xml, application/rss+xml, application/cap+xml, application/xml;q=0.9, */*;q=0.5',
  };
  if (validators.etag) headers['if-none-match'] = validators.etag;
  if (validators.lastModified) headers['if-modified-since'] = validators.lastModified;
  const failed = (why: string, vi: string, permanent = false) =>
    new FeedError(`cannot fetch ${url}: ${why}`, `không tải được ${url}: ${vi}`, permanent);
  let res: Response;
  try {
    res = await fetch(url, { headers, redirect: 'follow', signal: AbortSignal.timeout(limits.timeoutMs) });
  } catch (e) {
    const late = (e as Error).name === 'TimeoutError';
    throw failed(
      late ? 'no answer in time' : 'no connection',
      late ? 'quá thời gian chờ' : 'không kết nối được',
    );
  }
  if (res.status === 304) return { status: 'not-modified' };
  if (!res.ok) {
    await res.body?.cancel();
    throw failed(`it answered ${res.status}`, `máy chủ trả lời ${res.status}`);
  }
  let body: string | null;
  try {
    body = await boundedText(res, limits.maxBytes);
  } catch {
    throw failed('the transfer broke off', 'truyền bị ngắt');
  }
  if (body === null) throw failed(`over ${limits.maxBytes} bytes`, `quá ${limits.maxBytes} byte`, true);
  return {
    status: 'ok',
    text: body,
    etag: res.headers.get('etag'),
    lastModified: res.headers.get('last-modified'),
  };
}
