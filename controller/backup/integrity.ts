// The periodic check of what the controller keeps: SQLite's quick_check on the live database (off the main
// thread), and every clip file against the hash it is named by. A damaged clip is put back from the newest
// backup that holds it whole; one no backup holds is reported.
import { copyFileSync, renameSync } from 'node:fs';
import path from 'node:path';
import { sha256File } from '../../common/hash.ts';
import { clipFiles } from './backup.ts';
import { quickCheck } from './check.ts';
import { CLIPS, DATABASE, isProblem, readManifest } from './manifest.ts';
import { listBackups } from './rotation.ts';

export interface IntegrityReport {
  at: string;
  /** 'ok', or SQLite's first problem. */
  database: string;
  clipsChecked: number;
  /** Damaged clip files put back from a backup. */
  repairedClips: string[];
  /** Damaged clip files no backup holds: their clips must be uploaded again. */
  damagedClips: string[];
}

export async function checkIntegrity(
  dataDir: string,
  backupsDir: string,
  now: Date,
): Promise<IntegrityReport> {
  const { check } = await quickCheck(path.join(dataDir, DATABASE));
  const repairedClips: string[] = [];
  const damagedClips: string[] = [];
  const files = clipFiles(path.join(dataDir, CLIPS));
  for (const rel of files) {
    const file = path.join(dataDir, CLIPS, rel);
    const sha256 = path.basename(rel).split('.')[0] as string;
    if ((await sha256File(file)) === sha256) continue;
    const copy = await wholeCopy(backupsDir, rel, sha256);
    if (!copy) {
      damagedClips.push(rel);
      continue;
    }
    copyFileSync(copy, `${file}.repair`);
    renameSync(`${file}.repair`, file);
    repairedClips.push(rel);
  }
  return { at: now.toISOString(), database: check, clipsChecked: files.length, repairedClips, damagedClips };
}

/** The newest backup's copy of a clip file that still has its hash. */
async function wholeCopy(backupsDir: string, rel: string, sha256: string): Promise<string | null> {
  for (const b of listBackups(backupsDir).reverse()) {
    const m = readManifest(b.dir);
    if (isProblem(m) || !m.clips.some((c) => c.file === rel)) continue;
    const file = path.join(b.dir, CLIPS, rel);
    if ((await sha256File(file).catch(() => '')) === sha256) return file;
  }
  return null;
}
