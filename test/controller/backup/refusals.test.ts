// A backup that is not whole is refused with its reasons, and the data directory stays as it was: a
// corrupted database copy, a damaged or missing clip, a backup killed before its manifest, a newer schema.
// A controller refuses a database newer than itself; an upgrade keeps a copy of the database first.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { takeBackup } from '../../../controller/backup/backup.ts';
import { preUpgradeBackup } from '../../../controller/backup/pre-upgrade.ts';
import { BackupRefused, restoreBackup, verifyBackup } from '../../../controller/backup/restore.ts';
import { listBackups } from '../../../controller/backup/rotation.ts';
import { openDb, SchemaTooNew, schemaVersion } from '../../../controller/db.ts';
import { type TempDir, tempDir } from '../../support/temp.ts';
import { fingerprint, fixedClock, makeDataDir } from './world.ts';

let tmp: TempDir;
afterEach(() => tmp.cleanup());

async function backupWorld() {
  tmp = tempDir('refuse');
  const dataDir = path.join(tmp.dir, 'data');
  const db = makeDataDir(dataDir);
  const clock = fixedClock('2026-12-04T19:30:00Z');
  const { dir, manifest } = await takeBackup(
    { dataDir, backupsDir: path.join(tmp.dir, 'backups'), clock },
    'manual',
  );
  db.close();
  return { dataDir, dir, manifest };
}

async function refusedWith(dir: string, dataDir: string) {
  const before = fingerprint(dataDir);
  const e = await restoreBackup(dir, dataDir, schemaVersion(), new Date()).catch((x) => x);
  expect(e).toBeInstanceOf(BackupRefused);
  expect(fingerprint(dataDir)).toEqual(before);
  return (e as BackupRefused).problems;
}

describe('a backup that is not whole', () => {
  it('a database copy with changed bytes', async () => {
    const { dataDir, dir } = await backupWorld();
    const file = path.join(dir, 'controller.db');
    const bytes = readFileSync(file);
    bytes.writeUInt8(bytes.readUInt8(bytes.length - 100) ^ 0xff, bytes.length - 100);
    writeFileSync(file, bytes);
    expect(await refusedWith(dir, dataDir)).toEqual(['controller.db does not match its checksum']);
  });

  it('a clip missing or damaged', async () => {
    const { dataDir, dir, manifest } = await backupWorld();
    const [a, b] = manifest.clips.map((c) => c.file) as [string, string];
    rmSync(path.join(dir, 'clips', a));
    writeFileSync(path.join(dir, 'clips', b), 'x');
    expect((await refusedWith(dir, dataDir)).sort()).toEqual(
      [`clips/${a} is missing`, `clips/${b} does not match its checksum`].sort(),
    );
  });

  it('a backup killed before its manifest was written', async () => {
    const { dataDir, dir } = await backupWorld();
    rmSync(path.join(dir, 'manifest.json'));
    expect(await refusedWith(dir, dataDir)).toEqual(['no manifest: the backup is incomplete']);
  });

  it('a backup from a newer schema', async () => {
    const { dataDir, dir } = await backupWorld();
    const file = path.join(dir, 'manifest.json');
    const m = JSON.parse(readFileSync(file, 'utf8'));
    writeFileSync(file, JSON.stringify({ ...m, schemaVersion: schemaVersion() + 1 }));
    const [problem] = await refusedWith(dir, dataDir);
    expect(problem).toContain(`newer than this controller's ${schemaVersion()}`);
    await expect(verifyBackup(dir, schemaVersion() + 1)).resolves.toBeTruthy();
  });
});

describe('upgrades', () => {
  it('a controller refuses a database newer than itself, and changes nothing', () => {
    tmp = tempDir('upgrade');
    const file = path.join(tmp.dir, 'controller.db');
    openDb(file).close();
    const raw = new Database(file);
    raw.pragma(`user_version = ${schemaVersion() + 3}`);
    raw.close();
    const before = fingerprint(tmp.dir);
    expect(() => openDb(file)).toThrow(SchemaTooNew);
    expect(() => openDb(file)).toThrow(/schema version \d+, newer than this controller's/);
    expect(fingerprint(tmp.dir)).toEqual(before);
  });

  it('an existing database is copied before its first migration, and the copy restores to the old schema', async () => {
    tmp = tempDir('upgrade');
    const dataDir = path.join(tmp.dir, 'data');
    const backupsDir = path.join(tmp.dir, 'backups');
    const from = schemaVersion() - 3;
    mkdirSync(dataDir, { recursive: true });
    mkdirSync(backupsDir, { recursive: true });
    openDb(path.join(dataDir, 'controller.db'), { upTo: from }).close();
    const clock = fixedClock('2026-12-04T20:00:00Z');
    const seen: number[][] = [];
    const hook = preUpgradeBackup(backupsDir, clock.now);
    openDb(path.join(dataDir, 'controller.db'), {
      beforeUpgrade: (db, a, b) => {
        seen.push([a, b]);
        hook(db, a, b);
      },
    }).close();
    expect(seen).toEqual([[from, schemaVersion()]]);
    const [copy] = listBackups(backupsDir);
    const manifest = await verifyBackup(copy?.dir as string, schemaVersion());
    expect(manifest).toMatchObject({ kind: 'pre-upgrade', schemaVersion: from, clips: [] });
    // opened again at the current schema: no upgrade, no copy
    openDb(path.join(dataDir, 'controller.db'), { beforeUpgrade: () => seen.push([]) }).close();
    expect(seen).toHaveLength(1);
  });
});
