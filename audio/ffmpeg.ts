// The only door to ffmpeg/ffprobe (and fluent-ffmpeg): binary lookup, errors, and a supervised runner.
import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import type { Readable, Writable } from 'node:stream';
import type Ffmpeg from 'fluent-ffmpeg';
import type { FfmpegPaths } from './binaries.ts';

export type { FfmpegPaths };

export type AudioErrorCode =
  | 'not_audio'
  | 'no_audio_stream'
  | 'empty'
  | 'corrupt'
  | 'too_long'
  | 'timeout'
  | 'ffmpeg_failed'
  | 'aborted';

/**
 * A refusal or failure, by code. The first line of the message is for people and never names a file
 * (callers know which file they passed, and answers must not show server paths); any further lines
 * are the process's own output, for logs.
 */
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

/**
 * How a process ended, in a few words: fluent-ffmpeg appends the stderr (which names the input file)
 * to its exit error, and a spawn error names the binary's path.
 */
function exitSummary(err: Error & { code?: unknown }): string {
  const m = /(?:exit(?:ed with)? code) (-?\d+)|(?:killed (?:by|with signal)) (\w+)/.exec(err.message);
  if (m?.[1]) return `exit code ${m[1]}`;
  if (m?.[2]) return `killed by ${m[2]}`;
  return typeof err.code === 'string' ? `could not start (${err.code})` : 'did not complete';
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
      return new AudioError('ffmpeg_failed', `${what} failed: ${exitSummary(exitError)}\n${stderr}`, stderr);
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

/**
 * fluent-ffmpeg, loaded at the first transcode (about 7 MB): the station's player does not use it, so an agent
 * that never transcodes an announcement never holds it.
 */
let fluent: typeof Ffmpeg | null = null;
const ffmpeg = (input: string) => {
  fluent ??= createRequire(import.meta.url)('fluent-ffmpeg') as typeof Ffmpeg;
  return fluent(input);
};

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

/** Stream ends for a directly spawned process: stdin fed from a stream, stdout into one. */
export interface PipeOptions extends RunOptions {
  stdin?: Readable;
  stdout?: Writable;
}

/**
 * Runs ffprobe; resolves with its stdout and stderr tail. Spawned directly: fluent-ffmpeg's
 * ffprobe() never exposes its child process, so a stuck probe could be neither timed out nor aborted.
 */
export const runFfprobe = (paths: FfmpegPaths, args: string[], opts: RunOptions) =>
  runSpawned('ffprobe', paths.ffprobe, args, opts);

/**
 * Runs ffmpeg spawned directly, for pipelines fluent-ffmpeg cannot express: two processes joined
 * by streams (fluent reports an error if an output stream closes a moment before ffmpeg exits).
 */
export const runFfmpegPiped = (paths: FfmpegPaths, args: string[], opts: PipeOptions) =>
  runSpawned('ffmpeg', paths.ffmpeg, ['-nostdin', ...args], opts);

function runSpawned(
  what: string,
  bin: string,
  args: string[],
  opts: PipeOptions,
): Promise<{ stdout: string; stderr: string }> {
  if (opts.signal?.aborted) return Promise.reject(new AudioError('aborted', `${what}: aborted before start`));
  return new Promise((resolvePromise, reject) => {
    const tail = new Tail();
    const guard = supervise(what, opts);
    const proc = spawn(bin, ['-hide_banner', ...args], {
      stdio: [opts.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'],
    });
    guard.attach(proc);
    if (opts.stdin && proc.stdin) {
      // a process that dies early closes its stdin: the exit code tells why, not the EPIPE
      proc.stdin.on('error', () => {});
      opts.stdin.pipe(proc.stdin);
    }
    // both are pipes whatever stdin is; the typings only know that for a literal stdio array
    const [stdout, stderr] = [proc.stdout as Readable, proc.stderr as Readable];
    const out: Buffer[] = [];
    if (opts.stdout) {
      stdout.pipe(opts.stdout);
      // a destination destroyed early leaves the pipe paused: drain it, or 'close' below never comes
      opts.stdout.once('close', () => stdout.resume());
    } else stdout.on('data', (chunk: Buffer) => out.push(chunk));
    let partial = '';
    stderr.setEncoding('utf8').on('data', (chunk: string) => {
      const lines = (partial + chunk).split(/\r\n|\r|\n/);
      partial = lines.pop() ?? '';
      for (const line of lines) {
        tail.push(line);
        opts.onLine?.(line);
      }
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
