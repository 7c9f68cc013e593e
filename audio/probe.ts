// Validates an uploaded recording and reports its format and duration, as AudioError codes on failure.
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { AudioError, type FfmpegPaths, INPUT_FORMATS, runFfmpeg, runFfprobe } from './ffmpeg.ts';

export interface ProbeResult {
  formatName: string;
  durationMs: number;
  codec: string;
  sampleRate: number;
  channels: number;
  bitRate: number | null;
}

export interface ProbeOptions {
  timeoutMs?: number;
  maxDurationMs?: number;
  signal?: AbortSignal;
}

interface FfprobeStream {
  codec_type?: string;
  codec_name?: string;
  sample_rate?: string;
  channels?: number;
  bit_rate?: string;
  duration?: string;
}

interface FfprobeOutput {
  streams?: FfprobeStream[];
  format?: { format_name?: string; duration?: string; bit_rate?: string };
}

const num = (v: string | number | undefined): number | null => {
  const n = Number(v);
  return v === undefined || v === '' || !Number.isFinite(n) ? null : n;
};

/** A duration for people: "2.5 s", "3 min 5 s". */
function seconds(ms: number): string {
  const s = Math.round(ms / 100) / 10;
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}

/** Reads `time=HH:MM:SS.cc` from an ffmpeg progress line, in seconds. */
export function parseTimeSeconds(line: string): number | null {
  const m = /time=\s*(-?)(\d+):(\d\d):(\d\d(?:\.\d+)?)/.exec(line);
  if (!m) return null;
  return (m[1] ? -1 : 1) * (Number(m[2]) * 3600 + Number(m[3]) * 60 + Number(m[4]));
}

function classifyProbeFailure(err: AudioError): AudioError {
  // ffprobe prefixes errors with "[demuxer @ 0x...]" once a container has been recognised;
  // a bare "Invalid data found" means nothing we know reads this file.
  const recognised = /^\[[\w,]+ @ 0x[0-9a-f]+\]/m.test(err.stderr) && !/not on whitelist/.test(err.stderr);
  return recognised
    ? new AudioError('corrupt', 'damaged or incomplete audio file', err.stderr)
    : new AudioError('not_audio', 'not a recognised audio file', err.stderr);
}

/** Decodes the whole stream to measure it, for containers that do not record a duration. */
async function measureByDecoding(paths: FfmpegPaths, file: string, limitMs: number, opts: ProbeOptions) {
  let seconds = 0;
  await runFfmpeg(
    paths,
    {
      input: file,
      inputOptions: ['-format_whitelist', INPUT_FORMATS],
      output: '-',
      // stop just past the limit: a huge file only has to be decoded far enough to be refused
      outputOptions: ['-map', '0:a:0', '-vn', '-t', String(limitMs / 1000 + 1), '-f', 'null'],
    },
    {
      timeoutMs: opts.timeoutMs ?? 30_000,
      signal: opts.signal,
      onLine: (line) => {
        seconds = parseTimeSeconds(line) ?? seconds;
      },
    },
  ).catch((err: unknown) => {
    if (err instanceof AudioError && err.code === 'ffmpeg_failed') {
      throw new AudioError('corrupt', 'the audio cannot be decoded', err.stderr);
    }
    throw err;
  });
  return seconds * 1000;
}

export async function probeAudio(
  paths: FfmpegPaths,
  file: string,
  opts: ProbeOptions = {},
): Promise<ProbeResult> {
  const abs = resolve(file);
  const { size } = await stat(abs);
  if (size === 0) throw new AudioError('empty', 'the file is empty');
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const maxDurationMs = opts.maxDurationMs ?? Number.POSITIVE_INFINITY;

  const started = Date.now();
  let probed: { stdout: string; stderr: string };
  try {
    probed = await runFfprobe(
      paths,
      [
        '-v',
        'warning',
        '-format_whitelist',
        INPUT_FORMATS,
        '-of',
        'json',
        '-show_format',
        '-show_streams',
        abs,
      ],
      { timeoutMs, signal: opts.signal },
    );
  } catch (err) {
    if (err instanceof AudioError && err.code === 'ffmpeg_failed') throw classifyProbeFailure(err);
    throw err;
  }
  const data = JSON.parse(probed.stdout) as FfprobeOutput;
  const audio = data.streams?.find((s) => s.codec_type === 'audio');
  if (!audio) throw new AudioError('no_audio_stream', 'the file contains no audio');

  const streamBitRate = num(audio.bit_rate);
  let durationMs = (num(data.format?.duration) ?? num(audio.duration) ?? Number.NaN) * 1000;
  if (Number.isFinite(durationMs) && durationMs > 0 && streamBitRate) {
    // headers (mp3 Xing, mp4 moov) state the full length even when the upload was cut off;
    // far fewer bytes than the stated bitrate needs for that length means a truncated file
    if (size * 8 < (streamBitRate * durationMs) / 1000 / 2) {
      throw new AudioError(
        'corrupt',
        `the file is cut short: ${size} bytes for ${seconds(durationMs)} of audio`,
      );
    }
  }
  // raw AMR/ADTS streams carry no length; ffprobe's bitrate guess was 4% off for AMR
  const estimated = /Estimating duration from bitrate/.test(probed.stderr);
  if (estimated || !Number.isFinite(durationMs) || durationMs <= 0) {
    const remaining = timeoutMs - (Date.now() - started);
    if (remaining <= 0) throw new AudioError('timeout', 'checking the recording took too long');
    durationMs = await measureByDecoding(
      paths,
      abs,
      maxDurationMs === Infinity ? 24 * 3600_000 : maxDurationMs,
      {
        ...opts,
        timeoutMs: remaining,
      },
    );
  }
  if (!(durationMs > 0)) throw new AudioError('empty', 'the audio has no duration');
  if (durationMs > maxDurationMs) {
    throw new AudioError(
      'too_long',
      `the recording lasts ${seconds(durationMs)}, longer than the limit of ${seconds(maxDurationMs)}`,
    );
  }
  return {
    formatName: data.format?.format_name ?? 'unknown',
    durationMs: Math.round(durationMs),
    codec: audio.codec_name ?? 'unknown',
    sampleRate: num(audio.sample_rate) ?? 0,
    channels: audio.channels ?? 0,
    bitRate: streamBitRate ?? num(data.format?.bit_rate),
  };
}
