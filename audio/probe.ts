// Validates an uploaded recording and reports its format and duration, as AudioError codes on failure.
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { AudioError, type FfmpegPaths, INPUT_FORMATS, runFfprobe } from './ffmpeg.ts';
import { sniffFormat, streamClaims } from './frames/index.ts';
import { checkWhole, cutOff } from './integrity.ts';

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
  /** decode the whole file to check it is complete (default); off, a stated duration is trusted */
  verify?: boolean;
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
  format?: { format_name?: string; duration?: string; bit_rate?: string; tags?: Record<string, string> };
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

async function classifyProbeFailure(err: AudioError, file: string): Promise<AudioError> {
  // ffprobe prefixes errors with "[demuxer @ 0x...]" once a container has been recognised;
  // a bare "Invalid data found" means nothing we know reads this file, unless its first bytes
  // name a format (a file cut inside its headers)
  const recognised = /^\[[\w,]+ @ 0x[0-9a-f]+\]/m.test(err.stderr) && !/not on whitelist/.test(err.stderr);
  const sniffed = await sniffFormat(file);
  if (!recognised && !sniffed) return new AudioError('not_audio', 'not a recognised audio file', err.stderr);
  const claims = sniffed ? await streamClaims(file, sniffed) : {};
  if (claims.cut) return cutOff(claims.cut, err.stderr);
  // an MP4/M4A written front to back keeps its index (moov) at the end: the first thing a cut loses
  return /moov atom not found|atom truncated|error reading header/.test(err.stderr)
    ? cutOff('its index (the MP4 moov box) is missing or cut short', err.stderr)
    : new AudioError('corrupt', 'the file looks damaged or incomplete', err.stderr);
}

const tooLong = (ms: number, maxMs: number) =>
  new AudioError(
    'too_long',
    `the recording lasts ${seconds(ms)}, longer than the limit of ${seconds(maxMs)}`,
  );

/**
 * Reads the recording's format, then (unless `verify: false`, for files this code wrote itself)
 * decodes it whole: a file cut short or damaged is refused as `corrupt` (integrity.ts).
 */
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
    if (err instanceof AudioError && err.code === 'ffmpeg_failed') throw await classifyProbeFailure(err, abs);
    throw err;
  }
  const data = JSON.parse(probed.stdout) as FfprobeOutput;
  const audio = data.streams?.find((s) => s.codec_type === 'audio');
  if (!audio) throw new AudioError('no_audio_stream', 'the file contains no audio');

  const streamBitRate = num(audio.bit_rate);
  // raw AMR/ADTS streams carry no length; ffprobe's bitrate guess was 4% off for AMR
  const estimated = /Estimating duration from bitrate/.test(probed.stderr);
  const statedMs = (num(data.format?.duration) ?? num(audio.duration) ?? Number.NaN) * 1000;
  const containerMs = !estimated && Number.isFinite(statedMs) && statedMs > 0 ? statedMs : null;
  let durationMs = containerMs ?? Number.NaN;
  if (opts.verify !== false || containerMs === null) {
    const remaining = timeoutMs - (Date.now() - started);
    if (remaining <= 0) throw new AudioError('timeout', 'checking the recording took too long');
    const tlen = num(data.format?.tags?.TLEN ?? data.format?.tags?.tlen);
    const decodedMs = await checkWhole(
      paths,
      abs,
      { formatName: data.format?.format_name ?? '', containerMs, tagMs: tlen && tlen > 0 ? tlen : null },
      { ...opts, timeoutMs: remaining, limitMs: maxDurationMs === Infinity ? 24 * 3600_000 : maxDurationMs },
    );
    durationMs = containerMs ?? decodedMs;
  }
  if (!(durationMs > 0)) throw new AudioError('empty', 'the audio has no duration');
  if (durationMs > maxDurationMs) throw tooLong(durationMs, maxDurationMs);
  return {
    formatName: data.format?.format_name ?? 'unknown',
    durationMs: Math.round(durationMs),
    codec: audio.codec_name ?? 'unknown',
    sampleRate: num(audio.sample_rate) ?? 0,
    channels: audio.channels ?? 0,
    bitRate: streamBitRate ?? num(data.format?.bit_rate),
  };
}
