// Playback started ahead: a decoder process per entry opens its inputs and waits, its first samples decoded
// and held in a pipe, until they are released at the instant to an output: the ALSA device (one sink process
// keeps it open across entries), a wav file, or nowhere. The audio passes through this process as raw PCM,
// so the agent sees the moment the first sample leaves, and its children die with it (a closed pipe).
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync, writeSync } from 'node:fs';
import type { Readable, Writable } from 'node:stream';
import { AudioError } from './ffmpeg.ts';

export const PCM_RATE = 48_000;
const SAMPLE_BYTES = 2;
/** How far ahead of real time a paced output takes samples: a device buffer's worth. */
export const LEAD_MS = 200;
/**
 * ffmpeg's raw PCM demuxer reads packets of 1024 samples (libavformat/pcmdec.c, RAW_SAMPLES) and waits for a
 * whole one: each entry sent to the ALSA sink is padded with silence to whole packets, or its last few ms
 * would wait in the sink for the next entry.
 */
const SINK_PACKET_SAMPLES = 1024;

export type Channels = 1 | 2;
export const bytesPerMs = (channels: Channels) => (PCM_RATE * SAMPLE_BYTES * channels) / 1000;

/** The last lines of a process's stderr, for its error message; each whole line to `onLine` too. */
function stderrTail(p: ChildProcess, onLine?: (line: string) => void): () => string {
  const lines: string[] = [];
  let partial = '';
  p.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    const parts = (partial + chunk).split(/\r\n|\r|\n/);
    partial = parts.pop() ?? '';
    for (const l of parts) {
      if (!l.trim()) continue;
      lines.push(l);
      onLine?.(l);
    }
    lines.splice(0, Math.max(0, lines.length - 10));
  });
  return () => [...lines, partial].filter((l) => l.trim()).join('\n');
}

/** Where a decoder's input comes from when it is not files or URLs that ffmpeg opens itself. */
export interface DecoderSource {
  /** The input's bytes, written to ffmpeg's stdin (its input is then `pipe:0`): a stream fetched by the caller. */
  stdin?: Readable;
  /** Options placed before each input (a demuxer, probe sizes, whitelists). */
  inputArgs?: readonly string[];
  /** Filters after the volume, on what is played (e.g. silencedetect). */
  filters?: string;
  /** Each stderr line, the log level raised to info (what filters such as silencedetect print). */
  onLine?: (line: string) => void;
}

export function decoderArgs(
  inputs: readonly string[],
  channels: Channels,
  volume: number,
  source: DecoderSource = {},
): string[] {
  const chain = `volume=${volume}${source.filters ? `,${source.filters}` : ''}`;
  const map =
    inputs.length === 1
      ? ['-map', '0:a:0', '-af', chain]
      : [
          '-filter_complex',
          `${inputs.map((_, i) => `[${i}:a:0]`).join('')}concat=n=${inputs.length}:v=0:a=1,${chain}[out]`,
          ...['-map', '[out]'],
        ];
  return [
    ...['-hide_banner', '-nostdin', '-nostats', '-loglevel', source.onLine ? 'info' : 'error'],
    ...inputs.flatMap((i) => [...(source.inputArgs ?? []), '-i', i]),
    ...map,
    ...['-ar', String(PCM_RATE), '-ac', String(channels), '-f', 's16le', '-flush_packets', '1', 'pipe:1'],
  ];
}

/** One entry's decoder: started ahead, ready once its first samples wait in its stdout pipe. */
export class Decoder {
  readonly proc: ChildProcess;
  readonly ready: Promise<void>;
  /** Settles when the process has exited: null after a clean end, else why it failed. */
  readonly exited: Promise<AudioError | null>;
  isReady = false;
  #killed: AudioError | null = null;

