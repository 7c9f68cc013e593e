// The provincial link's SQL: the outbox and the keys delivered, the link's state, the province's bulletins
// and schedules as we took them, and the record of everything that came (accepted or refused, and why).
import type { Db } from '../db.ts';

export interface OutboxRow {
  seq: number;
  key: string;
  kind: 'status' | 'log';
  station_id: string;
  payload: string;
  attempts: number;
  last_error: string | null;
}

/** Queues broadcast logs (statements prepared once): each unless its key is waiting or was delivered already. */
export function logQueue(db: Db) {
  const delivered = db.prepare('SELECT 1 FROM province_delivered WHERE key = ?');
  const insert = db.prepare(
    `INSERT OR IGNORE INTO province_outbox (key, kind, station_id, payload, created_at) VALUES (?, 'log', ?, ?, ?)`,
  );
  return (key: string, stationId: string, payload: unknown, now: string) => {
    if (!delivered.get(key)) insert.run(key, stationId, JSON.stringify(payload), now);
  };
}

export const enqueueLog = (db: Db, key: string, stationId: string, payload: unknown, now: string) =>
  logQueue(db)(key, stationId, payload, now);

/** A station's status: the newest replaces one still waiting (only the last says anything). */
export function enqueueStatus(db: Db, stationId: string, payload: unknown, now: string): void {
  db.prepare(
    `INSERT INTO province_outbox (key, kind, station_id, payload, created_at) VALUES (?, 'status', ?, ?, ?)
     ON CONFLICT(key) DO UPDATE SET payload = excluded.payload, created_at = excluded.created_at`,
  ).run(`status:${stationId}`, stationId, JSON.stringify(payload), now);
}

/** Waiting rows in order, after `afterSeq`, the refused ones left out. */
export const pendingAfter = (db: Db, afterSeq: number, limit: number) =>
  db
    .prepare(
      'SELECT seq, key, kind, station_id, payload, attempts, last_error FROM province_outbox WHERE seq > ? AND refused_at IS NULL ORDER BY seq LIMIT ?',
    )
    .all(afterSeq, limit) as OutboxRow[];

/** Delivered: gone from the outbox, a log's key remembered so it is never sent again. */
export function markDelivered(
  db: Db,
  rows: { seq: number; key: string; kind: string; payload: string }[],
  now: string,
) {
  const del = db.prepare('DELETE FROM province_outbox WHERE seq = ? AND payload = ?');
  const keep = db.prepare('INSERT OR IGNORE INTO province_delivered (key, delivered_at) VALUES (?, ?)');
  db.transaction(() => {
    for (const r of rows) {
      // a status replaced while it was in flight stays, to go next
      del.run(r.seq, r.payload);
      if (r.kind === 'log') keep.run(r.key, now);
    }
  })();
}

/**
 * Forgets the keys delivered before `before`: the cursor over the as-run log never reads their records
 * again, so only a fresh key could be queued; without this the table would grow by every log ever sent.
 */
export const forgetDelivered = (db: Db, before: string) =>
  db.prepare('DELETE FROM province_delivered WHERE delivered_at < ?').run(before).changes;

/** The province refused this message (4xx): kept with the reason, not sent again. */
export const markRefused = (db: Db, seq: number, reason: string, now: string) =>
  db
    .prepare(
      'UPDATE province_outbox SET refused_at = ?, last_error = ?, attempts = attempts + 1 WHERE seq = ?',
    )
    .run(now, reason, seq);

export const markAttempt = (db: Db, seq: number, reason: string) =>
  db
    .prepare('UPDATE province_outbox SET attempts = attempts + 1, last_error = ? WHERE seq = ?')
    .run(reason, seq);

export interface Backlog {
  waiting: number;
  logs: number;
  statuses: number;
  refused: number;
  oldestAt: string | null;
  delivered: number;
}

export function backlogOf(db: Db): Backlog {
  const r = db
    .prepare(
      `SELECT
         SUM(refused_at IS NULL) AS waiting,
         SUM(refused_at IS NULL AND kind = 'log') AS logs,
         SUM(refused_at IS NULL AND kind = 'status') AS statuses,
         SUM(refused_at IS NOT NULL) AS refused,
         MIN(CASE WHEN refused_at IS NULL THEN created_at END) AS oldestAt
       FROM province_outbox`,
    )
    .get() as Record<string, number | string | null>;
  const delivered = (db.prepare('SELECT COUNT(*) AS n FROM province_delivered').get() as { n: number }).n;
  return {
    waiting: Number(r.waiting ?? 0),
    logs: Number(r.logs ?? 0),
    statuses: Number(r.statuses ?? 0),
    refused: Number(r.refused ?? 0),
    oldestAt: (r.oldestAt as string | null) ?? null,
    delivered,
  };
}

