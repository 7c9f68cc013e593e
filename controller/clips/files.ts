// Clip files: content-addressed paths, atomic writes, and the clean-up after a crash.
import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, rmSync } from 'node:fs';
import { mkdir, open, rename } from 'node:fs/promises';
import path from 'node:path';
import { BROADCAST_FORMAT } from '../../audio/index.ts';
import type { Logger } from '../../common/log.ts';
import type { Db } from '../db.ts';
import { markInterrupted, storedSha256s } from './store.ts';

/** Stored files live at clips/ab/<sha256>.opus: the name is the content, never the uploader's name. */
export const clipPath = (dataDir: string, sha256: string) =>
  path.join(dataDir, 'clips', sha256.slice(0, 2), `${sha256}.${BROADCAST_FORMAT.extension}`);

export const tmpDirOf = (dataDir: string) => path.join(dataDir, 'tmp');

/**
 * Moves a finished temp file to its final name so that a crash leaves either nothing or the whole
 * file: data flushed before the rename, the rename flushed by syncing the folder.
 */
export async function commitFile(tmp: string, dest: string): Promise<void> {
  const fh = await open(tmp, 'r+');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
  await mkdir(path.dirname(dest), { recursive: true });
  await rename(tmp, dest);
  try {
    const dir = openSync(path.dirname(dest), 'r');
    try {
      fsyncSync(dir);
    } finally {
      closeSync(dir);
    }
  } catch {
    // some filesystems refuse to sync a directory; the rename itself is still atomic
  }
}

/**
 * At start: nothing can still be processing (the jobs died with the last process), temp files are
 * leftovers, and a stored file no row names was renamed into place just before a crash.
 */
export function recoverClips(db: Db, dataDir: string, now: Date, log: Logger): void {
  const stale = markInterrupted(db, now);
  if (stale) log.warn(`${stale} clip(s) were processing when the controller stopped; marked failed`);
  const tmp = tmpDirOf(dataDir);
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  const known = new Set(storedSha256s(db).map((sha256) => `${sha256}.${BROADCAST_FORMAT.extension}`));
  const root = path.join(dataDir, 'clips');
  let entries: string[] = [];
  try {
    entries = readdirSync(root, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .flatMap((d) => readdirSync(path.join(root, d.name)).map((f) => path.join(d.name, f)));
  } catch {
    return; // no clips folder yet
  }
  for (const rel of entries) {
    if (known.has(path.basename(rel))) continue;
    log.warn(`removing ${rel}: no clip refers to it`);
    rmSync(path.join(root, rel), { force: true });
  }
}