  constructor(
    ffmpegPath: string,
    inputs: readonly string[],
    channels: Channels,
    volume: number,
    source: DecoderSource = {},
  ) {
    this.proc = spawn(ffmpegPath, decoderArgs(inputs, channels, volume, source), {
      stdio: [source.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'],
    });
    if (source.stdin && this.proc.stdin) {
      // a decoder killed early closes its stdin: its exit says why, not the EPIPE
      this.proc.stdin.on('error', () => {});
      source.stdin.pipe(this.proc.stdin);
    }
    const tail = stderrTail(this.proc, source.onLine);
    const stdout = this.proc.stdout as Readable;
    this.exited = new Promise((resolve) => {
      let spawnError: Error | null = null;
      this.proc.once('error', (err) => {
        spawnError = err;
      });
      this.proc.once('close', (code, signal) => {
        if (this.#killed) return resolve(this.#killed);
        if (code === 0 && !spawnError) return resolve(null);
        const why = spawnError
          ? `could not start (${spawnError.message})`
          : signal
            ? `killed by ${signal}`
            : `exit code ${code}`;
        resolve(new AudioError('ffmpeg_failed', `ffmpeg failed: ${why}\n${tail()}`, tail()));
      });
    });
    this.ready = new Promise<void>((resolve, reject) => {
      // Listened to until released: a child's output nobody listens to is thrown away when it exits
      // (child_process flushStdio), and a short clip's decoder may exit before its release.
      stdout.on('readable', () => {
        // also emitted at the end of a stream that brought nothing
        if (this.isReady || stdout.readableLength === 0) return;
        this.isReady = true;
        resolve();
      });
      void this.exited.then((err) => {
        if (!this.isReady) reject(err ?? new AudioError('empty', 'the player decoded no audio'));
      });
    });
    this.ready.catch(() => {});
  }

  get stdout(): Readable {
    return this.proc.stdout as Readable;
  }

  kill(why: AudioError): void {
    this.#killed ??= why;
    if (this.proc.exitCode === null && this.proc.signalCode === null) this.proc.kill('SIGKILL');
  }
}

/** A WAV header for 16-bit PCM of unknown length (sizes at their maximum, as for a stream); patched at the end. */
function wavHeader(channels: Channels, dataBytes = 0xffffffff - 36): Buffer {
  const h = Buffer.alloc(44);
  h.write('RIFF', 0);
  h.writeUInt32LE(Math.min(0xffffffff, dataBytes + 36), 4);
  h.write('WAVEfmt ', 8);
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20);
  h.writeUInt16LE(channels, 22);
  h.writeUInt32LE(PCM_RATE, 24);
  h.writeUInt32LE(PCM_RATE * channels * SAMPLE_BYTES, 28);
  h.writeUInt16LE(channels * SAMPLE_BYTES, 32);
  h.writeUInt16LE(SAMPLE_BYTES * 8, 34);
  h.write('data', 36);
  h.writeUInt32LE(dataBytes, 40);
  return h;
}

/** Where released samples go. `begin` takes the first chunk synchronously: its return is the first sample's moment. */
export interface OutputRun {
  write(chunk: Buffer): Promise<void>;
  /** After the last chunk (or a cut): closes what belongs to this entry. */
  finish(totalBytes: number): void;
}
export interface Output {
  readonly channels: Channels;
  /** Whether the output takes samples as fast as they come, so that this process paces them itself. */
  readonly paced: boolean;
  begin(name: string, first: Buffer): OutputRun;
  /** Drops what the output holds and has not played yet (a cut entry). */
  cut?(): void;
  close(): void;
}

/** A wav file per entry, written at the pace of speakers (so a cut entry's file holds what was heard). */
export function fileOutput(pathOf: (name: string) => string): Output {
  return {
    channels: 1,
    paced: true,
    begin(name, first) {
      const file = pathOf(name);
      const fd = openSync(file, 'w');
      writeSync(fd, Buffer.concat([wavHeader(1), first]));
      return {
        write: async (chunk) => void writeSync(fd, chunk),
        finish(total) {
          try {
            writeSync(fd, wavHeader(1, total), 0, 44, 0);
          } finally {
            closeSync(fd);
          }
        },
      };
    },
    close() {},
  };
}

export const nullOutput: Output = {
  channels: 1,
  paced: true,
  begin: () => ({ write: async () => {}, finish() {} }),
  close() {},
};

/**
 * One ffmpeg process writing raw PCM from its stdin to an output (`-f alsa DEVICE`), started once and kept:
 * the device stays open across entries. Between entries it runs dry; ffmpeg's ALSA writer recovers from the
 * underrun (snd_pcm_prepare) when the next entry's samples come, which start the device again at once.
 */
export function sinkOutput(
  ffmpegPath: string,
  outputArgs: readonly string[],
  log: (line: string) => void = () => {},
): Output & { readonly pid: number | null } {
  const channels: Channels = 2;
  let proc: ChildProcess | null = null;
  const packet = SINK_PACKET_SAMPLES * SAMPLE_BYTES * channels;
  const ensure = (): ChildProcess => {
    if (proc && proc.exitCode === null && proc.signalCode === null) return proc;
    const args = [
      ...['-hide_banner', '-nostdin', '-loglevel', 'error', '-probesize', '32', '-analyzeduration', '0'],
      ...['-f', 's16le', '-ar', String(PCM_RATE), '-ac', String(channels), '-i', 'pipe:0'],
      ...outputArgs,
    ];
    const p = spawn(ffmpegPath, args, { stdio: ['pipe', 'ignore', 'pipe'] });
    const tail = stderrTail(p);
    p.stdin?.on('error', () => {});
    p.once('close', (code) => {
      if (proc === p) proc = null;
      log(`audio sink exited (${code ?? 'killed'})${tail() ? `: ${tail()}` : ''}`);
    });
    // a packet of silence opens the device now, not at the first entry
    p.stdin?.write(Buffer.alloc(packet));
    proc = p;
    return p;
  };
  ensure();
  const writeTo = (stdin: Writable, chunk: Buffer) =>
    new Promise<void>((resolve, reject) => {
      if (stdin.write(chunk, (err) => err && reject(err))) resolve();
      else stdin.once('drain', resolve);
    });
  return {
    channels,
    paced: false,
    get pid() {
      return proc?.pid ?? null;
    },
    begin(_name, first) {
      const stdin = ensure().stdin as Writable;
      stdin.write(first);
      return {
        write: (chunk) => writeTo(stdin, chunk),
        finish(total) {
          const pad = (packet - (total % packet)) % packet;
          if (pad && stdin.writable) stdin.write(Buffer.alloc(pad));
        },
      };
    },
    cut() {
      // the sink holds up to a second (its pipe and the ALSA buffer); a new one starts with the next entry
      proc?.kill('SIGKILL');
      proc = null;
    },
    close() {
      proc?.stdin?.end();
      const p = proc;
      proc = null;
      if (p) setTimeout(() => p.kill('SIGKILL'), 2000).unref();
    },
  };
}
