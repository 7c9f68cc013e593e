// SQLite storage for the controller: opening, pragmas, forward-only migrations, and new records' ids.
import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import { migrations } from './migrations.ts';

export type Db = Database.Database;

/** The schema this controller writes: the number of migrations it knows. */
export const schemaVersion = () => migrations.length;

export interface OpenOptions {
  /** Called before the first migration of an existing database: the place for a copy to roll back to. */
  beforeUpgrade?: (db: Db, from: number, to: number) => void;
  /** Stop at this schema version (tests of upgrades from earlier schemas). */
  upTo?: number;
}

/**
 * Opens (creating if needed) the database and brings its schema up to date, each migration in its own
 * transaction. A database written by a newer controller is refused before anything is changed.
 */
export function openDb(file: string, options: OpenOptions = {}): Db {
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    migrate(db, options);
    return db;
  } catch (e) {
    db.close();
    throw e;
  }
}

export class SchemaTooNew extends Error {
  constructor(readonly found: number) {
    super(
      `the database is at schema version ${found}, newer than this controller's ${migrations.length}: ` +
        'run the newer controller, or restore a backup taken by this version',
    );
  }
}

function migrate(db: Db, { beforeUpgrade, upTo = migrations.length }: OpenOptions): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > migrations.length) throw new SchemaTooNew(current);
  if (current > 0 && current < upTo) beforeUpgrade?.(db, current, upTo);
  for (let v = current; v < upTo; v++) {
    db.transaction(() => {
      const step = migrations[v] as string | ((db: Db) => void);
      if (typeof step === 'string') db.exec(step);
      else step(db);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}

/** A new record's id: its kind's prefix and eight random hex digits (`slot-1a2b3c4d`). */
export const newId = (prefix: string) => `${prefix}-${randomBytes(4).toString('hex')}`;
