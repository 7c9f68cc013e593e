// What the CAP feed poller remembers across restarts: per feed, the validators (ETag, Last-Modified), the
// last poll and its outcome, the failures in a row and when to poll next; per document linked, what became
// of it (imported, refused with its reason, held for review, failing to download), so nothing is imported
// twice and nothing is retried forever.
import type Database from 'better-sqlite3';

type Db = Database.Database;

/**
 * imported: issued (or, for a Cancel, acted on); duplicate: already here by its identity; refused: with
 * its reason, never tried again; held: its spoken clip awaits review, tried again at each poll; failing:
 * could not be downloaded or spoken yet, tried again up to MAX_ATTEMPTS times.
 */
export type EntryState = 'imported' | 'duplicate' | 'refused' | 'held' | 'failing';

export interface FeedRow {
  url: string;
  etag: string | null;
  last_modified: string | null;
  last_poll_at: string | null;
  last_ok_at: string | null;
  last_error: string | null;
  last_error_vi: string | null;
  failures: number;
  next_poll_at: string | null;
}

export interface EntryRow {
  feed_url: string;
  link: string;
  state: EntryState;
  sender: string | null;
  identifier: string | null;
  sent: string | null;
  alert_id: string | null;
  clip_id: string | null;
  /** kept while held, to try again without downloading it */
  document: string | null;
  reason: string | null;
  reason_vi: string | null;
  attempts: number;
  first_seen_at: string;
  updated_at: string;
}

export const feedRow = (db: Db, url: string) =>
  db.prepare('SELECT * FROM cap_feeds WHERE url = ?').get(url) as FeedRow | undefined;

export function saveFeed(db: Db, row: FeedRow): void {
  db.prepare(
    `INSERT INTO cap_feeds (url, etag, last_modified, last_poll_at, last_ok_at, last_error, last_error_vi, failures, next_poll_at)
     VALUES (@url, @etag, @last_modified, @last_poll_at, @last_ok_at, @last_error, @last_error_vi, @failures, @next_poll_at)
     ON CONFLICT (url) DO UPDATE SET etag = @etag, last_modified = @last_modified, last_poll_at = @last_poll_at,
       last_ok_at = @last_ok_at, last_error = @last_error, last_error_vi = @last_error_vi, failures = @failures,
       next_poll_at = @next_poll_at`,
  ).run(row);
}

export const entryRow = (db: Db, feedUrl: string, link: string) =>
  db.prepare('SELECT * FROM cap_feed_entries WHERE feed_url = ? AND link = ?').get(feedUrl, link) as
    | EntryRow
    | undefined;

/** An entry of any feed that already settled this CAP identity (imported, or refused for good). */
export const settledIdentity = (db: Db, ref: { sender: string; identifier: string; sent: string }) =>
  db
    .prepare(
      `SELECT * FROM cap_feed_entries WHERE sender = ? AND identifier = ? AND sent = ?
       AND state IN ('imported', 'refused') LIMIT 1`,
    )
    .get(ref.sender, ref.identifier, ref.sent) as EntryRow | undefined;

export type EntryChange = Partial<Omit<EntryRow, 'feed_url' | 'link' | 'first_seen_at' | 'updated_at'>> & {
  state: EntryState;
};

/** Records what became of a linked document (its attempts counted by the caller). */
export function saveEntry(db: Db, feedUrl: string, link: string, change: EntryChange, now: string): void {
  const old = entryRow(db, feedUrl, link);
  const row: EntryRow = {
    feed_url: feedUrl,
    link,
    sender: null,
    identifier: null,
    sent: null,
    alert_id: null,
    clip_id: null,
    document: null,
    reason: null,
    reason_vi: null,
    attempts: 0,
    first_seen_at: now,
    ...old,
    ...change,
    updated_at: now,
  };
  db.prepare(
    `INSERT OR REPLACE INTO cap_feed_entries (feed_url, link, state, sender, identifier, sent, alert_id, clip_id,
       document, reason, reason_vi, attempts, first_seen_at, updated_at)
     VALUES (@feed_url, @link, @state, @sender, @identifier, @sent, @alert_id, @clip_id, @document, @reason, @reason_vi,
       @attempts, @first_seen_at, @updated_at)`,
  ).run(row);
}

/** The documents of a feed to try again: held for review, or failing to download (oldest first). */
export const pendingEntries = (db: Db, feedUrl: string) =>
  db
    .prepare(
      `SELECT * FROM cap_feed_entries WHERE feed_url = ? AND state IN ('held', 'failing') ORDER BY first_seen_at, link`,
    )
    .all(feedUrl) as EntryRow[];

/** A feed's documents, newest first (the console's list). */
export const recentEntries = (db: Db, feedUrl: string, limit: number) =>
  db
    .prepare('SELECT * FROM cap_feed_entries WHERE feed_url = ? ORDER BY updated_at DESC, link LIMIT ?')
    .all(feedUrl, limit) as EntryRow[];
