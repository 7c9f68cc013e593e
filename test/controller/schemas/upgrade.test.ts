// Upgrades from every earlier schema (the fixtures of make-fixtures.ts, real rows made by an earlier
// release): each is migrated to this version after its pre-upgrade copy, whole (integrity and foreign
// keys), with the very schema a new database gets, every row kept, the as-run summaries filled from the
// rows, and a controller that starts on it and answers.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { openDb, schemaVersion } from '../../../controller/db.ts';
import { makeController } from '../../support/controller.ts';
import { tempDir } from '../../support/temp.ts';

const HERE = path.dirname(new URL(import.meta.url).pathname);
const fixture = (v: number) =>
  v === 6 ? path.join(HERE, '../areas/legacy/legacy.sql') : path.join(HERE, `v${v}.sql`);
const tmp = tempDir('schema-upgrades');
afterAll(() => tmp.cleanup());

/** Tables, columns, indexes and their definitions, as SQLite normalises them. */
function schemaOf(db: Database.Database) {
  const objects = db
    .prepare(
      "SELECT type, name, tbl_name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name",
    )
    .all() as { type: string; name: string; tbl_name: string }[];
  return objects.map((o) => ({
    ...o,
    columns:
      o.type === 'table'
        ? db.prepare(`PRAGMA table_info("${o.name}")`).all()
        : db.prepare(`PRAGMA index_xinfo("${o.name}")`).all(),
  }));
}

const counts = (db: Database.Database) =>
  Object.fromEntries(
    (
      db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        .pluck()
        .all() as string[]
    ).map((t) => [t, db.prepare(`SELECT count(*) FROM "${t}"`).pluck().get() as number]),
  );

const freshFile = path.join(tmp.dir, 'fresh.db');
openDb(freshFile).close();
const fresh = new Database(freshFile, { readonly: true });
const freshSchema = schemaOf(fresh);
fresh.close();

describe('upgrades from every earlier schema', () => {
  const versions = Array.from({ length: schemaVersion() - 1 }, (_, i) => i + 1);
  it('has a fixture of each', () => {
    for (const v of versions) expect(existsSync(fixture(v)), `fixture of schema ${v}`).toBe(true);
  });

  it.each(versions)('from schema %i: whole, the same schema as a new database, every row kept', async (v) => {
    const file = path.join(tmp.dir, `from-${v}.db`);
    const old = new Database(file);
    old.exec(readFileSync(fixture(v), 'utf8'));
    expect(old.pragma('user_version', { simple: true })).toBe(v);
    const before = counts(old);
    old.close();

    const upgrades: [number, number][] = [];
    const db = openDb(file, { beforeUpgrade: (_db, from, to) => upgrades.push([from, to]) });
    expect(upgrades).toEqual([[v, schemaVersion()]]);
    expect(db.pragma('user_version', { simple: true })).toBe(schemaVersion());
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.pragma('foreign_key_check')).toEqual([]);
    expect(schemaOf(db)).toEqual(freshSchema);
    const after = counts(db);
    for (const [table, n] of Object.entries(before)) if (table in after) expect(after[table], table).toBe(n);
    const plays = db.prepare('SELECT count(*) FROM plays').pluck().get() as number;
    expect(plays).toBeGreaterThan(0);
    expect(db.prepare('SELECT sum(records) FROM station_days').pluck().get()).toBe(plays);
    expect(db.prepare('SELECT sum(records) FROM play_days').pluck().get()).toBe(plays);
    expect(db.prepare('SELECT sum(records) FROM plays_totals').pluck().get()).toBe(plays);
    db.close();

    // and a controller starts on it and answers with what it held
    const ctl = await makeController({ now: () => new Date() }, {}, {}, (target) => {
      const db = new Database(target);
      db.exec(readFileSync(fixture(v), 'utf8'));
      db.close();
    });
    try {
      const stations = await ctl.call('GET', '/api/stations');
      expect(stations.status).toBe(200);
      expect(stations.body).toHaveLength(before.stations as number);
      expect((await ctl.call('GET', '/api/plays?limit=5000')).body).toHaveLength(plays);
    } finally {
      ctl.cleanup();
    }
  });
});
