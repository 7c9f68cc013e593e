// The controller's schema, one forward-only migration at a time: SQL, or a function for a migration that
// rewrites stored data. Never change one that has shipped (test/controller/schemas/upgrade.test.ts).

import type Database from 'better-sqlite3';
import { CAP_ALERTS } from './alerts/cap/schema.ts';
import { CAP_FEEDS } from './alerts/cap-feed/schema.ts';
import { REPEAT_AND_CHIME } from './alerts/repeat-schema.ts';
import { migrateToAreaTree } from './areas/migrate.ts';
import { SPEECH_DICTIONARY } from './clips/text/dictionary/schema.ts';
import { CLIP_TEXTS } from './clips/text/schema.ts';
import { migrateRelaysAndLive } from './live/migration.ts';
import { STATION_ROOTS } from './mqtt/protocols.ts';
import { NATIONAL_TABLES } from './national/schema.ts';
import { createSummaries } from './plays/rollup.ts';
import { PROVINCE_TABLES } from './province/schema.ts';
import { ASRUN_CHAIN } from './signing/schema.ts';
export const migrations: (string | ((db: Database.Database) => void))[] = [
  `CREATE TABLE users (
     id INTEGER PRIMARY KEY,
     username TEXT NOT NULL UNIQUE,
     password_hash TEXT NOT NULL,
     role TEXT NOT NULL CHECK (role IN ('admin', 'technician', 'reviewer', 'ward', 'viewer')),
     created_at TEXT NOT NULL
   );
   CREATE TABLE api_tokens (
     token_hash TEXT PRIMARY KEY,
     user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
     expires_at TEXT NOT NULL,
     created_at TEXT NOT NULL
   );
   CREATE TABLE stations (
     id TEXT PRIMARY KEY,
     name TEXT NOT NULL,
     district TEXT NOT NULL,
     ward TEXT NOT NULL,
     timezone TEXT NOT NULL,
     secret_hash TEXT NOT NULL UNIQUE,
     desired_version INTEGER NOT NULL DEFAULT 0,
     desired_hash TEXT,
     online INTEGER NOT NULL DEFAULT 0,
     presence_at TEXT,
     health_json TEXT,
     created_at TEXT NOT NULL
   );
   CREATE TABLE clips (
     id TEXT PRIMARY KEY,
     title TEXT NOT NULL,
     original_name TEXT NOT NULL,
     source_format TEXT NOT NULL,
     sha256 TEXT NOT NULL,
     bytes INTEGER NOT NULL,
     duration_ms INTEGER NOT NULL,
     loudness_in REAL,
     loudness_out REAL,
     true_peak_out REAL,
     created_at TEXT NOT NULL
   );
   CREATE TABLE campaigns (
     id TEXT PRIMARY KEY,
     name TEXT NOT NULL,
     message TEXT NOT NULL,
     start_date TEXT NOT NULL,
     end_date TEXT NOT NULL,
     created_at TEXT NOT NULL
   );
   CREATE TABLE slots (
     id TEXT PRIMARY KEY,
     campaign_id TEXT REFERENCES campaigns(id) ON DELETE CASCADE,
     body TEXT NOT NULL,
     created_at TEXT NOT NULL
   );
   CREATE TABLE slot_clips (
     slot_id TEXT NOT NULL REFERENCES slots(id) ON DELETE CASCADE,
     position INTEGER NOT NULL,
     clip_id TEXT NOT NULL REFERENCES clips(id) ON DELETE RESTRICT,
     PRIMARY KEY (slot_id, position)
   );
   CREATE INDEX slot_clips_clip ON slot_clips(clip_id);
   CREATE TABLE quiet_windows (
     id TEXT PRIMARY KEY,
     body TEXT NOT NULL,
     created_at TEXT NOT NULL
   );
   CREATE TABLE plays (
     id TEXT NOT NULL,
     station_id TEXT NOT NULL,
     entry_id TEXT NOT NULL,
     slot_id TEXT,
     campaign_id TEXT,
     clip_ids TEXT NOT NULL,
     scheduled_at TEXT NOT NULL,
     outcome TEXT NOT NULL,
     reason TEXT,
     detail TEXT,
     relay_on_at TEXT,
     audio_start_at TEXT,
     audio_end_at TEXT,
     relay_off_at TEXT,
     desired_version INTEGER NOT NULL,
     recorded_at TEXT NOT NULL,
     received_at TEXT NOT NULL,
     PRIMARY KEY (station_id, id)
   );
   CREATE INDEX plays_scheduled ON plays(scheduled_at);
   CREATE INDEX plays_campaign ON plays(campaign_id, scheduled_at);`,
  // Security: people's area scope, an audit trail, station enrolment and a broker-format secret hash.
  `ALTER TABLE users ADD COLUMN districts TEXT NOT NULL DEFAULT '[]';
   ALTER TABLE users ADD COLUMN ward TEXT;
   ALTER TABLE users ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0;
   ALTER TABLE api_tokens ADD COLUMN revoked_at TEXT;
   ALTER TABLE campaigns ADD COLUMN district TEXT;
   ALTER TABLE stations ADD COLUMN broker_hash TEXT;
   ALTER TABLE stations ADD COLUMN secret_revoked INTEGER NOT NULL DEFAULT 0;
   ALTER TABLE stations ADD COLUMN enrolment_hash TEXT;
   ALTER TABLE stations ADD COLUMN enrolment_expires_at TEXT;
   CREATE TABLE audit_log (
     id INTEGER PRIMARY KEY,
     at TEXT NOT NULL,
     actor TEXT NOT NULL,
     action TEXT NOT NULL,
     object_type TEXT NOT NULL,
     object_id TEXT,
     status INTEGER NOT NULL,
     detail TEXT
   );
   CREATE INDEX audit_object ON audit_log(object_type, object_id, at);`,
  // Console sessions: a cookie token with its CSRF token (bearer tokens have none).
  `ALTER TABLE api_tokens ADD COLUMN csrf_hash TEXT;`,
  // Clip review and background processing. Clips stored before review existed were already on the
  // air, hence the 'approved' default; the upload path always sets the state itself ('processing').
  `ALTER TABLE clips ADD COLUMN status TEXT NOT NULL DEFAULT 'approved'
     CHECK (status IN ('processing', 'draft', 'approved', 'rejected', 'retired', 'failed'));
   ALTER TABLE clips ADD COLUMN progress REAL NOT NULL DEFAULT 1;
   ALTER TABLE clips ADD COLUMN reason TEXT;
   ALTER TABLE clips ADD COLUMN source_sha256 TEXT;
   ALTER TABLE clips ADD COLUMN source_bytes INTEGER;
   ALTER TABLE clips ADD COLUMN source_type TEXT;
   ALTER TABLE clips ADD COLUMN source_duration_ms INTEGER;
   ALTER TABLE clips ADD COLUMN true_peak_in REAL;
   ALTER TABLE clips ADD COLUMN uploaded_by TEXT;
   ALTER TABLE clips ADD COLUMN reviewed_by TEXT;
   ALTER TABLE clips ADD COLUMN reviewed_at TEXT;
   ALTER TABLE clips ADD COLUMN updated_at TEXT;
   CREATE UNIQUE INDEX clips_source ON clips(source_sha256) WHERE status <> 'failed';
   CREATE INDEX clips_sha256 ON clips(sha256);
   CREATE INDEX clips_status ON clips(status, created_at);`,
  // Air-time policy per area (limits on sessions a day, minutes a session, days a week).
  `CREATE TABLE airtime_policies (
     id TEXT PRIMARY KEY,
     body TEXT NOT NULL,
     created_at TEXT NOT NULL
   );`,
  // Bulletins (alerts) with one row per target station and its state; local overrides reported by
  // stations, kept after they drop out of the station's report, and cancellations asked for here.
  `CREATE TABLE alerts (
     id TEXT PRIMARY KEY,
     level TEXT NOT NULL CHECK (level IN ('normal', 'priority', 'emergency')),
     title TEXT NOT NULL,
     reason TEXT NOT NULL,
     clip_id TEXT NOT NULL,
     clip_json TEXT NOT NULL,
     targets_json TEXT NOT NULL,
     issued_at TEXT NOT NULL,
     issued_by TEXT NOT NULL,
     expires_at TEXT NOT NULL,
     ignore_quiet_windows INTEGER NOT NULL,
     cancelled_at TEXT,
     cancelled_by TEXT,
     cancel_reason TEXT,
     cleared_at TEXT
   );
   CREATE INDEX alerts_issued ON alerts(issued_at);
   CREATE INDEX alerts_open ON alerts(cleared_at, expires_at);
   CREATE TABLE alert_stations (
     alert_id TEXT NOT NULL REFERENCES alerts(id) ON DELETE CASCADE,
     station_id TEXT NOT NULL,
     district TEXT NOT NULL,
     ward TEXT NOT NULL,
     state TEXT NOT NULL DEFAULT 'pending',
     at TEXT,
     reason TEXT,
     detail TEXT,
     received_at TEXT,
     started_at TEXT,
     PRIMARY KEY (alert_id, station_id)
   );
   CREATE INDEX alert_stations_station ON alert_stations(station_id, alert_id);
   CREATE TABLE overrides (
     id TEXT PRIMARY KEY,
     station_id TEXT NOT NULL,
     kind TEXT NOT NULL,
     starts_at TEXT NOT NULL,
     ends_at TEXT NOT NULL,
     cancelled_at TEXT,
     body TEXT NOT NULL,
     first_reported_at TEXT NOT NULL,
     reported_at TEXT NOT NULL,
     cancel_requested_at TEXT,
     cancel_requested_by TEXT,
     cancel_reason TEXT
   );
   CREATE INDEX overrides_station ON overrides(station_id, starts_at);
   CREATE INDEX overrides_cancel ON overrides(cancel_requested_at) WHERE cancel_requested_at IS NOT NULL;`,
  // The area tree: areas of any depth with levels and history; city/district/ward rewritten onto it.
  migrateToAreaTree,
  // When a station's first sample of a bulletin left for its speakers (its state 'sounding').
  `ALTER TABLE alert_stations ADD COLUMN sounding_at TEXT;`,
  // Which clips each station's desired state names: who may download what, kept with the desired states.
  `CREATE TABLE station_clips (
     station_id TEXT NOT NULL REFERENCES stations(id) ON DELETE CASCADE,
     clip_id TEXT NOT NULL,
     PRIMARY KEY (station_id, clip_id)
   );
   CREATE INDEX station_clips_clip ON station_clips(clip_id);
   CREATE INDEX stations_name ON stations(name, id);
   CREATE INDEX plays_station_time ON plays(station_id, scheduled_at);`,
  // Mobile loudspeakers (controller/mobile/): where areas lie on the map, where each unit was last, and
  // which bulletins of an area reached a unit while it was inside.
  `CREATE TABLE area_geometry (
     area_id TEXT PRIMARY KEY REFERENCES areas(id) ON DELETE CASCADE,
     polygon TEXT,
     places TEXT NOT NULL DEFAULT '[]',
     updated_at TEXT NOT NULL
   );
   CREATE TABLE mobile_positions (
     station_id TEXT PRIMARY KEY REFERENCES stations(id) ON DELETE CASCADE,
     lat REAL NOT NULL,
     lon REAL NOT NULL,
     accuracy_m REAL,
     fix_at TEXT NOT NULL,
     received_at TEXT NOT NULL,
     area_id TEXT
   );
   CREATE TABLE mobile_deliveries (
     alert_id TEXT NOT NULL REFERENCES alerts(id) ON DELETE CASCADE,
     station_id TEXT NOT NULL,
     area_id TEXT NOT NULL,
     delivered_at TEXT NOT NULL,
     withdrawn_at TEXT,
     PRIMARY KEY (alert_id, station_id)
   );`,
  // The rules of one station's places, found without reading every rule (rules/store.ts, rulesAt).
  `CREATE INDEX slots_place ON slots(coalesce(json_extract(body, '$.target.id'), json_extract(body, '$.target.station'), '*'));
   CREATE INDEX quiet_windows_place ON quiet_windows(coalesce(json_extract(body, '$.target.id'), json_extract(body, '$.target.station'), '*'));`,
  // Day summaries of the as-run log and the months archived (plays/rollup.ts); text clips' text (clips/text/).
  (db) => {
    createSummaries(db);
    db.exec(CLIP_TEXTS);
  },
  // Relays and live speech: the seconds heard of each relay or live record, and the live sessions
  // (live/migration.ts); the CAP identities of imported bulletins (alerts/cap/store.ts).
  (db) => {
    migrateRelaysAndLive(db);
    db.exec(CAP_ALERTS);
  },
  // This wave, one version: the CAP feeds polled and the documents they linked (alerts/cap-feed/schema.ts);
  // the province's own speech dictionary (clips/text/dictionary/schema.ts); the provincial link's outbox,
  // state and what came from the province (province/schema.ts); a bulletin's repeat and chime, and the
  // readings of each as-run record (alerts/repeat-schema.ts); the as-run hash chain, each station's last
  // link and the breaks found (signing/schema.ts).
  (db) => {
    for (const sql of [CAP_FEEDS, SPEECH_DICTIONARY, PROVINCE_TABLES, REPEAT_AND_CHIME, ASRUN_CHAIN])
      db.exec(sql);
  },
  // Schema 15, the country on a shared cluster: the national level's items, its outbox per province and
  // views, and a province's Idempotency-Key answers (national/schema.ts); which MQTT root each station
  // was last heard on (mqtt/protocols.ts): its desired state goes there only.
  (db) => {
    for (const sql of [NATIONAL_TABLES, STATION_ROOTS]) db.exec(sql);
  },
];
