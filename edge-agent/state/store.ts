// The edge agent's durable state in SQLite: the applied desired state, the clip cache index, entries done
// and the as-run outbox (outbox.ts), overrides, bulletins and local clips (local-tables.ts).
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { DesiredState } from '../../schedules/model.ts';
import { LOCAL_MIGRATIONS, localTables } from './local-tables.ts';
import { OUTBOX_CHAIN, OUTBOX_TABLES, outboxTables } from './outbox.ts';

export type { StartedEntry } from './outbox.ts';

export interface ClipRow {
  id: string;
  sha256: string;
  path: string;
  bytes: number;
  fetchedAt: string;
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
   );${OUTBOX_TABLES}
   CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);`,
  // When each cached clip last played, so the cache evicts the least recently used first.
  `ALTER TABLE clips ADD COLUMN last_used_at TEXT;`,
  ...LOCAL_MIGRATIONS,
  // The as-run hash chain: each queued record's number, sent in that order (outbox.ts).
  OUTBOX_CHAIN,
];

/** The schema this agent writes: the number of migrations it knows. */
export const STORE_VERSION = MIGRATIONS.length;

export class StoreTooNew extends Error {
  constructor(readonly found: number) {
    super(
      `agent.db is at schema version ${found}, newer than this agent's ${STORE_VERSION}: ` +
        'install the newer agent again, or move agent.db aside to start afresh (the station fetches its plan again)',
    );
  }
}

/**
 * Brings the store's schema up to `upTo` (this agent's, unless a test asks for an earlier one), each
 * migration in its own transaction, after a copy of the old file beside it (agent.db.before-vN, the last
 * one only); a store written by a newer agent is refused before anything is changed.
 */
export function migrateStore(db: Database.Database, dataDir: string, upTo = STORE_VERSION): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > STORE_VERSION) throw new StoreTooNew(current);
  if (current > 0 && current < upTo) {
    for (const f of readdirSync(dataDir)) if (f.startsWith('agent.db.before-v')) rmSync(join(dataDir, f));
    db.prepare('VACUUM INTO ?').run(join(dataDir, `agent.db.before-v${upTo}`));
  }
  for (let v = current; v < upTo; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v] as string);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}

/** Frozen all the way down: the one parsed desired state is shared by every reader. */
function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

const parseDesired = (json: unknown): DesiredState => deepFreeze(DesiredState.parse(json));

export type AgentStore = ReturnType<typeof openStore>;

/** Opens (creating and migrating) `{dataDir}/agent.db`. All methods are synchronous. */
export function openStore(dataDir: string) {
  mkdirSync(dataDir, { recursive: true });
  const db = new Database(join(dataDir, 'agent.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  try {
    migrateStore(db, dataDir);
  } catch (e) {
    db.close();
    throw e;
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
    getMeta: db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?'),
    putMeta: db.prepare(
      'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    ),
  };

  const now = () => new Date().toISOString();
  // Parsed once, here and when a newer one is applied; read from memory after.
  const stored = q.getDesired.get();
  let desired: DesiredState | null = stored ? parseDesired(JSON.parse(stored.json)) : null;

  return {
    ...localTables(db),
    ...outboxTables(db, now),
    /** The latest applied desired state (frozen), or null before the first one. */
    getDesired(): DesiredState | null {
      return desired;
    },
    desiredVersion(): number {
      return desired?.version ?? 0;
    },
    /** Stores `state` if its version is newer than the applied one; returns whether it was applied. */
    applyDesired(state: DesiredState, at = now()): boolean {
      if (state.version <= (desired?.version ?? 0)) return false;
      const parsed = parseDesired(structuredClone(state));
      q.putDesired.run(parsed.version, JSON.stringify(parsed), at);
      desired = parsed;
      return true;
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
