// Generates real audio files for tests with ffmpeg's lavfi sources.
import { execFileSync } from 'node:child_process';
import { resolveFfmpeg } from '../../audio/ffmpeg.ts';

/** A tone of `seconds` with a little silence around it, encoded by the extension of `out`. */
export function makeTone(out: string, seconds: number, extra: string[] = []): string {
  const { ffmpeg } = resolveFfmpeg(process.env);
  execFileSync(
    ffmpeg,
    [
      '-v',
      'error',
      '-y',
      '-f',
      'lavfi',
      '-i',
      `sine=frequency=660:duration=${seconds}:sample_rate=44100`,
      ...extra,
      out,
    ],
    { stdio: 'pipe' },
  );
  return out;
}
