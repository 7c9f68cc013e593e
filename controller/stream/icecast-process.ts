// The embedded Icecast 2.4 process: its files, `icecast2 -c icecast.xml`, ready when /status-json.xsl
// answers, restarted with back-off when it dies, and stopped (SIGTERM, then SIGKILL) with the controller.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import {
  accessSync,
  chownSync,
  constants,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { retryDelay } from '../../common/backoff.ts';
import type { Logger } from '../../common/log.ts';
import { type IcecastSettings, icecastXml } from './icecast-xml.ts';

export const INSTALL_HINT = 'sudo apt-get install icecast2';
/** Debian's account for the daemon: Icecast refuses to run as root and changes to it. */
const DEBIAN_RUN_AS = { user: 'icecast2', group: 'icecast' };
const RESTART = { minMs: 500, maxMs: 30_000 };
/** Up this long, a restarted Icecast counts as healthy again: the next death starts the back-off anew. */
const STABLE_MS = 60_000;

export interface IcecastProcessOptions extends Omit<IcecastSettings, 'logDir' | 'runAs'> {
  /** Its folder: icecast.xml, and log/ (logs and pidfile). */
  dir: string;
  log: Logger;
  binary?: string;
  readyTimeoutMs?: number;
  stopTimeoutMs?: number;
}

export interface IcecastProcess {
  readonly pid: number | undefined;
  /** Whether it is up and answering now (false while it restarts). */
  readonly running: boolean;
  /** Times it died and was started again. */
  readonly restarts: number;
  stop(): Promise<void>;
}

/** icecast2's path, or null: on PATH, or in Debian's /usr/bin and /usr/sbin. */
export function locateIcecast(env: NodeJS.ProcessEnv = process.env): string | null {
  const dirs = [...(env.PATH ?? '').split(path.delimiter), '/usr/bin', '/usr/sbin'].filter(Boolean);
  for (const dir of dirs) {
    try {
      accessSync(path.join(dir, 'icecast2'), constants.X_OK);
      return path.join(dir, 'icecast2');
    } catch {}
  }
  return null;
}

const idOf = (kind: 'u' | 'g', name: string): number | null => {
  try {
    return Number(execFileSync('id', [`-${kind}`, name], { stdio: ['ignore', 'pipe', 'ignore'] }).toString());
  } catch {
    return null;
  }
};

/** Whether every folder above `dir` lets others through (the daemon's account is an "other"). */
const reachableByOthers = (dir: string): boolean => {
  for (let d = path.dirname(dir); ; d = path.dirname(d)) {
    if ((statSync(d).mode & 0o001) === 0) return false;
    if (d === path.dirname(d)) return true;
  }
};

/**
 * Where logs and the pidfile go. As root, Icecast writes them after changing to its own account, so that
 * account must own the folder and reach it; under a private parent (a 0700 temp dir) a folder of its own
 * in the system's temp dir is used instead.
 */
function prepareLogDir(dir: string, runAs: { uid: number; gid: number } | null, log: Logger): string {
  let logDir = path.join(dir, 'log');
  mkdirSync(logDir, { recursive: true });
  if (!runAs) return logDir;
  if (!reachableByOthers(logDir)) {
    logDir = mkdtempSync(path.join(tmpdir(), 'loa-icecast-log-'));
    log.warn(`icecast: ${dir} is not reachable by the icecast2 account; its logs go to ${logDir}`);
  }
  chownSync(logDir, runAs.uid, runAs.gid);
  return logDir;
}

/** A previous run's Icecast still holding the port (the controller was killed): stopped by its pidfile. */
function stopStale(pidfile: string, log: Logger): void {
  if (!existsSync(pidfile)) return;
  const pid = Number(readFileSync(pidfile, 'utf8').trim());
  if (!Number.isInteger(pid) || pid <= 1) return;
  try {
    if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() !== 'icecast2') return;
    process.kill(pid, 'SIGKILL');
    log.warn(`icecast: stopped a stale icecast2 (pid ${pid}) left by an earlier run`);
  } catch {}
}

const statusUrl = (host: string, port: number) =>
  `http://${host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host}:${port}/status-json.xsl`;

const portTaken = (host: string, port: number) =>
  new Promise<boolean>((resolve) => {
    const s = connect(port, host, () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });

async function answers(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
    await res.body?.cancel();
    return res.ok;
  } catch {
    return false;
  }
}

