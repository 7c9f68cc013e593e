// Turns any uploaded recording into the one broadcast format, loudness-normalised, stored atomically.
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { analyse, type Loudness, measureLoudness, timeProgress } from './analyse.ts';
import { AudioError, type FfmpegPaths, INPUT_FORMATS, runFfmpeg } from './ffmpeg.ts';
import { probeAudio } from './probe.ts';

/**
 * Opus mono 48 kHz at ~40 kbit/s constrained VBR, in Ogg. Application "audio" rather than "voip":
 * at 40 kbit/s mono, Opus already codes speech cleanly in audio mode, while voip mode's
 * speech-only tuning (SILK-first, pre-emphasis) audibly hurts the jingles and music beds that
 * frame announcements; horn speakers favour neither.
 */
export const BROADCAST_FORMAT = {
  container: 'ogg',
  codec: 'libopus',
  extension: 'opus',
  mime: 'audio/ogg',
  sampleRate: 48000,
  channels: 1,
  bitrateKbps: 40,
} as const;

export interface TranscodeOptions {
  timeoutMs?: number;
  targetLufs?: number;
  truePeakDb?: number;
  onProgress?: (fraction: number) => void;
  signal?: AbortSignal;
}

export interface TranscodeResult {
  durationMs: number;
  loudness: { inputI: number; inputTp: number; outputI: number; outputTp: number };
}

/** Lossy coding lets peaks grow (~0.3-0.7 dB measured for Opus at 40k), so limit below the target. */
const CODEC_HEADROOM_DB = 1;
const LUFS_TOLERANCE = 0.25;
const MAX_ATTEMPTS = 4;

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

function encodeFilters(keep: { keepStart: number; keepEnd: number }, gainDb: number, ceilingDb: number) {
  const limit = clamp(10 ** (ceilingDb / 20), 0.0625, 1);
  return [
    'aformat=channel_layouts=mono',
    'asetpts=PTS-STARTPTS',
    `atrim=start=${keep.keepStart.toFixed(3)}:end=${keep.keepEnd.toFixed(3)}`,
    'asetpts=PTS-STARTPTS',
    `volume=${gainDb.toFixed(2)}dB`,
    // limit at 4x rate so inter-sample (true) peaks are caught, not just sample peaks
    'aresample=192000',
    `alimiter=limit=${limit.toFixed(4)}:attack=5:release=50:level=0`,
    `aresample=${BROADCAST_FORMAT.sampleRate}`,
  ].join(',');
}

/**
 * Loudness is set with a gain and a lookahead limiter, checked by measuring the encoded file and
 * corrected if needed. Not loudnorm's second pass: whenever peaks forbid its linear mode (most
 * speech at -16 LUFS / -1.5 dBTP) it falls back to dynamic mode, which on espeak speech landed at
 * -16.85 LUFS and -0.9 dBTP after Opus, and moved only 0.15 LU when its target was raised 0.85.
 */
export async function transcodeForBroadcast(
  paths: FfmpegPaths,
  input: string,
  output: string,
  opts: TranscodeOptions = {},
): Promise<TranscodeResult> {
  const target = opts.targetLufs ?? -16;
  const truePeak = opts.truePeakDb ?? -1.5;
  const deadline = Date.now() + (opts.timeoutMs ?? 10 * 60_000);
  const run = () => {
    const timeoutMs = deadline - Date.now();
    if (timeoutMs <= 0) throw new AudioError('timeout', `transcode of ${input} ran out of time`);
    return { timeoutMs, signal: opts.signal };
  };
  let reported = 0;
  const report = (fraction: number) => {
    if (fraction <= reported) return;
    reported = fraction;
    opts.onProgress?.(fraction);
  };
  const span = (from: number, to: number) => (f: number) => report(from + (to - from) * f);

  const src = await probeAudio(paths, input, run());
  const analysis = await analyse(paths, resolve(input), src.durationMs / 1000, run(), span(0, 0.3));
  const keptS = analysis.keepEnd - analysis.keepStart;
  const tmp = join(dirname(output), `.${basename(output)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    let gain = target - analysis.i;
    let ceiling = truePeak - CODEC_HEADROOM_DB;
    let prev: { gain: number; outI: number; ceiling: number } | null = null;
    let out: Loudness;
    let from = 0.3;
    for (let attempt = 1; ; attempt++) {
      const width = (0.99 - from) * 0.8;
      await runFfmpeg(
        paths,
        {
          input: resolve(input),
          inputOptions: ['-format_whitelist', INPUT_FORMATS],
          output: tmp,
          outputOptions: [
            ...['-map', '0:a:0', '-map_metadata', '-1', '-map_chapters', '-1'],
            ...['-af', encodeFilters(analysis, gain, ceiling)],
            ...['-c:a', BROADCAST_FORMAT.codec, '-b:a', `${BROADCAST_FORMAT.bitrateKbps}k`],
            ...['-vbr', 'constrained', '-application', 'audio'],
            ...['-ar', String(BROADCAST_FORMAT.sampleRate), '-ac', String(BROADCAST_FORMAT.channels)],
            ...['-f', BROADCAST_FORMAT.container],
          ],
        },
        { ...run(), onLine: timeProgress(keptS, span(from, from + width * 0.8)) },
      );
      out = await measureLoudness(paths, tmp, keptS, run(), span(from + width * 0.8, from + width));
      from += width;
      const offBy = target - out.i;
      if ((Math.abs(offBy) <= LUFS_TOLERANCE && out.tp <= truePeak) || attempt === MAX_ATTEMPTS) break;
      // the limiter swallows part of any added gain; estimate how much reaches the output
      const slope =
        prev && prev.ceiling === ceiling && prev.gain !== gain ? (out.i - prev.outI) / (gain - prev.gain) : 1;
      prev = { gain, outI: out.i, ceiling };
      if (out.tp > truePeak) ceiling -= out.tp - truePeak + 0.3;
      gain += offBy / clamp(slope, 0.2, 1);
    }
    const { durationMs } = await probeAudio(paths, tmp, run());
    await rename(tmp, output);
    report(1);
    return {
      durationMs,
      loudness: { inputI: analysis.i, inputTp: analysis.tp, outputI: out.i, outputTp: out.tp },
    };
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
