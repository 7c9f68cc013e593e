// One upstream pull per relay source: ffmpeg reads the upstream (Icecast/HTTP MP3, AAC, Ogg or HLS) once,
// re-encodes it to Ogg/Opus and pushes it to the relay's mount; started when a station asks for the mount,
// stopped when none has listened for a grace period, reconnected with back-off when the upstream drops.
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import type { Socket } from 'node:net';
import { type RetryBackoff, retryDelay } from '../../common/backoff.ts';
import type { Logger } from '../../common/log.ts';

/** Mono Opus at 32 kb/s: speech and music for horn loudspeakers, ~14 MB an hour on a station's 4G bill. */
export const PULL_BITRATE_KBPS = 32;
export const RELAY_PREFIX = '/relay/';

/** The stable mount a relay URL is served on: /relay/<first 16 hex of sha256(url)>.ogg. */
export function mountFor(url: string): string {
  return `${RELAY_PREFIX}${createHash('sha256').update(url).digest('hex').slice(0, 16)}.ogg`;
}

export type PullState = 'starting' | 'pulling' | 'retrying' | 'idle';

export interface PullStatus {
  mount: string;
  url: string;
  state: PullState;
  /** Listeners at the last look (Icecast's own count). */
  listeners: number;
  /** Times the upstream dropped (or failed) and ffmpeg was started again. */
  reconnects: number;
}

export interface RelayPulls {
  /** Remembers `url` and answers its mount (mountFor). */
  register(url: string): string;
  /**
   * A station asks for `mount` (Icecast's listener_add): the pull starts if it is not running, and this
   * resolves once the mount has a source, or after `waitMs` (the station then retries).
   */
  wanted(mount: string): Promise<void>;
  status(): PullStatus[];
  close(): Promise<void>;
}

export interface PullDeps {
  ffmpeg: string;
  log: Logger;
  /** Opens `mount` as a source (StreamServer.openSource): the pull writes ffmpeg's Ogg into it. */
  openSource(mount: string): Promise<Socket>;
  /** Listeners per mount with a source (StreamServer.listenerCounts). */
  listenerCounts(): Promise<Map<string, number>>;
  /** The relay URL of a mount not registered in this run (e.g. looked up in the slots); null: unknown. */
  resolve?(mount: string): string | null;
  /** A pull nobody listened to for this long stops (default 30 s). */
  graceMs?: number;
  /** How long `wanted` waits for the source (default 4 s, under Icecast's auth timeout). */
  waitMs?: number;
  backoff?: RetryBackoff;
  /** A run this long counts as a success: the next drop starts the back-off anew (default 10 s). */
  stableMs?: number;
}

interface Pull {
  url: string;
  state: PullState;
  child: ChildProcess | null;
  failures: number;
  reconnects: number;
  listeners: number;
  lastWanted: number;
  /** Called when the mount has its source again (stations waiting in `wanted`). */
  onUp: Array<() => void>;
  /** Stations waiting in `wanted` for the source: the pull is not stopped under them. */
  waiting: number;
  retryTimer: NodeJS.Timeout | null;
}

/** ffmpeg's arguments for one pull: reconnecting HTTP input, mono Opus in 20 ms pages, to `target` (pipe:1). */
export function pullArgs(url: string, target: string): string[] {
  return [
    ...['-hide_banner', '-loglevel', 'error', '-nostdin'],
    ...[
      '-reconnect',
      '1',
      '-reconnect_streamed',
      '1',
      '-reconnect_delay_max',
      '2',
      '-rw_timeout',
      '10000000',
    ],
    ...['-probesize', '32768', '-analyzeduration', '500000', '-i', url, '-vn', '-ac', '1', '-ar', '48000'],
    ...['-c:a', 'libopus', '-b:a', `${PULL_BITRATE_KBPS}k`, '-frame_duration', '20'],
    ...['-f', 'ogg', '-page_duration', '20000', '-content_type', 'application/ogg', target],
  ];
}

