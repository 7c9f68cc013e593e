// Helpers for the fleet benchmarks: Debian's mosquitto on a fixed port (so it can be restarted under
// its clients), process memory, medians.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import type { MosquittoFiles } from '../../controller/mqtt/broker-files.ts';
import { portAccepts } from '../support/process.ts';

export interface BenchMosquitto {
  port: number;
  url: string;
  pid(): number | undefined;
  /** SIGTERM (every connection drops, retained messages go: `persistence false`), wait, start again. */
  restart(downMs: number): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The generated config plus `extra` lines. Run as the current user; `log_type error` only, since
 * logging every connect of ten thousand clients would cost more than serving them.
 */
export async function startBenchMosquitto(
  bin: string,
  files: MosquittoFiles,
  port: number,
  extra: string[] = [],
): Promise<BenchMosquitto> {
  const dir = mkdtempSync(path.join(tmpdir(), 'loa-bench-mosq-'));
  writeFileSync(path.join(dir, 'passwd'), files.passwd, { mode: 0o600 });
  writeFileSync(path.join(dir, 'acl'), files.acl);
  const conf = `${files.conf({ port, dir })}user ${userInfo().username}\nlog_dest stderr\nlog_type error\n${extra.join('\n')}\n`;
  writeFileSync(path.join(dir, 'mosquitto.conf'), conf);
  let child: ChildProcess | null = null;
  let out = '';
  const accepts = () => portAccepts(port);
  const start = async () => {
    const c = spawn(bin, ['-c', path.join(dir, 'mosquitto.conf')], { stdio: ['ignore', 'pipe', 'pipe'] });
    child = c;
    c.stdout?.on('data', (d) => {
      out += d;
    });
    c.stderr?.on('data', (d) => {
      out += d;
    });
    for (const end = Date.now() + 10_000; !(await accepts()); await new Promise((r) => setTimeout(r, 20))) {
      if (c.exitCode !== null || Date.now() > end) throw new Error(`mosquitto did not start:\n${out}`);
    }
  };
  const kill = async () => {
    const c = child;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => c.once('exit', () => resolve()));
    c.kill('SIGTERM');
    await exited;
  };
  await start();
  return {
    port,
    url: `mqtt://127.0.0.1:${port}`,
    pid: () => child?.pid,
    restart: async (downMs) => {
      await kill();
      await new Promise((r) => setTimeout(r, downMs));
      await start();
    },
    stop: async () => {
      await kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Resident memory of a process in bytes, from /proc (VmRSS). */
export function rssOf(pid: number | undefined): number {
  if (!pid) return 0;
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : 0;
}

/** CPU time a process has used (utime + stime from /proc, ms); 0 if unknown. */
export function cpuMsOf(pid: number | undefined): number {
  if (!pid) return 0;
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[11] and [12] are utime and stime (14th and 15th of the line), in clock ticks of 10 ms
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};

export const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(0);
export const sec = (ms: number) => (ms / 1000).toFixed(ms < 10_000 ? 2 : 1);
