// The only door to ffmpeg/ffprobe (and fluent-ffmpeg): binary lookup, errors, and a supervised runner.
import { type ChildProcess, spawn } from 'node:child_process';
import { accessSync, chmodSync, constants, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, join, resolve } from 'node:path';
import ffmpeg from 'fluent-ffmpeg';

export interface FfmpegPaths {
  ffmpeg: string;
  ffprobe: string;
}

export type AudioErrorCode =
  | 'not-audio'
  | 'no-audio-stream'
  | 'empty'
  | 'corrupt'
  | 'too-long'
  | 'timeout'
  | 'ffmpeg-failed'
  | 'aborted';

export class AudioError extends Error {
  override name = 'AudioError';
  constructor(
    readonly code: AudioErrorCode,
    message: string,
    /** tail of the process's stderr, kept apart so callers can classify failures */
    readonly stderr = '',
  ) {
    super(message);
  }
}

function isExecutableFile(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

function findOnPath(name: string, env: NodeJS.ProcessEnv): string | null {
  const exe = process.platform === 'win32' ? `${name}.exe` : name;
  // empty PATH entries mean "current directory"; never pick a binary from wherever we happen to run
  for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean)) {
    const candidate = join(dir, exe);
    if (isExecutableFile(candidate)) return candidate;
  }
  return null;
}

function fromNpm(pkg: string): string | null {
  try {
    const file = (createRequire(import.meta.url)(pkg) as { path: string }).path;
    // some installs skip postinstall scripts, which is what normally sets the mode bits
    if (!isExecutableFile(file)) chmodSync(file, statSync(file).mode | 0o100);
    return isExecutableFile(file) ? file : null;
  } catch {
    return null; // the package throws (a string!) on unsupported platforms
  }
}

function resolveOne(name: string, envVar: string, pkg: string, env: NodeJS.ProcessEnv): string {
  const explicit = env[envVar];
  if (explicit) {
    // an explicit setting that is wrong should fail loudly, not silently use another binary
    if (!isExecutableFile(explicit)) throw new Error(`${envVar}=${explicit} is not an executable file`);
    return resolve(explicit);
  }
  const found = findOnPath(name, env) ?? fromNpm(pkg);
  if (found) return found;
  throw new Error(
    `cannot find ${name}: tried $${envVar} (unset), ${name} on PATH, and the npm package ${pkg}`,
  );
}

export function resolveFfmpeg(env: NodeJS.ProcessEnv = process.env): FfmpegPaths {
  return {
    ffmpeg: resolveOne('ffmpeg', 'FFMPEG_PATH', '@ffmpeg-installer/ffmpeg', env),
    ffprobe: resolveOne('ffprobe', 'FFPROBE_PATH', '@ffprobe-installer/ffprobe', env),
  };
}

/**
 * Demuxers accepted for uploaded files. Anything else (playlists like hls/concat that make ffmpeg
 * open other files or URLs, images, "tty" text) is refused before it is parsed.
 */
export const INPUT_FORMATS =
  'aac,aiff,amr,amrnb,amrwb,ape,asf,au,caf,flac,matroska,webm,mov,mp4,m4a,3gp,mp3,ogg,wav,w64,wv,avi,flv,mpegts';

export interface RunOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  /** every stderr line, including the `\r`-separated progress lines */
  onLine?: (line: string) => void;
  /** the process has really started (exec succeeded) */
  onSpawn?: () => void;
}

export interface FfmpegJob {
  input: string;
  inputOptions?: string[];
  /** a file path, an ALSA device name, or '-' with `-f null` */
  output: string;
  outputOptions: string[];
}

const PROGRESS_LINE = /^\s*(size|frame)=/;

class Tail {
  private lines: string[] = [];
  push(line: string): void {
    if (!line.trim() || PROGRESS_LINE.test(line)) return;
    this.lines.push(line);
    if (this.lines.length > 15) this.lines.shift();
  }
  toString(): string {
    return this.lines.join('\n');
  }
}

