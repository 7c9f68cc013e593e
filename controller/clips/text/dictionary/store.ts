// The province's speech dictionary: its entries (written form, spoken form, who changed it and when) and
// the map the normaliser reads over its built-in abbreviations.
import type { Db } from '../../../db.ts';

export interface DictionaryEntry {
  written: string;
  spoken: string;
  changedBy: string | null;
  changedAt: string;
}

interface Row {
  written: string;
  spoken: string;
  changed_by: string | null;
  changed_at: string;
}

const entryOf = (r: Row): DictionaryEntry => ({
  written: r.written,
  spoken: r.spoken,
  changedBy: r.changed_by,
  changedAt: r.changed_at,
});

export const listEntries = (db: Db): DictionaryEntry[] =>
  (db.prepare('SELECT * FROM speech_dictionary ORDER BY written').all() as Row[]).map(entryOf);

export function getEntry(db: Db, written: string): DictionaryEntry | null {
  const r = db.prepare('SELECT * FROM speech_dictionary WHERE written = ?').get(written) as Row | undefined;
  return r ? entryOf(r) : null;
}

/** The province's entries as the normaliser takes them (over the built-in ones). */
export function provinceDictionary(db: Db): Record<string, string> {
  const rows = db.prepare('SELECT written, spoken FROM speech_dictionary').all() as Row[];
  return Object.fromEntries(rows.map((r) => [r.written, r.spoken]));
}

/** Adds or replaces an entry; `created` says whether it is new. */
export function putEntry(
  db: Db,
  e: { written: string; spoken: string },
  by: string | null,
  now: string,
): { entry: DictionaryEntry; created: boolean } {
  const created = getEntry(db, e.written) === null;
  db.prepare(
    `INSERT INTO speech_dictionary (written, spoken, changed_by, changed_at) VALUES (?, ?, ?, ?)
     ON CONFLICT(written) DO UPDATE SET spoken = excluded.spoken, changed_by = excluded.changed_by,
       changed_at = excluded.changed_at`,
  ).run(e.written, e.spoken, by, now);
  return { entry: getEntry(db, e.written) as DictionaryEntry, created };
}

/** Removes an entry; false when there was none. */
export const deleteEntry = (db: Db, written: string): boolean =>
  db.prepare('DELETE FROM speech_dictionary WHERE written = ?').run(written).changes > 0;

/** A word to add: spelled out letter by letter, or capitals left as written; in how many clips, last when. */
export interface Candidate {
  word: string;
  kind: 'spelled' | 'unknownCapital';
  clips: number;
  lastAt: string;
}

/**
 * Words recent text clips spelled letter by letter or left as unknown capitals (their notes), with how
 * many clips had each and the last time: the candidates for the dictionary. Words the province has
 * since added are left out.
 */
export function dictionaryCandidates(db: Db, limit = 200): Candidate[] {
  const rows = db
    .prepare('SELECT notes_json, created_at FROM clip_texts ORDER BY created_at DESC LIMIT ?')
    .all(limit) as { notes_json: string; created_at: string }[];
  const known = provinceDictionary(db);
  const found = new Map<string, Candidate>();
  for (const r of rows) {
    let notes: { spelled?: unknown; unknownCapitals?: unknown };
    try {
      notes = JSON.parse(r.notes_json) ?? {};
    } catch {
      continue;
    }
    const seen = new Set<string>();
    for (const [kind, list] of [
      ['spelled', notes.spelled],
      ['unknownCapital', notes.unknownCapitals],
    ] as const) {
      if (!Array.isArray(list)) continue;
      for (const w of list) {
        if (typeof w !== 'string' || w in known || seen.has(w)) continue;
        seen.add(w);
        const had = found.get(w);
        if (had) had.clips++;
        else found.set(w, { word: w, kind, clips: 1, lastAt: r.created_at });
      }
    }
  }
  return [...found.values()].sort((a, b) => b.clips - a.clips || a.word.localeCompare(b.word));
}