export function createRelayPulls(d: PullDeps): RelayPulls {
  const graceMs = d.graceMs ?? 30_000;
  const waitMs = d.waitMs ?? 4000;
  const backoff = d.backoff ?? { minMs: 500, maxMs: 4000 };
  const stableMs = d.stableMs ?? 10_000;
  const urls = new Map<string, string>();
  const pulls = new Map<string, Pull>();
  let closed = false;

  const up = (p: Pull) => {
    p.state = 'pulling';
    for (const f of p.onUp.splice(0)) f();
  };

  // ffmpeg writes Ogg to its stdout; the source connection opens at its first bytes (so the mount
  // appears only with audio in it) and the stream is piped on; either end closing ends both.
  const start = (mount: string, p: Pull) => {
    p.state = p.reconnects || p.failures ? 'retrying' : 'starting';
    let err = '';
    const child = spawn(d.ffmpeg, pullArgs(p.url, 'pipe:1'), { stdio: ['ignore', 'pipe', 'pipe'] });
    p.child = child;
    const began = Date.now();
    child.stderr?.on('data', (b: Buffer) => {
      err = (err + b.toString()).slice(-500);
    });
    child.once('error', (e) => {
      err = e.message;
    });
    let source: Socket | null = null;
    child.stdout?.once('data', (first: Buffer) => {
      child.stdout?.pause();
      d.openSource(mount).then(
        (socket) => {
          source = socket;
          if (p.child !== child) return socket.destroy();
          socket.write(first);
          child.stdout?.pipe(socket);
          socket.once('close', () => child.kill('SIGTERM'));
          socket.on('error', (e) => {
            err = `icecast: ${e.message}`;
          });
          up(p);
        },
        (e: Error) => {
          err = e.message;
          child.kill('SIGTERM');
        },
      );
    });
    child.once('exit', () => {
      (source as Socket | null)?.end();
      if (p.child !== child) return;
      p.child = null;
      if (closed || p.state === 'idle') return;
      if (Date.now() - began > stableMs) p.failures = 0;
      const wait = retryDelay(p.failures++, backoff);
      p.reconnects++;
      p.state = 'retrying';
      d.log.warn(
        `stream: the pull of ${p.url} stopped (${err.trim() || 'upstream ended'}); again in ${wait} ms`,
      );
      p.retryTimer = setTimeout(() => {
        p.retryTimer = null;
        if (!closed && p.state === 'retrying') start(mount, p);
      }, wait);
    });
  };

  const stop = (p: Pull) => {
    p.state = 'idle';
    if (p.retryTimer) clearTimeout(p.retryTimer);
    p.retryTimer = null;
    const child = p.child;
    p.child = null;
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    return child;
  };

  // Every few seconds: Icecast's counts, a pull that is up marked so, and one nobody wants stopped.
  const sweep = async () => {
    // nothing pulled: nothing to ask Icecast
    if (![...pulls.values()].some((p) => p.state !== 'idle')) return;
    const counts = await d.listenerCounts().catch(() => null);
    if (!counts) return;
    for (const [mount, p] of pulls) {
      if (p.state === 'idle') continue;
      p.listeners = counts.get(mount) ?? 0;
      if (p.listeners === 0 && p.waiting === 0 && Date.now() - p.lastWanted > graceMs) {
        d.log.info(`stream: nobody listens to ${mount} any more; the pull of ${p.url} stops`);
        stop(p);
      }
    }
  };
  const sweeper = setInterval(() => void sweep(), Math.min(5000, Math.max(250, graceMs / 2)));
  sweeper.unref();

  return {
    register(url) {
      const mount = mountFor(url);
      urls.set(mount, url);
      return mount;
    },
    async wanted(mount) {
      if (closed || !mount.startsWith(RELAY_PREFIX)) return;
      const url = urls.get(mount) ?? d.resolve?.(mount) ?? null;
      if (!url) return;
      let p = pulls.get(mount);
      if (!p) {
        p = {
          url,
          state: 'idle',
          child: null,
          failures: 0,
          reconnects: 0,
          listeners: 0,
          lastWanted: 0,
          waiting: 0,
          onUp: [],
          retryTimer: null,
        };
        pulls.set(mount, p);
      }
      p.lastWanted = Date.now();
      // already serving: the station joins at once
      if (p.state === 'pulling') return;
      if (p.state === 'idle') start(mount, p);
      const pull = p;
      pull.waiting++;
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(() => {
          pull.onUp.splice(pull.onUp.indexOf(done), 1);
          resolve();
        }, waitMs);
        pull.onUp.push(done);
      });
      pull.waiting--;
      pull.lastWanted = Date.now();
    },
    status: () =>
      [...pulls].map(([mount, p]) => ({
        mount,
        url: p.url,
        state: p.state,
        listeners: p.listeners,
        reconnects: p.reconnects,
      })),
    async close() {
      closed = true;
      clearInterval(sweeper);
      const children = [...pulls.values()].map(stop).filter((c): c is ChildProcess => !!c);
      await Promise.all(
        children.map(
          (c) =>
            new Promise<void>((resolve) => {
              if (c.exitCode !== null || c.signalCode !== null) return resolve();
              const t = setTimeout(() => c.kill('SIGKILL'), 3000);
              c.once('exit', () => {
                clearTimeout(t);
                resolve();
              });
            }),
        ),
      );
    },
  };
}
