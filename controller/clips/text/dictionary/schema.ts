// The migration of the province's own speech dictionary (../../../migrations.ts): written form to spoken
// form, who changed each entry last and when. One table for the whole controller (one province).
export const SPEECH_DICTIONARY = `CREATE TABLE speech_dictionary (
       written TEXT PRIMARY KEY,
       spoken TEXT NOT NULL,
       changed_by TEXT,
       changed_at TEXT NOT NULL
     );`;
