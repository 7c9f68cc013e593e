// The live_sessions table: who spoke, to which targets and stations, from when to when, and how it ended.
// Schema 13 of controller/migrations.ts: with the relays' heard seconds in the as-run log.
import type Database from 'better-sqlite3';
import { PLAYS_HEARD } from '../plays/rollup.ts';

export const LIVE_SESSIONS = `CREATE TABLE live_sessions (
     id TEXT PRIMARY KEY,
     level TEXT NOT NULL CHECK (level IN ('normal', 'priority', 'emergency')),
     title TEXT NOT NULL,
     reason TEXT NOT NULL,
     targets_json TEXT NOT NULL,
     station_ids_json TEXT NOT NULL,
     ignore_quiet_windows INTEGER NOT NULL,
     speaker TEXT NOT NULL,
     mount TEXT NOT NULL,
     opened_at TEXT NOT NULL,
     first_audio_at TEXT,
     ended_at TEXT,
     end_reason TEXT,
     end_detail TEXT,
     bytes INTEGER NOT NULL DEFAULT 0
   );
   CREATE INDEX live_sessions_opened ON live_sessions(opened_at);`;

/**
 * Schema 13: the seconds heard of relays and live sessions in the as-run log, and the live sessions' table
 * (a session's bulletin, once published, is the alerts row of the same id).
 */
export function migrateRelaysAndLive(db: Database.Database): void {
  db.exec(PLAYS_HEARD);
  db.exec(LIVE_SESSIONS);
}
