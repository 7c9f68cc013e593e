// Turns any uploaded recording into the one broadcast format, loudness-normalised, stored atomically.
import { randomBytes } from 'node:crypto';
import { rename, rm } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { analyse, type Loudness } from './analyse.ts';
import { BROADCAST_FORMAT, encodeMeasured, OPUS_COMPLEXITY } from './encode.ts';
import { AudioError, type FfmpegPaths } from './ffmpeg.ts';
import { findGain, gainFilters } from './gain.ts';
import { probeAudio } from './probe.ts';

export { BROADCAST_FORMAT };

export interface TranscodeOptions {
  timeoutMs?: number;
  targetLufs?: number;
  truePeakDb?: number;
  onProgress?: (fraction: number) => void;
  signal?: AbortSignal;
  /**
   * Speech a speech engine made and this code wrote (a text clip): whole by construction, so not
   * decoded once more to check it, and coded at a lower Opus complexity (OPUS_COMPLEXITY). Uploads
   * leave it unset and keep every check.
   */
  speech?: boolean;
}

export interface TranscodeResult {
  durationMs: number;
  loudness: { inputI: number; inputTp: number; outputI: number; outputTp: number };
  /** how the target was reached, for benchmarks and logs */
  stats: { gainDb: number; probes: number; encodes: number };
}

/** Lossy coding lets peaks grow (~0.3-0.7 dB measured for Opus at 40k), so limit below the target. */
const CODEC_HEADROOM_DB = 1;
/**
 * At the speech complexity (OPUS_COMPLEXITY.speech) Opus let espeak-ng speech's peaks grow 1.7 dB
 * (1.0 at complexity 10): with the recordings' headroom every first encode came out over the peak limit
 * and was done again.
 */
const SPEECH_HEADROOM_DB = 1.8;
const LUFS_TOLERANCE = 0.25;
/**
 * Opus at 40 kbit/s came out 0.1-0.2 LU quieter than what went in, on speech, music, quiet and
 * clipped inputs alike (it drops some of the high band that K-weighting counts): the gain search aims
 * this much above the target, so one encode lands on it instead of needing a corrective second.
 */
const CODEC_LOUDNESS_BIAS = 0.15;
const MAX_ENCODES = 3;

const tempBeside = (output: string, tag: string) =>
  join(dirname(output), `.${basename(output)}.${randomBytes(6).toString('hex')}.${tag}.tmp`);

/**
 * Two passes over the sound, then one encode. (1) One decode measures loudness and edge silence
 * and writes a mono 48 kHz working copy. (2) The gain that reaches the target through the true-peak
 * limiter is searched on that copy with cheap loudness-only decodes. Then the Opus encode, measured
 * as it is written and corrected only if Opus moved it out of tolerance (rare: ~0.1 LU).
 * Not loudnorm's second pass: whenever peaks forbid its linear mode (most speech at -16 LUFS /
 * -1.5 dBTP) it falls back to dynamic mode, which on espeak speech landed at -16.85 LUFS and
 * -0.9 dBTP after Opus, and moved only 0.15 LU when its target was raised 0.85.
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
    if (timeoutMs <= 0) throw new AudioError('timeout', 'processing the recording took too long');
    return { timeoutMs, signal: opts.signal };
  };
  let reported = 0;
  const report = (fraction: number) => {
    if (fraction <= reported) return;
    reported = fraction;
    opts.onProgress?.(fraction);
  };
  const span = (from: number, to: number) => (f: number) => report(from + (to - from) * f);

  const src = await probeAudio(paths, input, { ...run(), verify: !opts.speech });
  const complexity = opts.speech ? OPUS_COMPLEXITY.speech : OPUS_COMPLEXITY.recording;
  const work = tempBeside(output, 'pcm');
  const tmp = tempBeside(output, 'opus');
  try {
    const analysis = await analyse(paths, resolve(input), src.durationMs / 1000, run(), span(0, 0.2), work);
    const keptS = analysis.keepEnd - analysis.keepStart;
    let ceiling = truePeak - (opts.speech ? SPEECH_HEADROOM_DB : CODEC_HEADROOM_DB);
    // how far past the ceiling the peaks would go at the plain gain: the limiter's share of the work
    const start = { gainDb: target - analysis.i, overshootDb: target - analysis.i + analysis.tp - ceiling };
    const aim = target + CODEC_LOUDNESS_BIAS;
    let search = await findGain(paths, work, analysis, start, aim, ceiling, run, span(0.2, 0.3));
    let probes = search.probes;
    let gain = search.gainDb;
    let out: Loudness;
    let from = 0.3;
    let encodes = 0;
    for (;;) {
      encodes++;
      const width = (0.99 - from) * (encodes < MAX_ENCODES ? 0.9 : 1);
      out = await encodeMeasured(
        paths,
        work,
        tmp,
        gainFilters(analysis, gain, ceiling, true),
        keptS,
        run(),
        span(from, from + width),
        complexity,
      );
      from += width;
      const offBy = target - out.i;
      if ((Math.abs(offBy) <= LUFS_TOLERANCE && out.tp <= truePeak) || encodes === MAX_ENCODES) break;
      if (out.tp > truePeak) {
        // a lower ceiling also lowers the loudness: search again from where we are
        ceiling -= out.tp - truePeak + 0.3;
        search = await findGain(paths, work, analysis, { ...search, overshootDb: 0 }, aim, ceiling, run);
        probes += search.probes;
        gain = search.gainDb;
      } else {
        gain += offBy / search.slope;
      }
    }
    // our own output, just written: its stated length is trusted, not decoded again
    const { durationMs } = await probeAudio(paths, tmp, { ...run(), verify: false });
    await rename(tmp, output);
    report(1);
    return {
      durationMs,
      loudness: { inputI: analysis.i, inputTp: analysis.tp, outputI: out.i, outputTp: out.tp },
      stats: { gainDb: gain, probes, encodes },
    };
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  } finally {
    await rm(work, { force: true });
  }
}
