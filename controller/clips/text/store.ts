// The text a clip was spoken from, kept beside its audio: what was written, what was read, by whom.
import type { speechEngines } from '../../../audio/index.ts';
import type { Db } from '../../db.ts';

export interface ClipText {
  text: string;
  spoken: string;
  voice: string;
  spokenBy: string;
  engine: string;
  speed: number;
  chime: { before: boolean; after: boolean };
  fallbacks: speechEngines.Fallback[];
  notes: unknown;
  replaces: string | null;
}

interface Row {
  text: string;
  spoken: string;
  voice: string;
  spoken_by: string;
  engine: string;
  speed: number;
  chime_before: number;
  chime_after: number;
  fallbacks_json: string;
  notes_json: string;
  replaces: string | null;
}

export function insertClipText(db: Db, clipId: string, t: ClipText, now: string): void {
  db.prepare(
    `INSERT INTO clip_texts (clip_id, text, spoken, voice, spoken_by, engine, speed, chime_before, chime_after,
       fallbacks_json, notes_json, replaces, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    clipId,
    t.text,
    t.spoken,
    t.voice,
    t.spokenBy,
    t.engine,
    t.speed,
    t.chime.before ? 1 : 0,
    t.chime.after ? 1 : 0,
    JSON.stringify(t.fallbacks),
    JSON.stringify(t.notes),
    t.replaces,
    now,
  );
}

/** The text of a clip made from text; null for a recorded one. */
export function clipText(db: Db, clipId: string): ClipText | null {
  const r = db.prepare('SELECT * FROM clip_texts WHERE clip_id = ?').get(clipId) as Row | undefined;
  if (!r) return null;
  return {
    text: r.text,
    spoken: r.spoken,
    voice: r.voice,
    spokenBy: r.spoken_by,
    engine: r.engine,
    speed: r.speed,
    chime: { before: r.chime_before === 1, after: r.chime_after === 1 },
    fallbacks: JSON.parse(r.fallbacks_json),
    notes: JSON.parse(r.notes_json),
    replaces: r.replaces,
  };
}

/** The clips made as new versions of this one (newest last). */
export const replacedBy = (db: Db, clipId: string) =>
  (
    db.prepare('SELECT clip_id FROM clip_texts WHERE replaces = ? ORDER BY created_at').all(clipId) as {
      clip_id: string;
    }[]
  ).map((r) => r.clip_id);

/** A clip's view with its text (null for a recording) and the clips made as its new versions. */
export const withText = <V extends { id: string }>(db: Db, view: V) => ({
  ...view,
  text: clipText(db, view.id),
  replacedBy: replacedBy(db, view.id),
});
