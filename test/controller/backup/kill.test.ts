// SIGKILL in the middle of a backup and of a migration, at several moments: a backup killed half-way never
// counts as one (the last good backup still verifies and restores the same records), and a database is at
// one schema version or the next, whole, never between.
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { takeBackup } from '../../../controller/backup/backup.ts';
import { isProblem, readManifest } from '../../../controller/backup/manifest.ts';
import { restoreBackup, verifyBackup } from '../../../controller/backup/restore.ts';
import { listBackups } from '../../../controller/backup/rotation.ts';
import { type Db, openDb, schemaVersion } from '../../../controller/db.ts';
import { startProcess } from '../../support/process.ts';
import { type TempDir, tempDir } from '../../support/temp.ts';
import { waitFor } from '../../support/wait.ts';
import { addPlays, fixedClock, makeDataDir } from './world.ts';

const DELAYS_MS = [0, 30, 80, 160, 320];
let tmp: TempDir;
beforeAll(() => {
  tmp = tempDir('kill');
});
afterAll(() => tmp.cleanup());

/** Runs the child until it says "go", waits `delayMs`, then SIGKILLs it (unless it has finished). */
async function killDuring(args: string[], delayMs: number): Promise<boolean> {
  const child = startProcess('test/controller/backup/child.ts', args, {});
  await waitFor(
    () => child.output().includes('go') || child.child.exitCode !== null,
    30_000,
    'the child to start',
  );
  await new Promise((r) => setTimeout(r, delayMs));
  await child.stop('SIGKILL');
  return child.output().includes('done');
}

const count = (file: string) => {
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM plays').get() as { n: number }).n;
  } finally {
    db.close();
  }
};

/** The schema as SQLite holds it: tables, indexes, triggers and their SQL. */
const schemaOf = (db: Db) =>
  db
    .prepare("SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name")
    .all();

describe('killed', () => {
  it('during a backup: never a backup half-made; the last good one still restores the same records', async () => {
    const dataDir = path.join(tmp.dir, 'data');
    const backupsDir = path.join(tmp.dir, 'backups');
    const db = makeDataDir(dataDir);
    const good = await takeBackup(
      { dataDir, backupsDir, clock: fixedClock('2026-12-01T19:30:00Z') },
      'manual',
    );
    addPlays(db, 'st-tan-an', 100_000); // a database big enough to be caught mid-copy
    db.close();
    let finished = 0;
    for (const delay of DELAYS_MS) {
      if (await killDuring(['backup', dataDir, backupsDir], delay)) finished++;
      for (const b of listBackups(backupsDir)) {
        const m = readManifest(b.dir);
        expect(isProblem(m), `${b.name} is a backup only when whole`).toBe(false);
        await verifyBackup(b.dir, schemaVersion());
      }
    }
    console.log(
      `backup killed at ${DELAYS_MS.join(', ')} ms: ${DELAYS_MS.length - finished} cut, ${finished} had finished`,
    );
    expect(finished).toBeLessThan(DELAYS_MS.length);
    // the next backup clears what the killed ones left and is whole
    const next = await takeBackup(
      { dataDir, backupsDir, clock: fixedClock('2026-12-02T19:30:00Z') },
      'manual',
    );
    await verifyBackup(next.dir, schemaVersion());
    expect(readdirSync(backupsDir).filter((n) => n.startsWith('.partial-'))).toEqual([]);
    const restored = path.join(tmp.dir, 'restored');
    await restoreBackup(good.dir, restored, schemaVersion(), new Date());
    expect(count(path.join(restored, 'controller.db'))).toBe(500);
  }, 180_000);

  it('during a migration: the database is at one version or the next, whole, and keeps every record', async () => {
    const from = 1;
    const fixture = path.join(tmp.dir, 'old.db');
    const old = openDb(fixture, { upTo: from });
    addPlays(old, 'st-an-binh', 100_000);
    old.close();
    const fresh = new Map<number, unknown>();
    const schemaAt = (v: number) => {
      if (!fresh.has(v)) {
        const file = path.join(tmp.dir, `fresh-${v}.db`);
        const db = openDb(file, { upTo: v });
        fresh.set(v, schemaOf(db));
        db.close();
      }
      return fresh.get(v);
    };
    const versions: number[] = [];
    for (const [i, delay] of DELAYS_MS.entries()) {
      const dir = path.join(tmp.dir, `migrate-${i}`);
      mkdirSync(dir);
      const file = path.join(dir, 'controller.db');
      copyFileSync(fixture, file);
      await killDuring(['migrate', file], delay);
      const db = new Database(file);
      const v = db.pragma('user_version', { simple: true }) as number;
      versions.push(v);
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(schemaOf(db)).toEqual(schemaAt(v));
      db.close();
      expect(count(file)).toBe(100_000);
      openDb(file).close(); // and on the next start it finishes
      expect(count(file)).toBe(100_000);
    }
    console.log(
      `migration from schema ${from} killed at ${DELAYS_MS.join(', ')} ms: found at versions ${versions.join(', ')} of ${schemaVersion()}`,
    );
  }, 180_000);
});
