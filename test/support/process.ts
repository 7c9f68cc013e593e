// Child processes for tests: the project's entry points (or any program) with their output collected,
// their memory and CPU time, free ports, and whether a port accepts connections yet.
import { type ChildProcess, type SpawnOptions, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '../..');

export interface Proc {
  child: ChildProcess;
  /** Everything it wrote to stdout and stderr so far. */
  output(): string;
  /** Resolves with its exit code (null when a signal ended it), at once when it has already exited. */
  exited(): Promise<number | null>;
  /** Sends `signal` unless it has exited, and waits until it has. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** Runs `command` with stdout and stderr collected. */
export function spawnCollecting(command: string, args: string[], options: SpawnOptions = {}): Proc {
  const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (d) => {
    out += d;
  });
  child.stderr?.on('data', (d) => {
    out += d;
  });
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    output: () => out,
    exited: () => exit,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exit;
    },
  };
}

/** Runs one of the project's scripts (a path from the repository root) with tsx, in the repository root. */
export function startProcess(script: string, args: string[], env: NodeJS.ProcessEnv): Proc {
  return spawnCollecting(process.execPath, ['--import', 'tsx', path.join(ROOT, script), ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
  });
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** Whether something accepts TCP connections on 127.0.0.1:port right now. */
export function portAccepts(port: number): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const s = connect(port, '127.0.0.1', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

/** Resident memory of process `pid` in bytes, from /proc (VmRSS); 0 when unknown. */
export function rssOf(pid: number | undefined): number {
  if (!pid) return 0;
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : 0;
}

/** CPU time process `pid` has used (utime + stime from /proc, ms); 0 when unknown or gone. */
export function cpuMsOf(pid: number | null | undefined): number {
  if (!pid) return 0;
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return 0; // gone (a killed node)
  }
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[11] and [12] are utime and stime (14th and 15th of the line), in clock ticks of 10 ms
  return (Number(fields[11]) + Number(fields[12])) * 10;
}
