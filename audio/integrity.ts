// Whether an upload holds all the sound it says it holds: decoded whole, against the stream's own
// claims (the MP3 frame walk, the Ogg page walk, the WAV data size, the duration its container or
// tags state) and the decoder's own errors. Not size against a declared bitrate: a valid VBR file
// with long silences is small for its length, and a cut file's bitrate is whatever is left.
import { AudioError, type FfmpegPaths, INPUT_FORMATS, runFfmpegPiped } from './ffmpeg.ts';
import { streamClaims } from './frames/index.ts';

/** What the probe read of the file before decoding. */
export interface StatedLength {
  formatName: string;
  /** the container's duration, when it states one (not estimated from bitrate, not read off the end) */
  containerMs: number | null;
  /** an ID3 TLEN tag, in ms */
  tagMs: number | null;
}

export interface DecodeOptions {
  /** decoding stops just past this: a huge file only has to be decoded far enough to be refused */
  limitMs: number;
  timeoutMs: number;
  signal?: AbortSignal;
}

/** Formats whose duration ffprobe computes from the last timestamp in the file: no claim at all. */
const READ_OFF_THE_END = new Set(['ogg', 'mpegts', 'aac', 'amr', 'amrnb', 'amrwb']);

/** How far the decoded sound may fall short of the claim: encoder delay and padding, a frame or two. */
export const shortfallTolerance = (claimMs: number) => Math.max(250, claimMs * 0.01);

const clock = (ms: number) => {
  const s = Math.round(ms / 100) / 10;
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
};

/** The refusal of a file that stops before its sound does; refusal.ts knows it by "cut off". */
export const cutOff = (why: string, stderr = '') =>
  new AudioError(
    'corrupt',
    `the file looks cut off, as if its upload or copy did not finish: ${why}`,
    stderr,
  );

/** Decodes the first audio stream to nowhere: how long it is and every error the decoder printed. */
export async function decodeWhole(paths: FfmpegPaths, file: string, opts: DecodeOptions) {
  const errors: string[] = [];
  const limitS = opts.limitMs / 1000 + 1;
  const done = await runFfmpegPiped(
    paths,
    [
      ...['-v', 'error', '-nostats', '-format_whitelist', INPUT_FORMATS, '-i', file],
      ...['-map', '0:a:0', '-vn', '-t', String(limitS), '-f', 'null', '-progress', 'pipe:1', '-'],
    ],
    { timeoutMs: opts.timeoutMs, signal: opts.signal, onLine: (line) => line.trim() && errors.push(line) },
  ).catch((err: unknown) => {
    if (err instanceof AudioError && err.code === 'ffmpeg_failed')
      throw new AudioError('corrupt', 'the audio cannot be decoded', err.stderr);
    throw err;
  });
  const times = [...done.stdout.matchAll(/^out_time_us=(\d+)$/gm)].map((m) => Number(m[1]));
  return { decodedMs: (times.at(-1) ?? 0) / 1000, errors };
}

/**
 * Decodes `file` whole and refuses it as `corrupt` when it stops before its own claims say it should,
 * or when the decoder reports damage. Resolves with the decoded length in ms (capped near the limit).
 */
export async function checkWhole(
  paths: FfmpegPaths,
  file: string,
  stated: StatedLength,
  opts: DecodeOptions,
): Promise<number> {
  const [claims, { decodedMs, errors }] = await Promise.all([
    streamClaims(file, stated.formatName),
    decodeWhole(paths, file, opts),
  ]);
  const stderr = errors.slice(0, 5).join('\n');
  if (claims.cut) throw cutOff(claims.cut, stderr);
  const claim =
    claims.declaredS !== undefined
      ? { ms: claims.declaredS * 1000, by: claims.source ?? 'header' }
      : stated.containerMs !== null && !READ_OFF_THE_END.has(stated.formatName)
        ? { ms: stated.containerMs, by: 'header' }
        : stated.tagMs !== null
          ? { ms: stated.tagMs, by: 'length tag' }
          : null;
  // decoding stopped at the limit: the file is too long, whatever its claims
  const stopped = decodedMs >= opts.limitMs;
  if (claim && !stopped && claim.ms - decodedMs > shortfallTolerance(claim.ms))
    throw cutOff(
      `its sound stops at ${clock(decodedMs)} of the ${clock(claim.ms)} its ${claim.by} announces`,
      stderr,
    );
  // errors on junk after the last frame (a sloppy tagger, a bad download) leave the sound whole
  if (errors.length > 0 && !claims.junkAfter) {
    throw new AudioError(
      'corrupt',
      `the file looks damaged or incomplete: the decoder reported ${errors.length} error(s)`,
      stderr,
    );
  }
  return decodedMs;
}
