// Debian's mosquitto for tests and benchmarks: the generated password, ACL and config files in a temp dir,
// on a free (or given) port, reloaded with SIGHUP, restarted under its clients.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import path from 'node:path';
import { sleep } from '../../../common/sleep.ts';
import type { MosquittoFiles } from '../../../controller/mqtt/broker-files.ts';
import { freePort, type Proc, portAccepts, spawnCollecting } from '../process.ts';
import { tempDir } from '../temp.ts';
import { waitFor } from '../wait.ts';

/** The broker's path, or null. Debian puts it in /usr/sbin, which a non-root PATH often lacks. */
export function findMosquitto(): string | null {
  for (const bin of ['mosquitto', '/usr/sbin/mosquitto']) {
    const r = spawnSync(bin, ['-h'], { encoding: 'utf8' });
    if (!r.error && /mosquitto version/.test(`${r.stdout}${r.stderr}`)) return bin;
  }
  return null;
}

export interface MosquittoOptions {
  /** A fixed port (a benchmark restarts the broker under its clients on it); a free one by default. */
  port?: number;
  /** `all` (the default) keeps every line for assertions; `error` where ten thousand clients would log too much. */
  logType?: 'all' | 'error';
  /** More lines for mosquitto.conf. */
  extra?: string[];
  /** How long a (re)start may take to accept connections (default 10 s; longer under ten thousand clients). */
  startMs?: number;
}

export interface Mosquitto {
  port: number;
  url: string;
  pid(): number | undefined;
  /** Everything the broker logged, for assertions and failure messages. */
  output(): string;
  /** Rewrites the password and ACL files. */
  write(files: MosquittoFiles): void;
  /** SIGHUP, then waits until the broker has re-read its files. */
  reload(): Promise<void>;
  /** SIGTERM (every connection drops; retained messages go with `persistence false`), `downMs`, start again. */
  restart(downMs: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startMosquitto(
  bin: string,
  files: MosquittoFiles,
  opts: MosquittoOptions = {},
): Promise<Mosquitto> {
  const tmp = tempDir('mosquitto');
  const port = opts.port ?? (await freePort());
  const write = (f: MosquittoFiles) => {
    writeFileSync(path.join(tmp.dir, 'passwd'), f.passwd, { mode: 0o600 });
    writeFileSync(path.join(tmp.dir, 'acl'), f.acl);
  };
  write(files);
  // Run as root, mosquitto drops to user `mosquitto`, which cannot read a private temp dir; as
  // anyone else `user` is ignored.
  const conf = [
    `${files.conf({ port, dir: tmp.dir })}user ${userInfo().username}`,
    'log_dest stderr',
    `log_type ${opts.logType ?? 'all'}`,
    ...(opts.extra ?? []),
  ];
  writeFileSync(path.join(tmp.dir, 'mosquitto.conf'), `${conf.join('\n')}\n`);
  let proc: Proc | null = null;
  let earlier = '';
  const output = () => earlier + (proc?.output() ?? '');
  const start = async () => {
    if (proc) earlier = output();
    const p = spawnCollecting(bin, ['-c', path.join(tmp.dir, 'mosquitto.conf')]);
    proc = p;
    const alive = () => p.child.exitCode === null && p.child.signalCode === null;
    // Until it accepts connections; at once if it exits (a bad config line, a busy port).
    const up = await waitFor(
      async () => (!alive() ? 'exited' : (await portAccepts(port)) && 'up'),
      opts.startMs ?? 10_000,
      'mosquitto to accept connections',
    ).catch(() => 'timed out');
    if (up !== 'up') {
      await p.stop();
      tmp.cleanup();
      throw new Error(`mosquitto did not start (${up}):\n${output()}`);
    }
  };
  await start();
  return {
    port,
    url: `mqtt://127.0.0.1:${port}`,
    pid: () => proc?.child.pid,
    output,
    write,
    reload: async () => {
      const before = output().split('Reloading config.').length;
      proc?.child.kill('SIGHUP');
      // The reload runs whole in the broker's single-threaded loop right after this line is logged.
      await waitFor(() => output().split('Reloading config.').length > before, 5000, 'mosquitto to reload');
    },
    restart: async (downMs) => {
      await proc?.stop();
      await sleep(downMs);
      await start();
    },
    stop: async () => {
      await proc?.stop();
      tmp.cleanup();
    },
  };
}
