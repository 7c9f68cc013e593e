// The migration of text clips (db.ts): each text clip's text, its spoken form and who spoke it, beside the
// clip and removed with it.
export const CLIP_TEXTS = `CREATE TABLE clip_texts (
       clip_id TEXT PRIMARY KEY REFERENCES clips(id) ON DELETE CASCADE,
       text TEXT NOT NULL,
       spoken TEXT NOT NULL,
       voice TEXT NOT NULL,
       spoken_by TEXT NOT NULL,
       engine TEXT NOT NULL,
       speed REAL NOT NULL,
       chime_before INTEGER NOT NULL,
       chime_after INTEGER NOT NULL,
       fallbacks_json TEXT NOT NULL,
       notes_json TEXT NOT NULL,
       replaces TEXT,
       created_at TEXT NOT NULL
     );
     CREATE INDEX clip_texts_replaces ON clip_texts(replaces) WHERE replaces IS NOT NULL;`;
