// A clip from text: read (normalised), spoken (the speaker, with fallback), then admitted like an
// upload of the WAV file it made (probe, dedup, the broadcast pipeline, review), its text kept beside it.
import { randomBytes } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { speech, speechEngines } from '../../../audio/index.ts';
import { sha256File } from '../../../common/hash.ts';
import type { ControllerDeps } from '../../deps.ts';
import type { Principal } from '../../users/roles.ts';
import type { Admission } from '../admit.ts';
import { tmpDirOf } from '../files.ts';
import { type ClipRow, getClip } from '../store.ts';
import { provinceDictionary } from './dictionary/store.ts';
import { invalidText, textRefusal } from './refusal.ts';
import { type ClipText, insertClipText } from './store.ts';

/** What a preview may read: a few sentences to listen to, not the whole notice. */
export const PREVIEW_MAX_CHARS = 2000;
export const DEFAULT_VOICE = 'espeak-ng:vi';

const Chime = z.strictObject({ before: z.boolean().default(false), after: z.boolean().default(false) });
const Reading = {
  // the length limit is the normaliser's (its refusal says it in both languages)
  text: z.string(),
  voice: z.string().trim().min(1).max(100).default(DEFAULT_VOICE),
  speed: z.number().min(0.5).max(2).default(1),
  chime: Chime.default({ before: false, after: false }),
};
export const TextClipBody = z.strictObject({
  title: z.string().trim().min(1).max(200),
  ...Reading,
  /** the clip this one is a new version of (its text edited) */
  replaces: z.string().min(1).max(100).optional(),
});
export const PreviewBody = z.strictObject(Reading);
export type TextClipInput = z.infer<typeof TextClipBody>;
export type PreviewInput = z.infer<typeof PreviewBody>;

export function parseBody<T>(schema: z.ZodType<T>, raw: unknown): T {
  const r = schema.safeParse(raw);
  if (!r.success) throw invalidText(r.error);
  return r.data;
}

export interface Read {
  normalised: { spoken: string; notes: speech.ReadingNotes };
  spoken: speechEngines.Spoken;
}

/** Normalised (with the voice's regional number words) and spoken; refusals as HttpErrors. */
export async function readAloud(
  speaker: speechEngines.Speaker,
  input: PreviewInput,
  dictionary: speech.Dictionary,
  maxLength?: number,
): Promise<Read> {
  try {
    const voice = speaker.findVoice(input.voice);
    if (!voice) throw new speechEngines.UnknownVoiceError(input.voice);
    const normalised = speech.normaliseVietnamese(input.text, {
      numberWords: voice.region === 'south' ? speech.SOUTHERN : speech.NORTHERN,
      dictionary,
      maxLength,
    });
    const spoken = await speaker.speak({
      text: normalised.spoken,
      voice: voice.id,
      speed: input.speed,
      chime: input.chime,
    });
    return { normalised, spoken };
  } catch (e) {
    throw textRefusal(e);
  }
}

export const textOf = (input: TextClipInput, read: Read): ClipText => ({
  text: input.text,
  spoken: read.normalised.spoken,
  voice: read.spoken.asked.id,
  spokenBy: read.spoken.spokenBy.id,
  engine: read.spoken.spokenBy.engine,
  speed: input.speed,
  chime: input.chime,
  fallbacks: read.spoken.fallbacks,
  notes: read.normalised.notes,
  replaces: input.replaces ?? null,
});

/**
 * The text spoken and admitted: 201 (waited) or 202 with a new clip, or 200 with the clip these
 * exact sounds made before. Nothing is stored when reading, speaking or probing is refused; a clip
 * whose processing fails while its maker waits goes with its text (as a waiting upload's does).
 */
export async function admitText(
  deps: Pick<ControllerDeps, 'db' | 'config' | 'clock' | 'log'>,
  admission: Admission,
  speaker: speechEngines.Speaker,
  input: TextClipInput,
  principal: Principal | null,
  wait: boolean,
): Promise<{ status: 200 | 201 | 202; row: ClipRow }> {
  const { db, config, clock, log } = deps;
  if (input.replaces) getClip(db, input.replaces); // 404 when it does not exist
  const read = await readAloud(speaker, input, provinceDictionary(db));
  for (const f of read.spoken.fallbacks)
    log.warn(`text clip "${input.title}": ${f.engine} failed (${f.code}): ${f.message}`);
  const file = path.join(tmpDirOf(config.dataDir), `text-${randomBytes(6).toString('hex')}.wav`);
  let admitted: { row: ClipRow; fresh: boolean };
  try {
    await writeFile(file, read.spoken.wav);
    const received = {
      path: file,
      bytes: read.spoken.wav.length,
      sha256: await sha256File(file),
      originalName: `${read.spoken.spokenBy.id.replace(':', '-')}.wav`,
      declaredType: 'audio/wav',
      title: input.title,
      madeHere: true,
    };
    admitted = await admission.admit(received, principal, wait);
  } catch (e) {
    await rm(file, { force: true });
    throw e;
  }
  if (!admitted.fresh) await rm(file, { force: true });
  else insertClipText(db, admitted.row.id, textOf(input, read), clock.now().toISOString());
  if (!wait) return { status: admitted.fresh ? 202 : 200, row: admitted.row };
  const row = await admission.outcome(admitted.row.id);
  return { status: admitted.fresh ? 201 : 200, row };
}
