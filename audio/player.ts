// Playback sink for edge agents: one ffmpeg invocation per clip, to ALSA, a wav file, or nowhere.
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { AudioError, type FfmpegPaths, runFfmpeg } from './ffmpeg.ts';

export type AudioOutput = { kind: 'alsa'; device: string } | { kind: 'file'; dir: string } | { kind: 'null' };

export interface PlayResult {
  startedAt: Date;
  endedAt: Date;
  outputFile: string | null;
}

export interface PlayOptions {
  name: string;
  timeoutMs: number;
  /** 0..2, default 1 */
  volume?: number;
  signal?: AbortSignal;
}

export interface Player {
  play(file: string, opts: PlayOptions): Promise<PlayResult>;
}

export function parseAudioOutput(spec: string): AudioOutput {
  if (spec === 'null') return { kind: 'null' };
  const colon = spec.indexOf(':');
  const kind = spec.slice(0, colon);
  const rest = spec.slice(colon + 1);
  if (colon > 0 && rest && kind === 'alsa') return { kind: 'alsa', device: rest };
  if (colon > 0 && rest && kind === 'file') return { kind: 'file', dir: rest };
  throw new Error(
    `invalid audio output "${spec}": expected "alsa:<device>" (e.g. alsa:plughw:CARD=Device), "file:<dir>" or "null"`,
  );
}

/** Keeps clip names usable as file names: nothing that could climb directories or confuse a shell. */
export function sanitiseName(name: string): string {
  const safe = name.replace(/[^A-Za-z0-9._@-]/g, '_');
  if (!/[A-Za-z0-9]/.test(safe)) throw new Error(`clip name "${name}" has no usable characters`);
  return safe;
}

function sinkArgs(output: AudioOutput, file: string | null): { target: string; options: string[] } {
  switch (output.kind) {
    case 'alsa':
      // stereo because most USB cards refuse mono; plughw folds it down on mono hardware
      return { target: output.device, options: ['-ac', '2', '-f', 'alsa'] };
    case 'file':
      return { target: file ?? '', options: ['-ac', '1', '-c:a', 'pcm_s16le', '-f', 'wav'] };
    case 'null':
      return { target: '-', options: ['-ac', '1', '-f', 'null'] };
  }
}

export function createPlayer(
  paths: FfmpegPaths,
  output: AudioOutput,
  clock: { now(): Date } = { now: () => new Date() },
): Player {
  return {
    async play(file, opts) {
      const volume = opts.volume ?? 1;
      if (!(volume >= 0 && volume <= 2)) throw new RangeError(`volume must be within 0..2, got ${volume}`);
      let outputFile: string | null = null;
      if (output.kind === 'file') {
        const dir = resolve(output.dir);
        await mkdir(dir, { recursive: true });
        outputFile = join(dir, `${sanitiseName(opts.name)}.wav`);
      } else {
        sanitiseName(opts.name); // same rule everywhere, so a name that works in tests works on air
      }
      const sink = sinkArgs(output, outputFile);
      let startedAt: Date | null = null;
      await runFfmpeg(
        paths,
        {
          input: resolve(file),
          // an ALSA device paces playback itself; file and null sinks would otherwise finish
          // instantly, so -re makes them take the clip's real duration, like speakers do
          inputOptions: ['-loglevel', 'error', ...(output.kind === 'alsa' ? [] : ['-re'])],
          output: sink.target,
          outputOptions: [...['-map', '0:a:0', '-af', `volume=${volume}`, '-ar', '48000'], ...sink.options],
        },
        {
          timeoutMs: opts.timeoutMs,
          signal: opts.signal,
          onSpawn: () => {
            startedAt = clock.now();
          },
        },
      );
      const endedAt = clock.now();
      if (!startedAt) throw new AudioError('ffmpeg_failed', 'ffmpeg exited without having started');
      return { startedAt, endedAt, outputFile };
    },
  };
}
