// The agent's record of entries started and finished (none is played twice) and the as-run outbox, which
// keeps every record until the controller acknowledges it. Each record is chained to the one before it
// (common/chain.ts) in the transaction that queues it: the chain's head is in the meta table, so a restart,
// a full disk (nothing is written, the head included) and the outbox's retries keep the chain whole.
import type Database from 'better-sqlite3';
import { type ChainLink, chainNext } from '../../common/chain.ts';
import { AsRunRecord } from '../../schedules/protocol.ts';

export const OUTBOX_TABLES = `
   CREATE TABLE entries_done (
     entry_id TEXT PRIMARY KEY,
     outcome TEXT,
     pending_json TEXT,
     updated_at TEXT NOT NULL
   );
   CREATE TABLE outbox (
     id TEXT PRIMARY KEY,
     json TEXT NOT NULL,
     created_at TEXT NOT NULL
   );
   CREATE INDEX outbox_created ON outbox (created_at, id);`;

/** The chain's number of each queued record, sent in that order (records queued before it have none). */
export const OUTBOX_CHAIN = `ALTER TABLE outbox ADD COLUMN seq INTEGER;
   CREATE INDEX outbox_seq ON outbox (seq);`;

const CHAIN_HEAD = 'asrun.chain';

export interface StartedEntry {
  entryId: string;
  /** The as-run record to report should the agent die before the entry finishes. */
  pending: AsRunRecord;
}

export function outboxTables(db: Database.Database, now: () => string) {
  const q = {
    getDone: db.prepare<[string], { outcome: string | null; pending_json: string | null }>(
      'SELECT outcome, pending_json FROM entries_done WHERE entry_id = ?',
    ),
    markStarted: db.prepare(
      'INSERT OR IGNORE INTO entries_done (entry_id, outcome, pending_json, updated_at) VALUES (?, NULL, ?, ?)',
    ),
    finish: db.prepare(
      `INSERT INTO entries_done (entry_id, outcome, pending_json, updated_at) VALUES (?, ?, NULL, ?)
       ON CONFLICT (entry_id) DO UPDATE SET outcome = excluded.outcome, pending_json = NULL,
         updated_at = excluded.updated_at WHERE entries_done.outcome IS NULL`,
    ),
    unmarkStarted: db.prepare('DELETE FROM entries_done WHERE entry_id = ? AND outcome IS NULL'),
    started: db.prepare<[], { entry_id: string; pending_json: string }>(
      'SELECT entry_id, pending_json FROM entries_done WHERE outcome IS NULL AND pending_json IS NOT NULL',
    ),
    pruneDone: db.prepare('DELETE FROM entries_done WHERE outcome IS NOT NULL AND updated_at < ?'),
    outboxInsert: db.prepare('INSERT OR REPLACE INTO outbox (id, json, created_at, seq) VALUES (?, ?, ?, ?)'),
    outboxBatch: db.prepare<[number], { json: string }>(
      'SELECT json FROM outbox ORDER BY seq IS NOT NULL, seq, created_at, id LIMIT ?',
    ),
    getHead: db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?'),
    putHead: db.prepare(
      'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    ),
    outboxDelete: db.prepare('DELETE FROM outbox WHERE id = ?'),
    outboxCount: db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM outbox'),
  };

  return {
    /** Whether an entry has started or finished: either way it must not be armed again. */
    isDone(entryId: string): boolean {
      return q.getDone.get(entryId) !== undefined;
    },
    /** Marks an entry as in progress; `pending` is reported as-is if the agent dies before it finishes. */
    markStarted(entryId: string, pending: AsRunRecord, at = now()): void {
      q.markStarted.run(entryId, JSON.stringify(pending), at);
    },
    /** Forgets that an entry was started, when it went off air with nothing played (a clock step gave it back). */
    unmarkStarted(entryId: string): void {
      q.unmarkStarted.run(entryId);
    },
    /** Entries that were started and never finished (the agent died mid-entry). */
    startedEntries(): StartedEntry[] {
      return q.started
        .all()
        .map((r) => ({ entryId: r.entry_id, pending: AsRunRecord.parse(JSON.parse(r.pending_json)) }));
    },
    /**
     * Records the final outcome of an entry and queues its as-run record, chained to the one before it,
     * atomically. Returns false (and queues nothing) if the entry already has an outcome.
     */
    recordOutcome(record: AsRunRecord): boolean {
      // checked before it is stored: a record the outbox could not read back would stop every batch after it
      const { seq: _s, prevHash: _p, hash: _h, ...content } = AsRunRecord.parse(record);
      return db.transaction(() => {
        const info = q.finish.run(record.entryId, record.outcome, record.recordedAt);
        if (info.changes === 0) return false;
        const head = q.getHead.get(CHAIN_HEAD);
        const linked = chainNext(content, head ? (JSON.parse(head.value) as ChainLink) : null);
        q.outboxInsert.run(record.id, JSON.stringify(linked), record.recordedAt, linked.seq);
        q.putHead.run(CHAIN_HEAD, JSON.stringify({ seq: linked.seq, hash: linked.hash }));
        return true;
      })();
    },
    /** The chain's last link (its number and hash), or null before the first record. */
    chainHead(): Pick<ChainLink, 'seq' | 'hash'> | null {
      const head = q.getHead.get(CHAIN_HEAD);
      return head ? (JSON.parse(head.value) as ChainLink) : null;
    },
    /** Forgets finished entries last touched before `beforeIso`. */
    pruneDone(beforeIso: string): number {
      return q.pruneDone.run(beforeIso).changes;
    },

    outboxBatch(limit = 100): AsRunRecord[] {
      return q.outboxBatch.all(limit).map((r) => AsRunRecord.parse(JSON.parse(r.json)));
    },
    /** Deletes acknowledged records; returns how many were removed. */
    ackOutbox(ids: readonly string[]): number {
      return db.transaction(() => ids.reduce((n, id) => n + q.outboxDelete.run(id).changes, 0))();
    },
    outboxLength(): number {
      return q.outboxCount.get()?.n ?? 0;
    },
  };
}
