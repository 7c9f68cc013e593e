// One connection to a relay's upstream, made by this process (never by ffmpeg): the station's credentials
// travel in an Authorization header from memory, never on a command line that `ps` shows; the status, the
// content type, a server that never ends its headers and a stream that stalls are all seen here.
import { type ClientRequest, request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { PassThrough, type Readable } from 'node:stream';

export interface StreamCredentials {
  user: string;
  password: string;
}

/** Why a connection did not bring a stream: retried until the relay's limits, except `not-audio` and `refused-url`. */
export type ConnectFailure =
  | 'refused'
  | 'no-headers'
  | 'http-status'
  | 'not-audio'
  | 'refused-url'
  | 'aborted';

export type Connection =
  | { ok: true; body: Readable; demuxer: string | null; contentType: string; url: string; close(): void }
  | { ok: false; failure: ConnectFailure; detail: string };

export interface ConnectOptions {
  credentials?: StreamCredentials | undefined;
  /** The response's headers must be complete within this. */
  headersMs: number;
  /** No byte for this long: the stream is dropped (a dead link that never closed). */
  stallMs: number;
  signal: AbortSignal;
}

/** The refusal for a relay URL, or null: http(s) only, with a host; checked before anything is opened. */
export function streamUrlProblem(url: string): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return 'not a URL';
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    return `${u.protocol.replace(':', '')} URLs are not played`;
  return u.hostname ? null : 'the URL names no host';
}

/** The demuxer for a stream's content type (null: let ffmpeg probe); text and images are not audio. */
export function demuxerFor(contentType: string): string | null | 'not-audio' {
  const type = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  if (/^(text|image|video)\//.test(type) || type === 'application/json') return 'not-audio';
  if (type === 'audio/mpeg' || type === 'audio/mp3') return 'mp3';
  if (type === 'audio/ogg' || type === 'application/ogg' || type === 'audio/opus') return 'ogg';
  if (type === 'audio/aac' || type === 'audio/aacp') return 'aac';
  if (type === 'audio/webm') return 'matroska';
  if (/^(application|audio)\/(vnd\.apple\.|x-)?mpegurl$/.test(type)) return 'hls';
  return null;
}

const MAX_REDIRECTS = 3;

/** Opens the stream at `url`, following a few redirects (credentials only to the same origin). */
export async function connectStream(url: string, o: ConnectOptions): Promise<Connection> {
  let target = new URL(url);
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    const sameOrigin = target.origin === new URL(url).origin;
    const res = await get(target, sameOrigin ? o.credentials : undefined, o);
    if ('ok' in res) return res;
    const status = res.statusCode ?? 0;
    const location = res.headers.location;
    if (status >= 300 && status < 400 && location) {
      res.destroy();
      target = new URL(location, target);
      if (streamUrlProblem(target.href))
        return fail('http-status', `redirected to a URL that is not http(s)`);
      continue;
    }
    if (status !== 200) {
      res.destroy();
      return fail('http-status', `HTTP ${status}${res.statusMessage ? ` ${res.statusMessage}` : ''}`);
    }
    const contentType = String(res.headers['content-type'] ?? '');
    const demuxer = demuxerFor(contentType);
    if (demuxer === 'not-audio') {
      res.destroy();
      return fail('not-audio', `the server sent ${contentType || 'something'}, not audio`);
    }
    return { ok: true, contentType, demuxer, url: target.href, ...watch(res, o), close: () => res.destroy() };
  }
  return fail('http-status', `more than ${MAX_REDIRECTS} redirects`);
}

const fail = (failure: ConnectFailure, detail: string): Connection => ({ ok: false, failure, detail });

function get(
  url: URL,
  credentials: StreamCredentials | undefined,
  o: ConnectOptions,
): Promise<IncomingMessage | Extract<Connection, { ok: false }>> {
  return new Promise((resolve) => {
    if (o.signal.aborted) return resolve(fail('aborted', 'aborted') as Extract<Connection, { ok: false }>);
    const headers: Record<string, string> = { 'user-agent': 'loa-phuong-agent', 'icy-metadata': '0' };
    if (credentials) {
      const token = Buffer.from(`${credentials.user}:${credentials.password}`).toString('base64');
      headers.authorization = `Basic ${token}`;
    }
    const req: ClientRequest = (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, { headers });
    let settled = false;
    const settle = (v: IncomingMessage | Connection) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      o.signal.removeEventListener('abort', onAbort);
      resolve(v as IncomingMessage | Extract<Connection, { ok: false }>);
    };
    const timer = setTimeout(() => {
      settle(fail('no-headers', `no complete answer within ${o.headersMs / 1000} s`));
      req.destroy();
    }, o.headersMs);
    const onAbort = () => {
      settle(fail('aborted', 'aborted'));
      req.destroy();
    };
    o.signal.addEventListener('abort', onAbort, { once: true });
    req.on('response', (res) => settle(res));
    req.on('error', (err: NodeJS.ErrnoException) => settle(fail('refused', err.code ?? err.message)));
    req.end();
  });
}

/** The body as a stream that ends (never errors) when the upstream closes, fails or stalls. */
function watch(res: IncomingMessage, o: ConnectOptions): { body: Readable } {
  const body = new PassThrough();
  let stall: NodeJS.Timeout | undefined;
  const end = () => {
    clearTimeout(stall);
    o.signal.removeEventListener('abort', end);
    // data already read may still be flowing to the body: unpiped first, or it would be written after its end
    res.unpipe(body);
    if (!body.writableEnded) body.end();
    res.destroy();
  };
  const arm = () => {
    clearTimeout(stall);
    // a stream held back by its reader (a player waiting for its release) is not stalled
    stall = setTimeout(() => (body.writableNeedDrain || res.isPaused() ? arm() : end()), o.stallMs);
  };
  arm();
  res.on('data', arm);
  res.on('end', end);
  res.on('error', end);
  res.on('close', end);
  o.signal.addEventListener('abort', end, { once: true });
  res.pipe(body, { end: false });
  return { body };
}