/** Timeout and abort handling shared by both runners: SIGKILL, since a stuck decoder ignores SIGTERM. */
function supervise(what: string, opts: RunOptions) {
  let proc: ChildProcess | undefined;
  let failure: AudioError | null = null;
  const stop = (code: 'timeout' | 'aborted', message: string) => {
    failure ??= new AudioError(code, `${what}: ${message}`);
    proc?.kill('SIGKILL');
  };
  const timer = setTimeout(() => stop('timeout', `killed after ${opts.timeoutMs} ms`), opts.timeoutMs);
  const onAbort = () => stop('aborted', 'aborted');
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  return {
    attach(p: ChildProcess) {
      proc = p;
      p.once('spawn', () => opts.onSpawn?.());
      if (failure) p.kill('SIGKILL');
    },
    /** after the process has exited: the error to report, if any */
    settle(exitError: Error | null, tail: Tail): AudioError | null {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      if (failure) return failure;
      if (!exitError) return null;
      const stderr = tail.toString();
      return new AudioError(
        'ffmpeg-failed',
        `${what} failed: ${exitError.message.split('\n')[0]}\n${stderr}`,
        stderr,
      );
    },
  };
}

/** fluent-ffmpeg internals we pin per command; the package is archived, so these names are frozen. */
interface FluentInternals {
  ffmpegProc?: ChildProcess;
  _getFfmpegPath(cb: (err: Error | null, path: string) => void): void;
  _checkCapabilities(cb: (err: Error | null) => void): void;
  availableEncoders(cb: (err: Error | null, encoders: object) => void): void;
}

/** Runs one ffmpeg command to completion; resolves with the stderr tail. */
export function runFfmpeg(paths: FfmpegPaths, job: FfmpegJob, opts: RunOptions): Promise<string> {
  if (opts.signal?.aborted) return Promise.reject(new AudioError('aborted', 'ffmpeg: aborted before start'));
  return new Promise((resolvePromise, reject) => {
    const tail = new Tail();
    const guard = supervise('ffmpeg', opts);
    const cmd = ffmpeg(job.input)
      .setFfmpegPath(paths.ffmpeg)
      .inputOptions(['-hide_banner', '-nostdin', ...(job.inputOptions ?? [])])
      .output(job.output)
      .outputOptions(job.outputOptions);
    // fluent keeps the binary path in a module-global and, before every run, spawns
    // `ffmpeg -formats/-encoders` with no timeout; pinning these per command keeps every
    // process under our supervision and lets commands with different binaries coexist.
    const internals = cmd as unknown as FluentInternals;
    internals._getFfmpegPath = (cb) => cb(null, paths.ffmpeg);
    internals._checkCapabilities = (cb) => cb(null);
    internals.availableEncoders = (cb) => cb(null, {});
    cmd.on('start', () => {
      if (internals.ffmpegProc) guard.attach(internals.ffmpegProc);
    });
    cmd.on('stderr', (line: string) => {
      tail.push(line);
      opts.onLine?.(line);
    });
    const finish = (err: Error | null) => {
      const failure = guard.settle(err, tail);
      if (failure) reject(failure);
      else resolvePromise(tail.toString());
    };
    cmd.on('error', (err: Error) => finish(err));
    cmd.on('end', () => finish(null));
    try {
      cmd.run();
    } catch (err) {
      finish(err instanceof Error ? err : new Error(String(err)));
    }
  });
}

/**
 * Runs ffprobe; resolves with its stdout and stderr tail. Spawned directly: fluent-ffmpeg's
 * ffprobe() never exposes its child process, so a stuck probe could be neither timed out nor aborted.
 */
export function runFfprobe(
  paths: FfmpegPaths,
  args: string[],
  opts: RunOptions,
): Promise<{ stdout: string; stderr: string }> {
  if (opts.signal?.aborted) return Promise.reject(new AudioError('aborted', 'ffprobe: aborted before start'));
  return new Promise((resolvePromise, reject) => {
    const tail = new Tail();
    const guard = supervise('ffprobe', opts);
    const proc = spawn(paths.ffprobe, ['-hide_banner', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    guard.attach(proc);
    const out: Buffer[] = [];
    proc.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    let partial = '';
    proc.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      const lines = (partial + chunk).split(/\r\n|\r|\n/);
      partial = lines.pop() ?? '';
      for (const line of lines) tail.push(line);
    });
    let spawnError: Error | null = null;
    proc.on('error', (err) => {
      spawnError = err;
    });
    proc.on('close', (code, signal) => {
      tail.push(partial);
      const exitError =
        spawnError ?? (code === 0 ? null : new Error(signal ? `killed by ${signal}` : `exit code ${code}`));
      const failure = guard.settle(exitError, tail);
      if (failure) reject(failure);
      else resolvePromise({ stdout: Buffer.concat(out).toString('utf8'), stderr: tail.toString() });
    });
  });
}
