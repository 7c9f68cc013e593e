// Runs Debian's mosquitto on a free port with generated password, ACL and config files, for security tests.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import type { MosquittoFiles } from '../../controller/mqtt/broker-files.ts';
import { freePort, portAccepts, waitFor } from './process.ts';

/** The broker's path, or null. Debian puts it in /usr/sbin, which a non-root PATH often lacks. */
export function findMosquitto(): string | null {
  for (const bin of ['mosquitto', '/usr/sbin/mosquitto']) {
    const r = spawnSync(bin, ['-h'], { encoding: 'utf8' });
    if (!r.error && /mosquitto version/.test(`${r.stdout}${r.stderr}`)) return bin;
  }
  return null;
}

export interface Mosquitto {
  port: number;
  url: string;
  /** Everything the broker logged (log_type all), for assertions and failure messages. */
  output(): string;
  /** Rewrites the password and ACL files. */
  write(files: MosquittoFiles): void;
  /** SIGHUP, then waits until the broker has re-read its files. */
  reload(): Promise<void>;
  stop(): Promise<void>;
}

export async function startMosquitto(bin: string, files: MosquittoFiles): Promise<Mosquitto> {
  const dir = mkdtempSync(path.join(tmpdir(), 'loa-mosquitto-'));
  const port = await freePort();
  const write = (f: MosquittoFiles) => {
    writeFileSync(path.join(dir, 'passwd'), f.passwd, { mode: 0o600 });
    writeFileSync(path.join(dir, 'acl'), f.acl);
  };
  write(files);
  // Run as root, mosquitto drops to user `mosquitto`, which cannot read a private temp dir; as
  // anyone else `user` is ignored.
  const conf = `${files.conf({ port, dir })}user ${userInfo().username}\nlog_dest stderr\nlog_type all\n`;
  writeFileSync(path.join(dir, 'mosquitto.conf'), conf);
  const child: ChildProcess = spawn(bin, ['-c', path.join(dir, 'mosquitto.conf')], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d) => {
    out += d;
  });
  child.stderr?.on('data', (d) => {
    out += d;
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const alive = () => child.exitCode === null && child.signalCode === null;
  const accepts = () => portAccepts(port);
  const stop = async () => {
    if (alive()) child.kill('SIGTERM');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  };
  // Poll until it accepts connections; fail at once if it exits (a bad config line, a busy port).
  for (const end = Date.now() + 10_000; !(await accepts()); await new Promise((r) => setTimeout(r, 50))) {
    if (!alive() || Date.now() > end) {
      await stop();
      throw new Error(`mosquitto did not start:\n${out}`);
    }
  }
  return {
    port,
    url: `mqtt://127.0.0.1:${port}`,
    output: () => out,
    write,
    reload: async () => {
      const before = out.split('Reloading config.').length;
      child.kill('SIGHUP');
      // The reload runs whole in the broker's single-threaded loop right after this line is logged.
      await waitFor(async () => out.split('Reloading config.').length > before, 5000, 'mosquitto to reload');
    },
    stop,
  };
}
