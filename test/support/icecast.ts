// A real icecast2 for tests: started on a free port in a temp dir with the controller's own config
// generator (burst 0, station authentication by URL when `authUrl` is given), and stopped whole.
import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync } from 'node:fs';
import { silentLogger } from '../../common/log.ts';
import { type StreamServer, startEmbeddedStreamServer } from '../../controller/stream/server.ts';
import { freePort } from './process.ts';
import { tempDir } from './temp.ts';

export interface TestIcecast {
  /** The stream server over this Icecast: listenUrl, sourceUrl, listeners. */
  server: StreamServer;
  port: number;
  /** http://127.0.0.1:port */
  origin: string;
  /** Its process id (for /proc: CPU and memory). */
  pid: number;
  /** Its folder (icecast.xml, secrets.json, log/). */
  dir: string;
  /** Stops it and removes its folder. */
  stop(): Promise<void>;
}

export interface TestIcecastOptions {
  /** The listener check Icecast calls on /relay/* and /live/* (with its token); default none: open mounts. */
  authUrl?: string | null;
  /** Simultaneous clients allowed (default 10,000). */
  clients?: number;
}

export async function startTestIcecast(o: TestIcecastOptions = {}): Promise<TestIcecast> {
  const tmp = tempDir('icecast');
  // as root, Icecast writes its logs as the icecast2 account, which must reach the folder
  chmodSync(tmp.dir, 0o755);
  const port = await freePort();
  let server: StreamServer;
  try {
    server = await startEmbeddedStreamServer({
      dataDir: tmp.dir,
      host: '127.0.0.1',
      port,
      authUrl: o.authUrl ?? null,
      clients: o.clients,
      log: silentLogger,
    });
  } catch (e) {
    tmp.cleanup();
    throw e;
  }
  return {
    server,
    port,
    origin: `http://127.0.0.1:${port}`,
    pid: server.process?.pid as number,
    dir: `${tmp.dir}/icecast`,
    stop: async () => {
      await server.close();
      tmp.cleanup();
    },
  };
}

/** ffmpeg pushing a tone as Ogg/Opus in 20 ms pages, the way a relay pull or a live session does. */
export function pushTone(sourceUrl: string, seconds = 30): ChildProcess {
  return spawn(
    'ffmpeg',
    [
      '-hide_banner',
      '-loglevel',
      'error',
      '-re',
      '-f',
      'lavfi',
      '-i',
      `sine=f=440:r=48000:d=${seconds}`,
      '-c:a',
      'libopus',
      '-b:a',
      '24k',
      '-f',
      'ogg',
      '-page_duration',
      '20000',
      '-content_type',
      'application/ogg',
      sourceUrl,
    ],
    { stdio: 'ignore' },
  );
}
