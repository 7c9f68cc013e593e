// The stream server wired as the controller wires it, for tests: a controller (API-only), its stream
// routes served on a free port for Icecast to call, a real icecast2, and an upstream HTTP server that
// streams a generated MP3 tone and counts its connections.
import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { createLogger, silentLogger } from '../../../common/log.ts';
import type { ControllerDeps } from '../../../controller/deps.ts';
import { HttpError } from '../../../controller/http/errors.ts';
import { mountRoutes } from '../../../controller/http/mount.ts';
import { streamRoutes } from '../../../controller/stream/routes.ts';
import { type StreamService, startStreamService } from '../../../controller/stream/service.ts';
import { makeController, type TestController } from '../../support/controller.ts';
import { freePort } from '../../support/process.ts';

export interface StreamHarness {
  ctl: TestController;
  stream: StreamService;
  /** The stream routes' own server (http://127.0.0.1:port), the one Icecast calls. */
  api: string;
  /** Registers a station and answers its secret. */
  station(id: string): Promise<string>;
  /** GET on a mount as `user`:`pass` (none: no credentials); the response, its body not read yet. */
  listen(mount: string, user?: string, pass?: string): Promise<Response>;
  close(): Promise<void>;
}

export async function startStreamHarness(o: { graceMs?: number } = {}): Promise<StreamHarness> {
  // stations are registered through the API, thousands at a time in the benchmark
  const ctl = await makeController(undefined, { API_RATE_PER_SEC: '100000' });
  chmodSync(ctl.dataDir, 0o755);
  // STREAM_DEBUG=1 shows the stream server's log lines
  const log = process.env.STREAM_DEBUG
    ? createLogger('stream', { now: () => new Date() }, 'text')
    : silentLogger;
  const deps = { db: ctl.db, clock: { now: () => new Date() }, log } as ControllerDeps;
  const app = new Hono();
  mountRoutes(app, streamRoutes(deps), ctl.db, () => new Date());
  app.onError((e, c) =>
    e instanceof HttpError ? c.json({ error: e.code }, e.status) : c.json({ error: 'internal' }, 500),
  );
  const apiPort = await freePort();
  const http = serve({ fetch: app.fetch, port: apiPort, hostname: '127.0.0.1' });
  const stream = await startStreamService({
    settings: { kind: 'embedded', host: '127.0.0.1', port: await freePort(), publicUrl: null },
    dataDir: ctl.dataDir,
    controllerUrl: `http://127.0.0.1:${apiPort}`,
    ffmpeg: 'ffmpeg',
    log,
    graceMs: o.graceMs,
  });
  if (!stream) throw new Error('the stream server did not start');
  deps.stream = stream;
  return {
    ctl,
    stream,
    api: `http://127.0.0.1:${apiPort}`,
    station: async (id) => {
      const r = await ctl.call('POST', '/api/stations', { id, name: id, district: 'd1', ward: `w-${id}` });
      if (r.status !== 201) throw new Error(JSON.stringify(r.body));
      return r.body.secret as string;
    },
    listen: (mount, user, pass) =>
      fetch(stream.server.listenUrl(mount), {
        headers:
          user === undefined
            ? {}
            : { authorization: `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}` },
        signal: AbortSignal.timeout(15_000),
      }),
    close: async () => {
      await stream.close();
      await new Promise((r) => http.close(r));
      ctl.cleanup();
    },
  };
}

/** An upstream radio: each connection gets a live MP3 tone from its own ffmpeg; drop() cuts them all. */
export async function startUpstream(): Promise<{
  url: string;
  connections(): number;
  drop(): void;
  close(): Promise<void>;
}> {
  let connections = 0;
  const open = new Set<{ res: ServerResponse; ff: ChildProcess }>();
  const server: Server = createServer((_req, res) => {
    connections++;
    res.writeHead(200, { 'content-type': 'audio/mpeg' });
    const ff = spawn(
      'ffmpeg',
      [
        '-hide_banner',
        '-loglevel',
        'error',
        '-re',
        '-f',
        'lavfi',
        '-i',
        'sine=f=440:r=44100',
        '-c:a',
        'libmp3lame',
        '-b:a',
        '64k',
        '-f',
        'mp3',
        '-',
      ],
      { stdio: ['ignore', 'pipe', 'ignore'] },
    );
    const one = { res, ff };
    open.add(one);
    ff.stdout?.pipe(res);
    res.on('close', () => {
      ff.kill('SIGKILL');
      open.delete(one);
    });
  });
  const port = await freePort();
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  const drop = () => {
    for (const { res, ff } of open) {
      ff.kill('SIGKILL');
      res.destroy();
    }
  };
  return {
    url: `http://127.0.0.1:${port}/vov1.mp3`,
    connections: () => connections,
    drop,
    close: async () => {
      drop();
      await new Promise((r) => server.close(r));
    },
  };
}
