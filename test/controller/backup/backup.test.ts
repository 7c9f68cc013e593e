// Backups of a real controller database and clip store: taken while the database is written, restored
// into another data directory with the same records and clips, later ones linking unchanged clips; the
// integrity check that repairs a damaged clip from them.
import { statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { takeBackup } from '../../../controller/backup/backup.ts';
import { checkIntegrity } from '../../../controller/backup/integrity.ts';
import { restoreBackup } from '../../../controller/backup/restore.ts';
import { schemaVersion } from '../../../controller/db.ts';
import { type TempDir, tempDir } from '../../support/temp.ts';
import { addClip, addPlays, fingerprint, fixedClock, makeDataDir } from './world.ts';

let tmp: TempDir;
afterEach(() => tmp.cleanup());

const rows = (file: string) => {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare('SELECT * FROM plays ORDER BY id').all() as { id: string }[];
  } finally {
    db.close();
  }
};

describe('backups', () => {
  it('taken while the database is written, restore every record and clip into another data directory', async () => {
    tmp = tempDir('backup');
    const dataDir = path.join(tmp.dir, 'data');
    const db = makeDataDir(dataDir);
    const before = rows(path.join(dataDir, 'controller.db')).length;
    let writing = true;
    const writer = (async () => {
      while (writing) {
        addPlays(db, 'st-tan-an', 50);
        await new Promise((r) => setImmediate(r));
      }
    })();
    const clock = fixedClock('2026-12-04T19:30:00Z');
    const { dir, manifest } = await takeBackup(
      { dataDir, backupsDir: path.join(tmp.dir, 'backups'), clock },
      'manual',
    );
    writing = false;
    await writer;
    expect(path.basename(dir)).toBe('2026-12-04T193000Z');
    expect(manifest).toMatchObject({ kind: 'manual', schemaVersion: schemaVersion(), damagedClips: [] });
    expect(manifest.clips).toHaveLength(2);

    const restoredDir = path.join(tmp.dir, 'restored');
    const done = await restoreBackup(dir, restoredDir, schemaVersion(), clock.now());
    expect(done).toMatchObject({ keptAside: null, clipsCopied: 2 });
    const restored = rows(path.join(restoredDir, 'controller.db'));
    const live = new Map(rows(path.join(dataDir, 'controller.db')).map((r) => [r.id, r]));
    // a consistent moment of the live database: at least what was there before, each row as it is live
    expect(restored.length).toBeGreaterThanOrEqual(before);
    for (const r of restored) expect(live.get(r.id)).toEqual(r);
    const clips = (d: string) =>
      Object.fromEntries(Object.entries(fingerprint(d)).filter(([f]) => f.startsWith('clips')));
    expect(clips(restoredDir)).toEqual(clips(dataDir));
    db.close();
  });

  it('restores over a live data directory, keeping the database it replaces and fetching damaged clips again', async () => {
    tmp = tempDir('backup');
    const dataDir = path.join(tmp.dir, 'data');
    const db = makeDataDir(dataDir);
    const clock = fixedClock('2026-12-04T19:30:00Z');
    const { dir } = await takeBackup({ dataDir, backupsDir: path.join(tmp.dir, 'backups'), clock }, 'manual');
    addPlays(db, 'st-an-binh', 10); // written after the backup: gone after the restore, kept aside
    db.close();
    const damaged = addClip(dataDir, 'canh-bao-lu'); // same name and size, other bytes below
    writeFileSync(
      path.join(dataDir, 'clips', damaged),
      Buffer.alloc(statSync(path.join(dataDir, 'clips', damaged)).size),
    );

    const done = await restoreBackup(dir, dataDir, schemaVersion(), new Date('2026-12-05T01:00:00Z'));
    expect(done.clipsCopied).toBe(1);
    expect(rows(path.join(dataDir, 'controller.db'))).toHaveLength(500);
    expect(rows(path.join(done.keptAside as string, 'controller.db'))).toHaveLength(510);
    expect(fingerprint(path.join(dataDir, 'clips'))).toEqual(fingerprint(path.join(dir, 'clips')));
  });

  it('links clips an earlier backup holds instead of copying them, and leaves out a clip whose bytes no longer match', async () => {
    tmp = tempDir('backup');
    const dataDir = path.join(tmp.dir, 'data');
    const db = makeDataDir(dataDir);
    const backupsDir = path.join(tmp.dir, 'backups');
    const clock = fixedClock('2026-12-03T19:30:00Z');
    const first = await takeBackup({ dataDir, backupsDir, clock }, 'scheduled');
    const added = addClip(dataDir, 'thong-bao-moi');
    writeFileSync(path.join(dataDir, 'clips', added), 'not what its name says');
    clock.set('2026-12-04T19:30:00Z');
    const second = await takeBackup({ dataDir, backupsDir, clock }, 'scheduled');
    expect(second.manifest.damagedClips).toEqual([added]);
    for (const c of first.manifest.clips) {
      const a = statSync(path.join(first.dir, 'clips', c.file));
      const b = statSync(path.join(second.dir, 'clips', c.file));
      expect(b.ino).toBe(a.ino); // one copy on disk for both backups
    }
    db.close();
  });
});

describe('the integrity check', () => {
  it('finds the database whole, puts a damaged clip back from a backup, and names one no backup holds', async () => {
    tmp = tempDir('integrity');
    const dataDir = path.join(tmp.dir, 'data');
    const backupsDir = path.join(tmp.dir, 'backups');
    const db = makeDataDir(dataDir);
    const { manifest } = await takeBackup(
      { dataDir, backupsDir, clock: fixedClock('2026-12-04T19:30:00Z') },
      'manual',
    );
    db.close();
    const held = manifest.clips.map((c) => c.file)[0] as string;
    const orphan = addClip(dataDir, 'sau-sao-luu'); // uploaded after the backup
    const wholeBytes = fingerprint(path.join(dataDir, 'clips'));
    for (const rel of [held, orphan]) writeFileSync(path.join(dataDir, 'clips', rel), 'hỏng');

    const report = await checkIntegrity(dataDir, backupsDir, new Date('2026-12-05T00:00:00Z'));
    expect(report).toEqual({
      at: '2026-12-05T00:00:00.000Z',
      database: 'ok',
      clipsChecked: 3,
      repairedClips: [held],
      damagedClips: [orphan],
    });
    expect(fingerprint(path.join(dataDir, 'clips'))[held]).toBe(wholeBytes[held]);
  });
});
