// Checking a backup and putting it back. Nothing is replaced until every file of the backup has been
// checked against its manifest, the database copy passes SQLite's check, and its schema is one this
// controller knows. The database it replaces is kept beside it, never deleted.
import { copyFileSync, existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import path from 'node:path';
import { sha256File } from '../../common/hash.ts';
import { quickCheck } from './check.ts';
import { CLIPS, DATABASE, isProblem, type Manifest, readManifest } from './manifest.ts';

export class BackupRefused extends Error {
  constructor(readonly problems: string[]) {
    super(`backup refused: ${problems.join('; ')}`);
  }
}

/** The backup's manifest once every check has passed; BackupRefused listing what failed otherwise. */
export async function verifyBackup(dir: string, schemaVersion: number): Promise<Manifest> {
  const manifest = readManifest(dir);
  if (isProblem(manifest)) throw new BackupRefused([manifest.problem]);
  const problems: string[] = [];
  if (manifest.schemaVersion > schemaVersion)
    problems.push(
      `taken at schema version ${manifest.schemaVersion}, newer than this controller's ${schemaVersion}: restore it with the newer version`,
    );
  const files = [manifest.database, ...manifest.clips.map((c) => ({ ...c, file: `${CLIPS}/${c.file}` }))];
  for (const f of files) {
    const file = path.join(dir, f.file);
    if (!existsSync(file)) problems.push(`${f.file} is missing`);
    else if (statSync(file).size !== f.bytes || (await sha256File(file)) !== f.sha256)
      problems.push(`${f.file} does not match its checksum`);
  }
  if (!problems.some((p) => p.startsWith(DATABASE))) {
    const { check } = await quickCheck(path.join(dir, DATABASE));
    if (check !== 'ok') problems.push(`the database fails its check: ${check}`);
  }
  if (problems.length) throw new BackupRefused(problems);
  return manifest;
}

export interface Restored {
  manifest: Manifest;
  /** Where the database that was replaced now lies, if there was one. */
  keptAside: string | null;
  clipsCopied: number;
}

/**
 * Restores a verified backup into a stopped controller's data directory: the database replaced (the old
 * one and its WAL moved to `before-restore-<instant>/`), clips the store lacks or has damaged copied back.
 */
export async function restoreBackup(
  dir: string,
  dataDir: string,
  schemaVersion: number,
  now: Date,
): Promise<Restored> {
  const manifest = await verifyBackup(dir, schemaVersion);
  mkdirSync(dataDir, { recursive: true });
  const live = path.join(dataDir, DATABASE);
  const incoming = `${live}.restoring`;
  copyFileSync(path.join(dir, DATABASE), incoming);
  let keptAside: string | null = null;
  if (existsSync(live)) {
    keptAside = path.join(dataDir, `before-restore-${now.toISOString().replace(/[:.]/g, '')}`);
    mkdirSync(keptAside);
    for (const suffix of ['', '-wal', '-shm'])
      if (existsSync(live + suffix)) renameSync(live + suffix, path.join(keptAside, DATABASE + suffix));
  }
  renameSync(incoming, live);
  let clipsCopied = 0;
  for (const c of manifest.clips) {
    const target = path.join(dataDir, CLIPS, c.file);
    if (existsSync(target) && (await sha256File(target)) === c.sha256) continue;
    mkdirSync(path.dirname(target), { recursive: true });
    copyFileSync(path.join(dir, CLIPS, c.file), `${target}.restoring`);
    renameSync(`${target}.restoring`, target);
    clipsCopied++;
  }
  return { manifest, keptAside, clipsCopied };
}
