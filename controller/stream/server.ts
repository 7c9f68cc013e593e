// The stream server every other part uses: where an agent listens to a mount, where a source (ffmpeg)
// pushes to it, and how many listen. Either the embedded Icecast or an existing one named by ICECAST_URL.
import type { Socket } from 'node:net';
import path from 'node:path';
import type { Logger } from '../../common/log.ts';
import { type IcecastProcess, startIcecastProcess } from './icecast-process.ts';
import { icecastPasswords } from './secrets.ts';
import { openSource } from './source.ts';

export interface StreamServer {
  /** What an agent connects to, without credentials (it adds its own station id and secret). */
  listenUrl(mount: string): string;
  /**
   * Opens `mount` as a source (HTTP PUT): write the stream (Ogg/Opus by default) to the socket; end it
   * to end the mount. The password stays in this process.
   */
  openSource(mount: string, contentType?: string): Promise<Socket>;
  /**
   * icecast://source:password@host:port/mount, for ffmpeg's icecast protocol; the password then shows in
   * `ps` to local users: prefer openSource with ffmpeg writing to a pipe.
   */
  sourceUrl(mount: string): string;
  /** Listeners on every mount with a source now (one request to Icecast's admin statistics). */
  listenerCounts(): Promise<Map<string, number>>;
  /** Listeners on `mount` now (0 when it has no source). */
  listeners(mount: string): Promise<number>;
  /** The embedded process, or null with an external server. */
  readonly process: IcecastProcess | null;
  close(): Promise<void>;
}

export interface EmbeddedOptions {
  /** DATA_DIR: its files go to DATA_DIR/icecast. */
  dataDir: string;
  host: string;
  port: number;
  /** The base URL stations reach it at (default: http://host:port). */
  publicUrl?: string;
  /** The controller's listener check, with its token; null leaves mounts open (tests of the process). */
  authUrl: string | null;
  clients?: number;
  log: Logger;
  binary?: string;
}

const local = (host: string) => (host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host);
const checkMount = (mount: string) => {
  if (!/^\/[A-Za-z0-9._/-]+$/.test(mount) || mount.includes('..'))
    throw new Error(`not a mount name: ${JSON.stringify(mount)}`);
  return mount;
};

/** Listeners per mount from Icecast's /admin/stats XML. */
export function parseListenerCounts(xml: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const m of xml.matchAll(/<source mount="([^"]+)">([\s\S]*?)<\/source>/g)) {
    const n = /<listeners>(\d+)<\/listeners>/.exec(m[2] ?? '');
    counts.set(m[1] as string, n ? Number(n[1]) : 0);
  }
  return counts;
}

function streamServer(
  base: { listen: string; admin: URL; source: URL },
  adminAuth: string,
  process: IcecastProcess | null,
): StreamServer {
  const listenerCounts = async () => {
    const res = await fetch(new URL('/admin/stats', base.admin), {
      headers: { authorization: `Basic ${Buffer.from(adminAuth).toString('base64')}` },
      signal: AbortSignal.timeout(3000),
    });
    if (!res.ok) throw new Error(`icecast /admin/stats answered ${res.status}`);
    return parseListenerCounts(await res.text());
  };
  const login = {
    host: base.source.hostname,
    port: Number(base.source.port || 80),
    user: decodeURIComponent(base.source.username),
    password: decodeURIComponent(base.source.password),
  };
  return {
    openSource: (mount, contentType) => openSource(login, checkMount(mount), contentType),
    listenUrl: (mount) => `${base.listen.replace(/\/$/, '')}${checkMount(mount)}`,
    sourceUrl: (mount) =>
      `icecast://${base.source.username}:${base.source.password}@${base.source.host}${checkMount(mount)}`,
    listenerCounts,
    listeners: async (mount) => (await listenerCounts()).get(mount) ?? 0,
    process,
    close: async () => {
      await process?.stop();
    },
  };
}

/** Starts the embedded Icecast (files in DATA_DIR/icecast) and answers once it serves. */
export async function startEmbeddedStreamServer(o: EmbeddedOptions): Promise<StreamServer> {
  const dir = path.join(o.dataDir, 'icecast');
  const passwords = icecastPasswords(dir);
  const process = await startIcecastProcess({
    dir,
    host: o.host,
    port: o.port,
    sourcePassword: passwords.source,
    adminPassword: passwords.admin,
    authUrl: o.authUrl,
    clients: o.clients,
    log: o.log,
    binary: o.binary,
  });
  const origin = `http://${local(o.host)}:${o.port}`;
  const source = new URL(origin);
  source.username = 'source';
  source.password = passwords.source;
  return streamServer(
    { listen: o.publicUrl ?? origin, admin: new URL(origin), source },
    `admin:${passwords.admin}`,
    process,
  );
}

/**
 * An existing Icecast (ICECAST_URL, http://user:password@host:port): sources push with those credentials,
 * and the listener counts need them to be admin ones (else they read as unknown).
 */
export function externalStreamServer(url: string, publicUrl?: string): StreamServer {
  const u = new URL(url);
  const source = new URL(u.origin);
  source.username = u.username || 'source';
  source.password = u.password;
  return streamServer(
    { listen: publicUrl ?? u.origin, admin: new URL(u.origin), source },
    `${decodeURIComponent(u.username || 'admin')}:${decodeURIComponent(u.password)}`,
    null,
  );
}
