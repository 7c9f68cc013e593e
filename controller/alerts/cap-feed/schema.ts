// The tables of the CAP feed poller (store.ts reads and writes them).

/** The migration (controller/migrations.ts). */
export const CAP_FEEDS = `CREATE TABLE cap_feeds (
       url TEXT PRIMARY KEY,
       etag TEXT,
       last_modified TEXT,
       last_poll_at TEXT,
       last_ok_at TEXT,
       last_error TEXT,
       last_error_vi TEXT,
       failures INTEGER NOT NULL DEFAULT 0,
       next_poll_at TEXT
     );
     CREATE TABLE cap_feed_entries (
       feed_url TEXT NOT NULL,
       link TEXT NOT NULL,
       state TEXT NOT NULL,
       sender TEXT,
       identifier TEXT,
       sent TEXT,
       alert_id TEXT,
       clip_id TEXT,
       document TEXT,
       reason TEXT,
       reason_vi TEXT,
       attempts INTEGER NOT NULL DEFAULT 0,
       first_seen_at TEXT NOT NULL,
       updated_at TEXT NOT NULL,
       PRIMARY KEY (feed_url, link)
     );
     CREATE INDEX cap_feed_entries_ref ON cap_feed_entries(sender, identifier, sent);`;
