// Repeat and chime: a slot's or a bulletin's content read N times with a gap, opened and closed by a chime.
// The length here is the one the compiler, the precedence table, the controller's checks and the agent use.
import { z } from 'zod';

/** Stations read a notice two or three times; five is the most a form offers. */
export const MAX_REPEAT_TIMES = 5;
export const MAX_REPEAT_GAP_SECONDS = 120;

export const Repeat = z
  .object({
    times: z
      .number()
      .int('repeat.times must be a whole number')
      .min(1, 'repeat.times must be 1 to 5')
      .max(MAX_REPEAT_TIMES, 'repeat.times must be 1 to 5'),
    /** Silence between two readings (the amplifier stays on). */
    gapSeconds: z
      .number()
      .int('repeat.gapSeconds must be a whole number of seconds')
      .min(0, 'repeat.gapSeconds must be 0 to 120')
      .max(MAX_REPEAT_GAP_SECONDS, 'repeat.gapSeconds must be 0 to 120')
      .default(0),
  })
  .strict();
export type Repeat = z.infer<typeof Repeat>;

export const Chime = z
  .object({ before: z.boolean().default(false), after: z.boolean().default(false) })
  .strict();
export type Chime = z.infer<typeof Chime>;

/**
 * The built-in chime with its pause: two soft bell tones of 0.6 s (G5, E5) and 0.4 s of silence between it
 * and the content, as the text clips' chime (audio/speech/engines/wav.ts). The agent's chime file is made to
 * this length (edge-agent/playout/shape/), so that the compiler's length is what plays.
 */
export const CHIME_MS = 1600;

/** The optional fields a slot and a bulletin share: absent (or null) is once, without chime. */
export const PlayShapeFields = {
  repeat: Repeat.nullish(),
  chime: Chime.nullish(),
};

export interface PlayShape {
  repeat?: Repeat | null;
  chime?: Chime | null;
}

/** How many times the content plays (1 without repeat). */
export const timesOf = (s: PlayShape) => s.repeat?.times ?? 1;
const gapMsOf = (s: PlayShape) => (s.repeat && s.repeat.times > 1 ? s.repeat.gapSeconds * 1000 : 0);
const chimesMsOf = (s: PlayShape) => ((s.chime?.before ? 1 : 0) + (s.chime?.after ? 1 : 0)) * CHIME_MS;

/** Whether the shape changes anything: an entry carries it only then. */
export const shapes = (s: PlayShape) => timesOf(s) > 1 || s.chime?.before === true || s.chime?.after === true;

/** The fields an entry carries for its shape: none when it plays once without chime. */
export const shapeFields = (s: PlayShape): { repeat?: Repeat; chime?: Chime } =>
  shapes(s) ? { ...(s.repeat ? { repeat: s.repeat } : {}), ...(s.chime ? { chime: s.chime } : {}) } : {};

/** The sound of content lasting `contentMs`: times x content + (times - 1) x gap + the chimes. */
export const shapedMs = (contentMs: number, s: PlayShape) =>
  timesOf(s) * contentMs + (timesOf(s) - 1) * gapMsOf(s) + chimesMsOf(s);

/** The content's own length back from a shaped length (the inverse of shapedMs). */
export const contentMsOf = (soundMs: number, s: PlayShape) =>
  Math.max(0, (soundMs - chimesMsOf(s) - (timesOf(s) - 1) * gapMsOf(s)) / timesOf(s));

/**
 * How many readings were heard to their end after `heardMs` of the shaped sound: a cut in the middle of the
 * third reading (an emergency) counts two. `contentMs` is one reading's length.
 */
export function readingsHeard(heardMs: number, contentMs: number, s: PlayShape): number {
  const times = timesOf(s);
  if (contentMs <= 0) return 0;
  const before = s.chime?.before ? CHIME_MS : 0;
  // reading k (1-based) ends at before + k x content + (k - 1) x gap; a few ms of slack for rounding
  const k = Math.floor((heardMs - before + gapMsOf(s) + 20) / (contentMs + gapMsOf(s)));
  return Math.max(0, Math.min(times, k));
}

/** Layout of a shaped sound: the parts in order, for the agent to build its inputs. */
export type ShapePart = { kind: 'chime' } | { kind: 'content' } | { kind: 'gap'; ms: number };

export function shapeParts(s: PlayShape): ShapePart[] {
  const parts: ShapePart[] = s.chime?.before ? [{ kind: 'chime' }] : [];
  for (let i = 0; i < timesOf(s); i++) {
    if (i > 0 && gapMsOf(s) > 0) parts.push({ kind: 'gap', ms: gapMsOf(s) });
    parts.push({ kind: 'content' });
  }
  if (s.chime?.after) parts.push({ kind: 'chime' });
  return parts;
}