/** Writes its files and starts it; resolves when it answers, rejects (with its last output) if it cannot. */
export async function startIcecastProcess(o: IcecastProcessOptions): Promise<IcecastProcess> {
  const binary = o.binary ?? locateIcecast();
  if (!binary) throw new Error(`icecast2 is not installed (${INSTALL_HINT})`);
  const root = process.getuid?.() === 0;
  let runAs: { uid: number; gid: number } | null = null;
  if (root) {
    const uid = idOf('u', DEBIAN_RUN_AS.user);
    const gid = idOf('g', DEBIAN_RUN_AS.user);
    if (uid === null || gid === null)
      throw new Error(
        `icecast2 refuses to run as root and there is no "${DEBIAN_RUN_AS.user}" account (${INSTALL_HINT})`,
      );
    runAs = { uid, gid };
  }
  mkdirSync(o.dir, { recursive: true });
  const logDir = prepareLogDir(o.dir, runAs, o.log);
  const pidfile = path.join(logDir, 'icecast.pid');
  stopStale(pidfile, o.log);
  const configFile = path.join(o.dir, 'icecast.xml');
  const settings = { ...o, logDir, runAs: root ? DEBIAN_RUN_AS : null };
  // read by icecast2 as root, before it changes account: the passwords stay 0600
  writeFileSync(configFile, icecastXml(settings), { mode: 0o600 });

  const url = statusUrl(o.host, o.port);
  // something else answering there would pass for our Icecast while ours fails to bind
  if (await portTaken(new URL(url).hostname, o.port))
    throw new Error(`port ${o.port} is already in use by another program (ICECAST_PORT)`);
  const readyMs = o.readyTimeoutMs ?? 10_000;
  let child: ChildProcess | null = null;
  let output = '';
  let running = false;
  let stopping = false;
  let restarts = 0;
  let failures = 0;
  let restartTimer: NodeJS.Timeout | null = null;

  const spawnOnce = async (): Promise<void> => {
    output = '';
    const c = spawn(binary, ['-c', configFile], { stdio: ['ignore', 'pipe', 'pipe'] });
    child = c;
    const keep = (d: Buffer) => {
      output = (output + d.toString()).slice(-4000);
    };
    c.stdout?.on('data', keep);
    c.stderr?.on('data', keep);
    c.once('error', (e) => keep(Buffer.from(`${e.message}\n`)));
    const startedAt = Date.now();
    const exited = new Promise<void>((resolve) => c.once('exit', () => resolve()));
    c.once('exit', (code, signal) => {
      running = false;
      if (stopping || child !== c) return;
      if (Date.now() - startedAt > STABLE_MS) failures = 0;
      const wait = retryDelay(failures++, RESTART);
      o.log.warn(
        `icecast: icecast2 exited (${signal ?? `code ${code}`}); starting it again in ${wait} ms ${output.trim().slice(-300)}`,
      );
      restartTimer = setTimeout(() => {
        restartTimer = null;
        restarts++;
        spawnOnce().catch((e) => o.log.error(`icecast: ${(e as Error).message}`));
      }, wait);
    });
    const deadline = Date.now() + readyMs;
    let gone = false;
    void exited.then(() => {
      gone = true;
    });
    while (!gone && !stopping && Date.now() < deadline) {
      if (await answers(url)) {
        running = true;
        return;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    if (stopping) return;
    throw new Error(
      `icecast2 did not answer at ${url}${gone ? ' (it exited)' : ` within ${readyMs} ms`}: ${output.trim().slice(-500)}`,
    );
  };

  const stop = async () => {
    stopping = true;
    if (restartTimer) clearTimeout(restartTimer);
    const c = child as ChildProcess | null;
    if (c && c.exitCode === null && c.signalCode === null) {
      const exit = new Promise<void>((resolve) => c.once('exit', () => resolve()));
      c.kill('SIGTERM');
      const timer = setTimeout(() => c.kill('SIGKILL'), o.stopTimeoutMs ?? 5000);
      await exit;
      clearTimeout(timer);
    }
    running = false;
    if (!logDir.startsWith(o.dir)) rmSync(logDir, { recursive: true, force: true });
  };

  try {
    await spawnOnce();
  } catch (e) {
    await stop();
    throw e;
  }
  return {
    get pid() {
      return (child as ChildProcess | null)?.pid;
    },
    get running() {
      return running;
    },
    get restarts() {
      return restarts;
    },
    stop,
  };
}
