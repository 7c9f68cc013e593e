// A stand-in for an Icecast mount, for relay tests and the relay benchmark: a Node HTTP server that streams a
// tone (or silence) encoded by a real ffmpeg in real time (`-re`), MP3 or Ogg/Opus with Icecast's content
// types; it can drop every listener, refuse (503, 404, or no listening socket at all, as a server restarting),
// hang before its headers, or answer with a web page or a picture.
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { paths } from '../fixtures.ts';

export type UpstreamMode = 'audio' | 'silence' | '503' | '404' | 'hang' | 'html' | 'png';

export interface Upstream {
  url: string;
  /** Requests answered with a stream (the first included). */
  readonly streams: number;
  /** Authorization headers seen, in order. */
  readonly auth: (string | undefined)[];
  mode: UpstreamMode;
  /** Ends every stream now (listeners see the connection close). */
  dropAll(): void;
  /** Stops listening (connections refused) until resume(); ends every stream. */
  goAway(): Promise<void>;
  resume(): Promise<void>;
  close(): Promise<void>;
}

export interface UpstreamOptions {
  format?: 'mp3' | 'ogg';
  frequency?: number;
  mode?: UpstreamMode;
  /** Basic credentials required (401 without). */
  requireAuth?: string;
}

const CODEC = {
  mp3: { args: ['-c:a', 'libmp3lame', '-b:a', '64k', '-f', 'mp3'], type: 'audio/mpeg' },
  ogg: {
    args: ['-c:a', 'libopus', '-b:a', '48k', '-page_duration', '100000', '-f', 'ogg'],
    type: 'audio/ogg',
  },
} as const;

export async function startUpstream(o: UpstreamOptions = {}): Promise<Upstream> {
  const codec = CODEC[o.format ?? 'mp3'];
  const encoders = new Set<ChildProcess>();
  const sockets = new Set<Socket>();
  const auth: (string | undefined)[] = [];
  let streams = 0;
  let port = 0;
  const state = { mode: o.mode ?? 'audio' } as { mode: UpstreamMode };
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    auth.push(req.headers.authorization);
    if (
      o.requireAuth &&
      req.headers.authorization !== `Basic ${Buffer.from(o.requireAuth).toString('base64')}`
    ) {
      res.writeHead(401, { 'www-authenticate': 'Basic realm="Icecast2 Server"' }).end();
      return;
    }
    const mode = state.mode;
    if (mode === 'hang') {
      res.socket?.write('HTTP/1.0 200 OK\r\nContent-Type: audio/mpeg\r\n'); // never the blank line
      return;
    }
    if (mode === '503' || mode === '404') return void res.writeHead(Number(mode)).end();
    if (mode === 'html') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      return void res.end('<!doctype html><title>Trang không tồn tại</title><p>Xin lỗi</p>');
    }
    if (mode === 'png') {
      // a picture the server calls audio: only the decoder can tell
      res.writeHead(200, { 'content-type': 'audio/mpeg' });
      return void res.end(Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.alloc(20_000, 7)]));
    }
    streams++;
    const source =
      mode === 'silence' ? 'anullsrc=r=48000:cl=mono' : `sine=frequency=${o.frequency ?? 440}:r=48000`;
    const enc = spawn(
      paths.ffmpeg,
      [
        '-hide_banner',
        '-nostdin',
        '-v',
        'error',
        '-re',
        '-f',
        'lavfi',
        '-i',
        source,
        '-ac',
        '1',
        ...codec.args,
        'pipe:1',
      ],
      { stdio: ['ignore', 'pipe', 'ignore'] },
    );
    encoders.add(enc);
    enc.once('close', () => encoders.delete(enc));
    res.writeHead(200, { 'content-type': codec.type, 'icy-name': 'test', 'cache-control': 'no-cache' });
    enc.stdout?.pipe(res);
    res.once('close', () => enc.kill('SIGKILL'));
  };
  const server = createServer(handle);
  server.on('connection', (s) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  const listen = () => new Promise<void>((r) => server.listen(port, '127.0.0.1', () => r()));
  await listen();
  port = (server.address() as AddressInfo).port;
  const dropAll = () => {
    for (const s of sockets) s.destroy();
    for (const e of encoders) e.kill('SIGKILL');
  };
  const stop = () =>
    new Promise<void>((r) => {
      server.close(() => r());
      dropAll();
    });
  return {
    url: `http://127.0.0.1:${port}/vov1.${o.format ?? 'mp3'}`,
    get streams() {
      return streams;
    },
    auth,
    get mode() {
      return state.mode;
    },
    set mode(m) {
      state.mode = m;
    },
    dropAll,
    goAway: stop,
    resume: listen,
    close: stop,
  };
}
