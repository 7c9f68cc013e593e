// Finds the gain that brings a recording to the loudness target through the true-peak limiter, cheaply.
import { ebur128Collector } from './analyse.ts';
import { type FfmpegPaths, type RunOptions, runFfmpeg } from './ffmpeg.ts';

export interface Keep {
  keepStart: number;
  keepEnd: number;
}

export interface GainSearch {
  gainDb: number;
  /** output loudness per dB of gain near the solution: below 1 where the limiter bites */
  slope: number;
  probes: number;
}

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

/** ebur128 prints to 0.1 LU, so this means "prints the target"; the encode then adds its own small shift. */
const PROXY_TOLERANCE_LU = 0.05;
const MAX_ROUNDS = 4;
const MIN_SLOPE_SPAN_DB = 0.3;

/**
 * Trim, gain and lookahead limiter. `oversample` runs the limiter at 4x rate so inter-sample (true)
 * peaks are caught too; the loudness search leaves it out: limiting at 48 kHz changes the loudness by
 * under 0.05 LU but runs 2.5x faster.
 */
export function gainFilters(keep: Keep, gainDb: number, ceilingDb: number, oversample: boolean): string {
  const limit = clamp(10 ** (ceilingDb / 20), 0.0625, 1);
  return [
    `atrim=start=${keep.keepStart.toFixed(3)}:end=${keep.keepEnd.toFixed(3)}`,
    'asetpts=PTS-STARTPTS',
    `volume=${gainDb.toFixed(3)}dB`,
    ...(oversample ? ['aresample=192000'] : []),
    `alimiter=limit=${limit.toFixed(4)}:attack=5:release=50:level=0`,
    ...(oversample ? ['aresample=48000'] : []),
  ].join(',');
}

/** Integrated loudness of the working copy after gain and limiter, without encoding anything. */
async function proxyLoudness(
  paths: FfmpegPaths,
  work: string,
  keep: Keep,
  gainDb: number,
  ceilingDb: number,
  run: () => Omit<RunOptions, 'onLine'>,
): Promise<number> {
  const loud = ebur128Collector({ peak: false });
  await runFfmpeg(
    paths,
    {
      input: work,
      output: '-',
      outputOptions: ['-af', `${gainFilters(keep, gainDb, ceilingDb, false)},${loud.filter}`, '-f', 'null'],
    },
    { ...run(), onLine: loud.onLine },
  );
  return loud.result().i;
}

interface Point {
  gain: number;
  out: number;
}

/**
 * Output loudness per dB of gain near `gain`, from the pair of probes closest to it that are far
 * enough apart: ebur128 prints loudness to 0.1 LU, so probes 0.1 dB apart give no usable slope.
 */
function localSlope(points: Point[], gain: number, fallback: number): number {
  let best: { slope: number; distance: number } | null = null;
  for (const [i, a] of points.entries()) {
    for (const b of points.slice(i + 1)) {
      if (Math.abs(a.gain - b.gain) < MIN_SLOPE_SPAN_DB) continue;
      const distance = Math.abs((a.gain + b.gain) / 2 - gain);
      if (!best || distance < best.distance) best = { slope: (a.out - b.out) / (a.gain - b.gain), distance };
    }
  }
  return clamp(best?.slope ?? fallback, 0.05, 1);
}

const byError = (target: number) => (a: Point, b: Point) =>
  Math.abs(target - a.out) - Math.abs(target - b.out);

/** The next gain to try: inside the tightest bracket if there is one, else along the local slope. */
function nextGain(points: Point[], target: number, slope: number): number {
  const below = points.filter((p) => p.out < target).sort((a, b) => b.out - a.out)[0];
  const above = points.filter((p) => p.out > target).sort((a, b) => a.out - b.out)[0];
  if (below && above && above.gain > below.gain) {
    return below.gain + ((target - below.out) * (above.gain - below.gain)) / (above.out - below.out);
  }
  const nearest = [...points].sort(byError(target))[0] as Point;
  return nearest.gain + (target - nearest.out) / localSlope(points, nearest.gain, slope);
}

/**
 * Output loudness rises monotonically with gain: slope 1 until the limiter starts to bite, less
 * after. Probes run two at a time (two cores): the first round tries the plain gain and one that
 * expects the limiter to swallow part of it, later rounds the interpolated gain and a step beyond
 * it, so the root is bracketed. Music needs one probe, speech usually two rounds. Each probe is one
 * loudness-only decode of the working copy, far cheaper than an encode-and-measure round.
 */
export async function findGain(
  paths: FfmpegPaths,
  work: string,
  keep: Keep,
  start: { gainDb: number; slope?: number; overshootDb?: number },
  targetLufs: number,
  ceilingDb: number,
  run: () => Omit<RunOptions, 'onLine'>,
  report?: (fraction: number) => void,
): Promise<GainSearch> {
  const points: Point[] = [];
  const slope = start.slope ?? 1;
  const overshoot = start.overshootDb ?? 0;
  let gains =
    overshoot > 0.5 ? [start.gainDb, start.gainDb + clamp(0.6 * overshoot, 0.5, 12)] : [start.gainDb];
  for (let round = 1; round <= MAX_ROUNDS; round++) {
    const outs = await Promise.all(gains.map((g) => proxyLoudness(paths, work, keep, g, ceilingDb, run)));
    points.push(...gains.map((gain, i) => ({ gain, out: outs[i] as number })));
    report?.(round / MAX_ROUNDS);
    const best = [...points].sort(byError(targetLufs))[0];
    if (!best || !Number.isFinite(best.out)) break;
    if (Math.abs(targetLufs - best.out) <= PROXY_TOLERANCE_LU) break;
    const next = nextGain(points, targetLufs, slope);
    const step = next - best.gain;
    gains = Math.abs(step) > 0.2 ? [next, next + step / 2] : [next];
  }
  const best = [...points].sort(byError(targetLufs))[0];
  const gainDb = best?.gain ?? start.gainDb;
  return { gainDb, slope: localSlope(points, gainDb, slope), probes: points.length };
}
