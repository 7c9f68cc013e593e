// Measuring passes for the transcoder: loudness (EBU R128) and leading/trailing silence.
import { AudioError, type FfmpegPaths, INPUT_FORMATS, type RunOptions, runFfmpeg } from './ffmpeg.ts';
import { parseTimeSeconds } from './probe.ts';

export interface Loudness {
  /** integrated loudness, LUFS (-Infinity for silence) */
  i: number;
  /** true peak, dBTP */
  tp: number;
}

export interface Analysis extends Loudness {
  /** the section worth keeping, in seconds from the first sample */
  keepStart: number;
  keepEnd: number;
}

/**
 * Quieter than this counts as silence. An absolute level, so a very quiet recording may lose a
 * soft first or last syllable; only the edges are ever cut, never pauses inside the speech.
 */
const SILENCE_DB = -50;
/** Quiet shorter than this is left alone. */
const SILENCE_MIN_S = 0.25;
/** Kept either side of the sound, so onsets and decays are not clipped hard. */
const KEEP_MARGIN_S = 0.15;

/**
 * Reads the summary the ebur128 filter prints when torn down. ebur128 rather than loudnorm as the
 * meter: same BS.1770 measurement, but loudnorm resamples everything to 192 kHz and ran 4-5x slower.
 */
export function ebur128Collector(opts: { peak?: boolean } = {}) {
  const peak = opts.peak ?? true;
  let inSummary = false;
  let i: number | null = null;
  let tp: number | null = null;
  const value = (v: string) => (v === '-inf' ? Number.NEGATIVE_INFINITY : Number(v));
  return {
    // without peak=true the meter skips its 4x oversampling: about twice as fast
    filter: peak ? 'ebur128=peak=true:framelog=verbose' : 'ebur128=framelog=verbose',
    onLine(line: string) {
      if (/\] Summary:/.test(line)) inSummary = true;
      if (!inSummary) return;
      const m = /^\s*(I|Peak):\s+(-inf|-?[\d.]+) (LUFS|dBFS)/.exec(line);
      if (m?.[1] === 'I' && m[2]) i ??= value(m[2]);
      if (m?.[1] === 'Peak' && m[2]) tp ??= value(m[2]);
    },
    result(): Loudness {
      if (i === null || (peak && tp === null))
        throw new AudioError('ffmpeg_failed', 'ebur128 printed no measurement');
      // -70 LUFS is the absolute gate: nothing above it, i.e. silence
      return { i: i <= -70 ? Number.NEGATIVE_INFINITY : i, tp: tp ?? Number.NaN };
    },
  };
}

/** Reports `time=` progress of one pass as a 0..1 fraction of the expected length. */
export function timeProgress(expectedS: number, report?: (fraction: number) => void) {
  return (line: string) => {
    const t = parseTimeSeconds(line);
    if (t !== null && expectedS > 0 && report) report(Math.min(1, Math.max(0, t / expectedS)));
  };
}

/** Integrated loudness and true peak of a whole file, as decoded. */
export async function measureLoudness(
  paths: FfmpegPaths,
  file: string,
  expectedS: number,
  run: Omit<RunOptions, 'onLine'>,
  report?: (fraction: number) => void,
): Promise<Loudness> {
  const loud = ebur128Collector();
  const progress = timeProgress(expectedS, report);
  await runFfmpeg(
    paths,
    {
      input: file,
      output: '-',
      outputOptions: ['-map', '0:a:0', '-af', loud.filter, '-f', 'null'],
    },
    {
      ...run,
      onLine: (line) => {
        loud.onLine(line);
        progress(line);
      },
    },
  );
  return loud.result();
}

/** The working copy every later pass reads: mono 48 kHz float, so no pass decodes the upload again. */
export const WORK_PCM = { sampleRate: 48000, options: ['-c:a', 'pcm_f32le', '-ar', '48000', '-f', 'wav'] };

/**
 * One decode of the upload: loudness of the mono downmix plus where sound starts and stops.
 * silencedetect + atrim instead of silenceremove/areverse: areverse buffers the whole recording
 * in memory and emits nothing until the end, which would also freeze progress reporting.
 * With `pcmOut`, the same decode also writes the mono downmix there (see WORK_PCM).
 */
export async function analyse(
  paths: FfmpegPaths,
  input: string,
  expectedS: number,
  run: Omit<RunOptions, 'onLine'>,
  report?: (fraction: number) => void,
  pcmOut?: string,
): Promise<Analysis> {
  const loud = ebur128Collector();
  const progress = timeProgress(expectedS, report);
  const silences: { start: number; end: number | null }[] = [];
  let total = 0;
  await runFfmpeg(
    paths,
    {
      input,
      inputOptions: ['-format_whitelist', INPUT_FORMATS],
      output: pcmOut ?? '-',
      outputOptions: [
        ...['-map', '0:a:0', '-map_metadata', '-1', '-af'],
        [
          'aformat=channel_layouts=mono',
          'asetpts=PTS-STARTPTS',
          `silencedetect=noise=${SILENCE_DB}dB:duration=${SILENCE_MIN_S}`,
          loud.filter,
        ].join(','),
        ...(pcmOut ? WORK_PCM.options : ['-f', 'null']),
      ],
    },
    {
      ...run,
      onLine: (line) => {
        loud.onLine(line);
        progress(line);
        total = parseTimeSeconds(line) ?? total;
        const start = /silence_start: (-?[\d.e+-]+)/.exec(line);
        if (start) silences.push({ start: Number(start[1]), end: null });
        const end = /silence_end: (-?[\d.e+-]+)/.exec(line);
        const open = silences.at(-1);
        if (end && open) open.end = Number(end[1]);
      },
    },
  );
  const { i, tp } = loud.result();
  let soundStart = 0;
  let soundEnd = total;
  const first = silences[0];
  if (first && first.start <= 0.05) soundStart = first.end ?? total;
  const last = silences.at(-1);
  // silencedetect closes a silence still open at end of stream itself (ffmpeg >= 4.x), or leaves it open
  if (last && last.start > soundStart && (last.end === null || last.end >= total - 0.05))
    soundEnd = last.start;
  if (soundEnd - soundStart < 0.05 || !Number.isFinite(i)) {
    throw new AudioError('empty', 'the recording contains only silence');
  }
  return {
    i,
    tp,
    keepStart: Math.max(0, soundStart - KEEP_MARGIN_S),
    keepEnd: Math.min(total, soundEnd + KEEP_MARGIN_S),
  };
}
