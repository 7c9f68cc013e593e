// A repeated or chimed entry's sound: its clips read N times with silence between, the built-in chime before
// the first reading and after the last, as one list of inputs for the player (played as one sound, so the
// amplifier stays on through the gaps). The chime and the silences are WAV files made once and kept.
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { speechEngines } from '../../../audio/index.ts';
import type { ClipRef, TimetableEntry } from '../../../schedules/model.ts';
import { CHIME_MS, shapedMs, shapeParts, shapes } from '../../../schedules/repeat.ts';

/** The files' format: the broadcast's own rate, mono, 16-bit (the player resamples anything anyway). */
const FORMAT = { audioFormat: 1, channels: 1, sampleRate: 48_000, bitsPerSample: 16 } as const;
const BYTES_PER_MS = (FORMAT.sampleRate / 1000) * 2;

/** Made once per directory: the files do not change while the agent runs (a deleted one is made again). */
const made = new Set<string>();

function writeOnce(path: string, make: () => Buffer): string {
  if (made.has(path) && existsSync(path)) return path;
  mkdirSync(dirname(path), { recursive: true });
  const part = `${path}.${process.pid}.part`;
  writeFileSync(part, make());
  renameSync(part, path);
  made.add(path);
  return path;
}

/** Exactly `ms` of 16-bit PCM: the chime padded (or cut) to its length, or silence. */
const pcmOf = (data: Buffer, ms: number) => {
  const out = Buffer.alloc(Math.round(ms * BYTES_PER_MS));
  data.copy(out, 0, 0, Math.min(data.length, out.length));
  return speechEngines.writeWav([{ format: FORMAT, data: out }]);
};

/**
 * The sound files of a directory (beside the clip cache, never in it: its budget sweeps unknown files).
 * `chime()`: two soft bell tones and a pause, CHIME_MS long; `gap(ms)`: silence.
 */
export function soundFiles(dir: string) {
  return {
    chime: () =>
      writeOnce(join(dir, `chime-${CHIME_MS}.wav`), () => pcmOf(speechEngines.chime(FORMAT).data, CHIME_MS)),
    gap: (ms: number) => writeOnce(join(dir, `gap-${ms}.wav`), () => pcmOf(Buffer.alloc(0), ms)),
  };
}

/** The sounds directory beside the clip cache's (`<dataDir>/clips/x.opus` -> `<dataDir>/sounds`). */
export const soundsDirFor = (clipFile: string) => join(dirname(dirname(clipFile)), 'sounds');

/** The player's inputs for an entry: its clip files as they are, or shaped by its repeat and chime. */
export function shapedInputs(
  e: Pick<TimetableEntry, 'repeat' | 'chime'>,
  files: readonly string[],
): string[] {
  if (!shapes(e) || files.length === 0) return [...files];
  const sounds = soundFiles(soundsDirFor(files[0] as string));
  return shapeParts(e).flatMap((p) =>
    p.kind === 'content' ? files : p.kind === 'chime' ? [sounds.chime()] : [sounds.gap(p.ms)],
  );
}

/** The length of an entry's sound (ms): its clips' lengths, read as its shape says. */
export const soundMsOf = (e: TimetableEntry, clipRefs: ReadonlyMap<string, Pick<ClipRef, 'durationMs'>>) =>
  shapedMs(
    e.clipIds.reduce((ms, id) => ms + (clipRefs.get(id)?.durationMs ?? 0), 0),
    e,
  );
