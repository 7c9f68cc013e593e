// The edge agent's durable state in SQLite: applied desired state, clip cache index, done entries, as-run outbox.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { DesiredState } from '../schedules/model.ts';
import { AsRunRecord } from '../schedules/protocol.ts';
import { LOCAL_MIGRATIONS, localTables } from './store-local.ts';

export interface ClipRow {
  id: string;
  sha256: string;
  path: string;
  bytes: number;
  fetchedAt: string;
}

export interface StartedEntry {
  entryId: string;
  /** The as-run record to report should the agent die before the entry finishes. */
  pending: AsRunRecord;
}

const MIGRATIONS: string[] = [
  `CREATE TABLE desired (
     id INTEGER PRIMARY KEY CHECK (id = 1),
     version INTEGER NOT NULL,
     json TEXT NOT NULL,
     applied_at TEXT NOT NULL
   );
   CREATE TABLE clips (
     id TEXT PRIMARY KEY,
     sha256 TEXT NOT NULL,
     path TEXT NOT NULL,
     bytes INTEGER NOT NULL,
     fetched_at TEXT NOT NULL
   );
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
   CREATE INDEX outbox_created ON outbox (created_at, id);
   CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);`,
  // When each cached clip last played, so the cache evicts the least recently used first.
  `ALTER TABLE clips ADD COLUMN last_used_at TEXT;`,
  ...LOCAL_MIGRATIONS,
];

export type AgentStore = ReturnType<typeof openStore>;

/** Opens (creating and migrating) `{dataDir}/agent.db`. All methods are synchronous. */
export function openStore(dataDir: string) {
  mkdirSync(dataDir, { recursive: true });
  const db = new Database(join(dataDir, 'agent.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  const current = db.pragma('user_version', { simple: true }) as number;
  for (let v = current; v < MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v] as string);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }

  const q = {
    getDesired: db.prepare<[], { version: number; json: string }>(
      'SELECT version, json FROM desired WHERE id = 1',
    ),
    putDesired: db.prepare(
      `INSERT INTO desired (id, version, json, applied_at) VALUES (1, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET version = excluded.version, json = excluded.json, applied_at = excluded.applied_at`,
    ),
    getClip: db.prepare<
      [string],
      { id: string; sha256: string; path: string; bytes: number; fetched_at: string }
    >('SELECT * FROM clips WHERE id = ?'),
    putClip: db.prepare(
      `INSERT INTO clips (id, sha256, path, bytes, fetched_at) VALUES (@id, @sha256, @path, @bytes, @fetchedAt)
       ON CONFLICT (id) DO UPDATE SET sha256 = excluded.sha256, path = excluded.path, bytes = excluded.bytes,
         fetched_at = excluded.fetched_at`,
    ),
    deleteClip: db.prepare('DELETE FROM clips WHERE id = ?'),
    listClips: db.prepare<[], { id: string; sha256: string; path: string; bytes: number; last_used: string }>(
      'SELECT id, sha256, path, bytes, COALESCE(last_used_at, fetched_at) AS last_used FROM clips',
    ),
    touchClip: db.prepare('UPDATE clips SET last_used_at = ? WHERE id = ?'),
    deleteClipsWithSha: db.prepare('DELETE FROM clips WHERE sha256 = ?'),
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
    started: db.prepare<[], { entry_id: string; pending_json: string }>(
      'SELECT entry_id, pending_json FROM entries_done WHERE outcome IS NULL AND pending_json IS NOT NULL',
    ),
    pruneDone: db.prepare('DELETE FROM entries_done WHERE outcome IS NOT NULL AND updated_at < ?'),
    outboxInsert: db.prepare('INSERT OR REPLACE INTO outbox (id, json, created_at) VALUES (?, ?, ?)'),
    outboxBatch: db.prepare<[number], { json: string }>(
      'SELECT json FROM outbox ORDER BY created_at, id LIMIT ?',
    ),
    outboxDelete: db.prepare('DELETE FROM outbox WHERE id = ?'),
    outboxCount: db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM outbox'),
    getMeta: db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?'),
    putMeta: db.prepare(
      'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    ),
  };

  const now = () => new Date().toISOString();

  return {
    ...localTables(db),
    /** The latest applied desired state, or null before the first one. */
    getDesired(): DesiredState | null {
      const row = q.getDesired.get();
      return row ? DesiredState.parse(JSON.parse(row.json)) : null;
    },
    desiredVersion(): number {
      return q.getDesired.get()?.version ?? 0;
    },
    /** Stores `state` if its version is newer than the applied one; returns whether it was applied. */
    applyDesired(state: DesiredState, at = now()): boolean {
      return db.transaction(() => {
        const current = q.getDesired.get()?.version ?? 0;
        if (state.version <= current) return false;
        q.putDesired.run(state.version, JSON.stringify(state), at);
        return true;
      })();
    },

    getClip(id: string): ClipRow | null {
      const r = q.getClip.get(id);
      return r ? { id: r.id, sha256: r.sha256, path: r.path, bytes: r.bytes, fetchedAt: r.fetched_at } : null;
    },
    putClip(row: ClipRow): void {
      q.putClip.run(row);
    },
    deleteClip(id: string): void {
      q.deleteClip.run(id);
    },
    /** Every cached clip with when it was last played (or fetched). */
    listClips(): (Omit<ClipRow, 'fetchedAt'> & { lastUsedAt: string })[] {
      return q.listClips.all().map(({ last_used, ...r }) => ({ ...r, lastUsedAt: last_used }));
    },
    touchClip(id: string, at = now()): void {
      q.touchClip.run(at, id);
    },
    /** Forgets every clip id whose file is this one (the file is being evicted). */
    deleteClipsWithSha(sha256: string): void {
      q.deleteClipsWithSha.run(sha256);
    },

    /** Whether an entry has started or finished: either way it must not be armed again. */
    isDone(entryId: string): boolean {
      return q.getDone.get(entryId) !== undefined;
    },
    /** Marks an entry as in progress; `pending` is reported as-is if the agent dies before it finishes. */
    markStarted(entryId: string, pending: AsRunRecord, at = now()): void {
      q.markStarted.run(entryId, JSON.stringify(pending), at);
    },
    /** Entries that were started and never finished (the agent died mid-entry). */
    startedEntries(): StartedEntry[] {
      return q.started
        .all()
        .map((r) => ({ entryId: r.entry_id, pending: AsRunRecord.parse(JSON.parse(r.pending_json)) }));
    },
    /**
     * Records the final outcome of an entry and queues its as-run record, atomically.
     * Returns false (and queues nothing) if the entry already has an outcome.
     */
    recordOutcome(record: AsRunRecord): boolean {
      return db.transaction(() => {
        const info = q.finish.run(record.entryId, record.outcome, record.recordedAt);
        if (info.changes === 0) return false;
        q.outboxInsert.run(record.id, JSON.stringify(record), record.recordedAt);
        return true;
      })();
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

    getMeta(key: string): string | null {
      return q.getMeta.get(key)?.value ?? null;
    },
    setMeta(key: string, value: string): void {
      q.putMeta.run(key, value);
    },

    close(): void {
      if (db.open) db.close();
    },
  };
}
