// One Opus encode, measured while it runs: a second ffmpeg decodes the encoder's output on the other core.
import { createWriteStream } from 'node:fs';
import { PassThrough } from 'node:stream';
import { finished } from 'node:stream/promises';
import { ebur128Collector, type Loudness, timeProgress } from './analyse.ts';
import { type FfmpegPaths, type RunOptions, runFfmpegPiped } from './ffmpeg.ts';

/**
 * Opus mono 48 kHz at ~40 kbit/s constrained VBR, in Ogg. Application "audio" rather than "voip":
 * at 40 kbit/s mono, Opus already codes speech cleanly in audio mode, while voip mode's
 * speech-only tuning (SILK-first, pre-emphasis) audibly hurts the jingles and music beds that
 * frame announcements; horn speakers favour neither. 40 kbit/s is 18 MB an hour: a 3-minute clip is
 * under 1 MB, a minute or two on a weak 3G link. Constrained VBR keeps the rate near 40k.
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

const F = BROADCAST_FORMAT;
/**
 * libopus's effort, 0-10 (10, its default, for recordings). Speech from an engine is coded at 5:
 * encoding 7 minutes of espeak-ng speech alone took 1.6 s instead of 6-7 s (by hand, load 2), the
 * encoder being the pipeline's longest stage; below 7 libopus skips its speech/music analysis, which engine speech does
 * not need. Its cost, measured: test/bench/RESULTS.md ("Text to speech") and docs/speech.md.
 */
export const OPUS_COMPLEXITY = { recording: 10, speech: 5 } as const;
const encodeArgs = (complexity: number) => [
  ...['-c:a', F.codec, '-b:a', `${F.bitrateKbps}k`, '-vbr', 'constrained', '-application', 'audio'],
  ...['-compression_level', String(complexity)],
  ...['-ar', String(F.sampleRate), '-ac', String(F.channels), '-f', F.container],
];

/** Raw PCM between the filter process and the encoder: mono 48 kHz float, nothing to parse. */
const PCM = ['-f', 'f32le', '-ar', String(F.sampleRate), '-ac', '1'];

/**
 * Encodes `work` through `filters` into `file` and returns the loudness of what was written. Three
 * processes in a pipe, so the two cores share the work: filters (gain, 4x-rate limiter) -> Opus
 * encoder -> the Ogg stream to the file and, at once, to a meter. The encoder alone is the longest
 * stage; run one after the other the three took 40% longer, and measuring afterwards 15% more again.
 */
export async function encodeMeasured(
  paths: FfmpegPaths,
  work: string,
  file: string,
  filters: string,
  expectedS: number,
  run: Omit<RunOptions, 'onLine'>,
  report?: (fraction: number) => void,
  complexity: number = OPUS_COMPLEXITY.recording,
): Promise<Loudness> {
  // any process failing stops the others: nothing would come of the survivors' work
  const stop = new AbortController();
  const signal = run.signal ? AbortSignal.any([run.signal, stop.signal]) : stop.signal;
  const pcm = new PassThrough();
  const encoded = new PassThrough();
  const toMeter = new PassThrough();
  const sink = createWriteStream(file);
  encoded.pipe(sink);
  encoded.pipe(toMeter);
  const loud = ebur128Collector();
  const encoder = encodeArgs(complexity);
  const jobs = [
    runFfmpegPiped(paths, ['-i', work, '-map', '0:a:0', '-af', filters, ...PCM, 'pipe:1'], {
      ...run,
      signal,
      stdout: pcm,
      onLine: timeProgress(expectedS, report),
    }),
    runFfmpegPiped(paths, [...PCM, '-i', 'pipe:0', '-map_metadata', '-1', ...encoder, 'pipe:1'], {
      ...run,
      signal,
      stdin: pcm,
      stdout: encoded,
    }),
    runFfmpegPiped(paths, ['-f', 'ogg', '-i', 'pipe:0', '-af', loud.filter, '-f', 'null', '-'], {
      ...run,
      signal,
      stdin: toMeter,
      onLine: loud.onLine,
    }),
    finished(sink),
  ];
  try {
    await Promise.all(jobs);
  } catch (err) {
    stop.abort();
    for (const s of [pcm, encoded, toMeter, sink]) s.destroy();
    await Promise.allSettled(jobs); // no process outlives the call
    throw err;
  }
  return loud.result();
}