export const refusedRows = (db: Db, limit = 20) =>
  db
    .prepare(
      'SELECT seq, key, station_id, last_error, refused_at FROM province_outbox WHERE refused_at IS NOT NULL ORDER BY seq DESC LIMIT ?',
    )
    .all(limit) as { seq: number; key: string; station_id: string; last_error: string; refused_at: string }[];

export interface LinkRow {
  asrun_cursor: number;
  logged_in_at: string | null;
  last_success_at: string | null;
  last_error: string | null;
  last_error_vi: string | null;
  last_error_at: string | null;
  last_poll_at: string | null;
}

export const linkRow = (db: Db) => db.prepare('SELECT * FROM province_link WHERE id = 1').get() as LinkRow;

export function setLink(db: Db, change: Partial<LinkRow>): void {
  const cols = Object.keys(change);
  if (!cols.length) return;
  db.prepare(`UPDATE province_link SET ${cols.map((c) => `${c} = @${c}`).join(', ')} WHERE id = 1`).run(
    change,
  );
}

export interface ItemRow {
  kind: 'bulletin' | 'schedule';
  province_id: string;
  digest: string;
  document: string;
  alert_id: string | null;
  campaign_id: string | null;
  received_at: string;
  cancelled_at: string | null;
}

export const findItem = (db: Db, kind: ItemRow['kind'], provinceId: string) =>
  db.prepare('SELECT * FROM province_items WHERE kind = ? AND province_id = ?').get(kind, provinceId) as
    | ItemRow
    | undefined;

export const liveSchedules = (db: Db) =>
  db
    .prepare("SELECT * FROM province_items WHERE kind = 'schedule' AND cancelled_at IS NULL")
    .all() as ItemRow[];

export function saveItem(db: Db, r: Omit<ItemRow, 'cancelled_at'>): void {
  db.prepare(
    `INSERT INTO province_items (kind, province_id, digest, document, alert_id, campaign_id, received_at)
     VALUES (@kind, @province_id, @digest, @document, @alert_id, @campaign_id, @received_at)
     ON CONFLICT(kind, province_id) DO UPDATE SET digest = excluded.digest, document = excluded.document,
       alert_id = excluded.alert_id, campaign_id = excluded.campaign_id, received_at = excluded.received_at,
       cancelled_at = NULL`,
  ).run(r);
}

export const markItemCancelled = (db: Db, kind: ItemRow['kind'], provinceId: string, now: string) =>
  db
    .prepare('UPDATE province_items SET cancelled_at = ? WHERE kind = ? AND province_id = ?')
    .run(now, kind, provinceId);

/** The province's ids of the bulletins and campaigns it sent: the as-run records that are its content. */
export function provincialContent(db: Db) {
  const rows = db
    .prepare('SELECT kind, alert_id, campaign_id, document FROM province_items')
    .all() as ItemRow[];
  return {
    alerts: new Map(rows.filter((r) => r.alert_id).map((r) => [r.alert_id as string, r.document])),
    campaigns: new Set(rows.filter((r) => r.campaign_id).map((r) => r.campaign_id as string)),
  };
}

export const saveClipSource = (db: Db, clipId: string, bulletinId: string, url: string, document: string) =>
  db
    .prepare(
      `INSERT INTO province_clips (clip_id, bulletin_id, url, document) VALUES (?, ?, ?, ?)
       ON CONFLICT(clip_id) DO UPDATE SET bulletin_id = excluded.bulletin_id, url = excluded.url, document = excluded.document`,
    )
    .run(clipId, bulletinId, url, document);

export interface InboxEntry {
  kind: string;
  province_id: string | null;
  digest: string;
  outcome: 'accepted' | 'refused' | 'cancelled';
  reason: string | null;
  reason_vi: string | null;
  alert_id: string | null;
  campaign_id: string | null;
  received_at: string;
}

export const addInbox = (db: Db, e: InboxEntry) =>
  db
    .prepare(
      `INSERT INTO province_inbox (kind, province_id, digest, outcome, reason, reason_vi, alert_id, campaign_id, received_at)
       VALUES (@kind, @province_id, @digest, @outcome, @reason, @reason_vi, @alert_id, @campaign_id, @received_at)`,
    )
    .run(e);

/** When this exact document was last refused, or null. */
export const lastRefusedAt = (db: Db, digest: string) =>
  (
    db
      .prepare("SELECT MAX(received_at) AS at FROM province_inbox WHERE digest = ? AND outcome = 'refused'")
      .get(digest) as { at: string | null }
  ).at;

export const recentInbox = (db: Db, limit = 30) =>
  db.prepare('SELECT * FROM province_inbox ORDER BY id DESC LIMIT ?').all(limit) as (InboxEntry & {
    id: number;
  })[];
