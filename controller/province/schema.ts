// The provincial link's tables (migration entry in controller/migrations.ts): the outbox of what goes to the
// province, the keys already delivered, the link's state, and what came from the province.
export const PROVINCE_TABLES = `
  CREATE TABLE province_outbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    key TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('status', 'log')),
    station_id TEXT NOT NULL,
    payload TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    refused_at TEXT,
    created_at TEXT NOT NULL
  );
  CREATE INDEX province_outbox_station ON province_outbox(station_id, seq);
  CREATE TABLE province_delivered (
    key TEXT PRIMARY KEY,
    delivered_at TEXT NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX province_delivered_at ON province_delivered(delivered_at);
  CREATE TABLE province_link (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    asrun_cursor INTEGER NOT NULL DEFAULT 0,
    logged_in_at TEXT,
    last_success_at TEXT,
    last_error TEXT,
    last_error_vi TEXT,
    last_error_at TEXT,
    last_poll_at TEXT
  );
  INSERT INTO province_link (id) VALUES (1);
  CREATE TABLE province_items (
    kind TEXT NOT NULL CHECK (kind IN ('bulletin', 'schedule')),
    province_id TEXT NOT NULL,
    digest TEXT NOT NULL,
    document TEXT NOT NULL,
    alert_id TEXT,
    campaign_id TEXT,
    received_at TEXT NOT NULL,
    cancelled_at TEXT,
    PRIMARY KEY (kind, province_id)
  );
  CREATE INDEX province_items_alert ON province_items(alert_id);
  CREATE INDEX province_items_campaign ON province_items(campaign_id);
  CREATE TABLE province_clips (
    clip_id TEXT PRIMARY KEY,
    bulletin_id TEXT NOT NULL,
    url TEXT NOT NULL,
    document TEXT NOT NULL
  );
  CREATE TABLE province_inbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    province_id TEXT,
    digest TEXT NOT NULL,
    outcome TEXT NOT NULL CHECK (outcome IN ('accepted', 'refused', 'cancelled')),
    reason TEXT,
    reason_vi TEXT,
    alert_id TEXT,
    campaign_id TEXT,
    received_at TEXT NOT NULL
  );
  CREATE INDEX province_inbox_digest ON province_inbox(digest);`;
