// Repeat and chime (schedules/repeat.ts): a bulletin's shape, and the readings of each as-run record.
// A migration of controller/migrations.ts: no import of controller/db.ts here.

export const REPEAT_AND_CHIME = `
  -- a bulletin's {repeat, chime}; null when it plays once without chime (alerts/store.ts)
  ALTER TABLE alerts ADD COLUMN shape_json TEXT;
  -- a repeated record's readings planned and heard to their end; null when not repeated (plays/store.ts)
  ALTER TABLE plays ADD COLUMN repeat_planned INTEGER;
  ALTER TABLE plays ADD COLUMN repeat_played INTEGER;`;
