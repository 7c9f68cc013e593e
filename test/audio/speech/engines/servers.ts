// Local stand-ins (127.0.0.1 only) for the cloud engines, answering as their documentation says,
// and the ways they go wrong: never answering, answering garbage, refusing the key.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeWav } from '../../../../audio/speech/engines/wav.ts';

export type Behaviour = 'ok' | 'hang' | 'garbage' | 'unauthorized';

export interface Heard {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A WAV file of `ms` of a quiet tone at 16 kHz, as a cloud engine might answer. */
export function toneWav(ms: number): Buffer {
  const rate = 16_000;
  const data = Buffer.alloc(Math.round((rate * ms) / 1000) * 2);
  for (let i = 0; i < data.length / 2; i++) data.writeInt16LE(Math.round(3000 * Math.sin(i / 5)), i * 2);
  return writeWav([{ format: { audioFormat: 1, channels: 1, sampleRate: rate, bitsPerSample: 16 }, data }]);
}

export interface LocalServer {
  url: string;
  heard: Heard[];
  close(): Promise<void>;
}

async function serve(handle: (req: Heard, res: ServerResponse, base: string) => void): Promise<LocalServer> {
  const heard: Heard[] = [];
  const open = new Set<ServerResponse>();
  let base = '';
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const h = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      heard.push(h);
      open.add(res);
      res.on('close', () => open.delete(res));
      handle(h, res, base);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    heard,
    close: () =>
      new Promise((r) => {
        for (const res of open) res.destroy();
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

const misbehave = (b: Behaviour, res: ServerResponse): boolean => {
  if (b === 'hang') return true; // never answers
  if (b === 'garbage') {
    res.writeHead(200, { 'content-type': 'text/html' }).end('<html>502 Bad Gateway</html>');
    return true;
  }
  if (b === 'unauthorized') {
    res.writeHead(401, { 'content-type': 'application/json' }).end('{"message":"invalid api key"}');
    return true;
  }
  return false;
};

/**
 * FPT.AI v5: POST /hmi/tts/v5 with the key in "api-key"/"api_key" and the text as the body answers
 * {async, error: 0, message, request_id}; the async link answers 404 `notReadyFor` times, then the WAV.
 */
export function fptServer(
  b: Behaviour,
  opts: { key?: string; notReadyFor?: number; speechMs?: number } = {},
) {
  let waits = opts.notReadyFor ?? 1;
  return serve((req, res, base) => {
    if (req.method === 'GET' && req.url.startsWith('/audio/')) {
      if (waits-- > 0) return void res.writeHead(404).end('<Error><Code>NoSuchKey</Code></Error>');
      return void res.writeHead(200, { 'content-type': 'audio/wav' }).end(toneWav(opts.speechMs ?? 1000));
    }
    if (misbehave(b, res)) return;
    if (req.headers['api-key'] !== (opts.key ?? 'fpt-key'))
      return void res
        .writeHead(200, { 'content-type': 'application/json' })
        .end('{"error":1,"message":"invalid api_key"}');
    res.writeHead(200, { 'content-type': 'application/json' }).end(
      JSON.stringify({
        async: `${base}/audio/${String(req.headers.voice)}.wav`,
        error: 0,
        message: 'The content will be returned after a few seconds under the async link.',
        request_id: 'r1',
      }),
    );
  });
}

/** Viettel AI: POST with header "token" and a JSON body answers the WAV (tts_return_option 2). */
export function viettelServer(b: Behaviour, opts: { token?: string; speechMs?: number } = {}) {
  return serve((req, res) => {
    if (misbehave(b, res)) return;
    if (req.headers.token !== (opts.token ?? 'vt-token'))
      return void res
        .writeHead(401, { 'content-type': 'application/json' })
        .end('{"code":401,"message":"token invalid"}');
    res.writeHead(200, { 'content-type': 'audio/wav' }).end(toneWav(opts.speechMs ?? 1000));
  });
}

/**
 * Zalo AI: a form POST with header "apikey" answers {error_code: 0, error_message, data: {url}} (a wrong
 * key: error_code 401 in the JSON; too long: 155); the url answers 404 `notReadyFor` times, then the WAV.
 */
export function zaloServer(
  b: Behaviour,
  opts: { key?: string; notReadyFor?: number; speechMs?: number } = {},
) {
  let waits = opts.notReadyFor ?? 0;
  const json = (res: ServerResponse, o: unknown) =>
    void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(o));
  return serve((req, res, base) => {
    if (req.method === 'GET' && req.url.startsWith('/chunk/')) {
      if (waits-- > 0) return void res.writeHead(404).end('not found');
      return void res.writeHead(200, { 'content-type': 'audio/wav' }).end(toneWav(opts.speechMs ?? 1000));
    }
    if (misbehave(b, res)) return;
    if (req.headers.apikey !== (opts.key ?? 'zalo-key'))
      return json(res, { error_code: 401, error_message: 'Wrong apikey', data: [] });
    const form = new URLSearchParams(req.body);
    if ((form.get('input') ?? '').length > 2000)
      return json(res, {
        error_code: 155,
        error_message: 'Your input exceeds the allowed limit of 2000 characters',
        data: [],
      });
    json(res, {
      error_code: 0,
      error_message: 'Successful.',
      data: { url: `${base}/chunk/${form.get('speaker_id')}` },
    });
  });
}
