// An online backup of the controller: the database through SQLite's backup API (in a worker) while the
// controller serves, and the clip store, copied only where the previous backup lacks a file (hard links otherwise).
// It is built in a `.partial-` folder and renamed into place once its manifest is written: a backup that
// was killed half-way never looks like one.
import {
  copyFileSync,
  linkSync,
  mkdirSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import type { Clock } from '../../common/clock.ts';
import { sha256File } from '../../common/hash.ts';
import { copyAndCheck } from './check.ts';
import { CLIPS, DATABASE, isProblem, MANIFEST, type Manifest, readManifest } from './manifest.ts';
import { listBackups } from './rotation.ts';

export interface BackupDeps {
  /** Holds controller.db (copied while the controller uses it) and the clip store. */
  dataDir: string;
  backupsDir: string;
  clock: Clock;
}

/** A backup's folder name: its UTC instant, sortable (2026-12-04T023000Z). */
export const backupName = (at: Date) =>
  at
    .toISOString()
    .replace(/[:]/g, '')
    .replace(/\.\d{3}Z$/, 'Z');

const PARTIAL = '.partial-';

export async function takeBackup(
  deps: BackupDeps,
  kind: 'scheduled' | 'manual',
): Promise<{ dir: string; manifest: Manifest }> {
  const { dataDir, backupsDir, clock } = deps;
  mkdirSync(backupsDir, { recursive: true });
  removePartials(backupsDir);
  const createdAt = clock.now();
  const name = backupName(createdAt);
  const partial = path.join(backupsDir, `${PARTIAL}${name}`);
  mkdirSync(partial, { recursive: true });

  const dbFile = path.join(partial, DATABASE);
  const schemaVersion = await checkCopy(path.join(dataDir, DATABASE), dbFile);
  const database = {
    file: DATABASE,
    bytes: statSync(dbFile).size,
    sha256: await sha256File(dbFile),
  } as const;

  const { clips, damagedClips } = await copyClips(
    path.join(dataDir, CLIPS),
    path.join(partial, CLIPS),
    previous(backupsDir),
  );
  const manifest: Manifest = {
    format: 1,
    kind,
    createdAt: createdAt.toISOString(),
    schemaVersion,
    database,
    clips,
    damagedClips,
  };
  writeFileSync(path.join(partial, MANIFEST), `${JSON.stringify(manifest, null, 1)}\n`);
  const dir = path.join(backupsDir, name);
  renameSync(partial, dir);
  return { dir, manifest };
}

/** Copies the live database; the copy's schema version, after SQLite's quick_check has passed on it. */
async function checkCopy(live: string, copy: string): Promise<number> {
  const { check, schemaVersion } = await copyAndCheck(live, copy);
  if (check !== 'ok') throw new Error(`the database copy fails its check: ${check}`);
  return schemaVersion;
}

/** Backups killed half-way: never complete, never kept. */
function removePartials(backupsDir: string): void {
  for (const entry of readdirSync(backupsDir))
    if (entry.startsWith(PARTIAL)) rmSync(path.join(backupsDir, entry), { recursive: true, force: true });
}

/** The newest complete backup's clip files by hash, to link instead of copying again. */
function previous(backupsDir: string): Map<string, { path: string; entry: Manifest['clips'][number] }> {
  const found = new Map<string, { path: string; entry: Manifest['clips'][number] }>();
  for (const b of listBackups(backupsDir).reverse()) {
    const m = readManifest(b.dir);
    if (isProblem(m) || m.kind === 'pre-upgrade') continue;
    for (const c of m.clips) found.set(c.sha256, { path: path.join(b.dir, CLIPS, c.file), entry: c });
    break;
  }
  return found;
}

/** Clip files are named by their content hash: a file that no longer has it is damaged and left out. */
async function copyClips(from: string, to: string, before: ReturnType<typeof previous>) {
  const clips: Manifest['clips'] = [];
  const damagedClips: string[] = [];
  for (const rel of clipFiles(from)) {
    const sha256 = path.basename(rel).split('.')[0] as string;
    const target = path.join(to, rel);
    mkdirSync(path.dirname(target), { recursive: true });
    const known = before.get(sha256);
    if (known && known.entry.file === rel && statSync(path.join(from, rel)).size === known.entry.bytes) {
      linkSync(known.path, target);
      clips.push(known.entry);
      continue;
    }
    if ((await sha256File(path.join(from, rel))) !== sha256) {
      damagedClips.push(rel);
      continue;
    }
    copyFileSync(path.join(from, rel), target);
    clips.push({ file: rel, bytes: statSync(target).size, sha256 });
  }
  return { clips, damagedClips };
}

/** Every clip file under a clip store, as `ab/<hash>.<ext>`. */
export function clipFiles(root: string): string[] {
  try {
    return readdirSync(root, { withFileTypes: true })
      .filter((d) => d.isDirectory() && /^[0-9a-f]{2}$/.test(d.name))
      .flatMap((d) => readdirSync(path.join(root, d.name)).map((f) => `${d.name}/${f}`))
      .filter((rel) => /^[0-9a-f]{2}\/[0-9a-f]{64}\.\w+$/.test(rel))
      .sort();
  } catch {
    return [];
  }
}
