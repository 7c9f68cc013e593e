// The national level's tables (migration entry in controller/migrations.ts): what it sends, its recordings
// and their copies at each province, each item's outbox row per province with what the province answered,
// a bulletin's counts over time, the provinces' day summaries; and, at a province, the first answer of
// each Idempotency-Key (idempotency.ts).
export const NATIONAL_TABLES = `
  CREATE TABLE national_items (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('bulletin', 'campaign', 'quiet-window')),
    level TEXT,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    clip_id TEXT,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    cancelled_at TEXT,
    cancel_reason TEXT
  );
  CREATE TABLE national_clips (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    file TEXT NOT NULL,
    bytes INTEGER NOT NULL,
    created_at TEXT NOT NULL
  );
  CREATE TABLE national_clip_copies (
    clip_id TEXT NOT NULL,
    province_id TEXT NOT NULL,
    remote_id TEXT NOT NULL,
    approved INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (clip_id, province_id)
  ) WITHOUT ROWID;
  CREATE TABLE national_sends (
    item_id TEXT NOT NULL REFERENCES national_items(id),
    province_id TEXT NOT NULL,
    urgent INTEGER NOT NULL DEFAULT 0,
    state TEXT NOT NULL CHECK (state IN ('waiting', 'accepted', 'refused', 'cancelled')),
    steps TEXT NOT NULL DEFAULT '{}',
    remote_id TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_at TEXT NOT NULL,
    first_sent_at TEXT,
    answered_at TEXT,
    error TEXT,
    error_vi TEXT,
    PRIMARY KEY (item_id, province_id)
  ) WITHOUT ROWID;
  CREATE INDEX national_sends_due ON national_sends(state, urgent DESC, next_at);
  CREATE TABLE national_alert_counts (
    item_id TEXT NOT NULL,
    province_id TEXT NOT NULL,
    at TEXT NOT NULL,
    stations INTEGER NOT NULL,
    reached INTEGER NOT NULL,
    started INTEGER NOT NULL,
    PRIMARY KEY (item_id, province_id, at)
  ) WITHOUT ROWID;
  CREATE TABLE national_report_days (
    province_id TEXT NOT NULL,
    day TEXT NOT NULL,
    stations INTEGER NOT NULL,
    played INTEGER NOT NULL,
    missed INTEGER NOT NULL,
    records INTEGER NOT NULL,
    minutes_on_air REAL NOT NULL,
    read_at TEXT NOT NULL,
    PRIMARY KEY (province_id, day)
  ) WITHOUT ROWID;
  CREATE TABLE national_links (
    province_id TEXT PRIMARY KEY,
    last_success_at TEXT,
    last_error TEXT,
    last_error_vi TEXT,
    last_error_at TEXT
  ) WITHOUT ROWID;
  CREATE TABLE idempotent_answers (
    key TEXT NOT NULL,
    route TEXT NOT NULL,
    status INTEGER NOT NULL,
    body TEXT NOT NULL,
    at TEXT NOT NULL,
    PRIMARY KEY (key, route)
  ) WITHOUT ROWID;`;
