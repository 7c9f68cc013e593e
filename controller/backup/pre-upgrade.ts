// Before a migration changes an existing database, a copy of it as it was (VACUUM INTO, synchronous: the
// controller is starting and serves nothing yet), kept as a backup of kind 'pre-upgrade'.
import { createHash } from 'node:crypto';
import {
  closeSync,
  mkdirSync,
  openSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import type { Db } from '../db.ts';
import { backupName } from './backup.ts';
import { DATABASE, MANIFEST, type Manifest } from './manifest.ts';

export function preUpgradeBackup(backupsDir: string, now: () => Date) {
  return (db: Db, from: number, _to: number): void => {
    const name = backupName(now());
    const partial = path.join(backupsDir, `.partial-${name}`);
    rmSync(partial, { recursive: true, force: true });
    mkdirSync(partial, { recursive: true });
    const file = path.join(partial, DATABASE);
    db.prepare('VACUUM INTO ?').run(file);
    const manifest: Manifest = {
      format: 1,
      kind: 'pre-upgrade',
      createdAt: now().toISOString(),
      schemaVersion: from,
      database: { file: DATABASE, bytes: statSync(file).size, sha256: sha256FileSync(file) },
      clips: [],
      damagedClips: [],
    };
    writeFileSync(path.join(partial, MANIFEST), `${JSON.stringify(manifest, null, 1)}\n`);
    renameSync(partial, path.join(backupsDir, name));
  };
}

function sha256FileSync(file: string): string {
  const hash = createHash('sha256');
  const buf = Buffer.alloc(1 << 20);
  const fd = openSync(file, 'r');
  try {
    for (let n = readSync(fd, buf); n > 0; n = readSync(fd, buf)) hash.update(buf.subarray(0, n));
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}
