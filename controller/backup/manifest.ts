// What a backup holds and how it is checked: a manifest written last, with every file's size and SHA-256,
// the schema it was taken at and the result of SQLite's quick_check on the copy.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

export const MANIFEST = 'manifest.json';
export const DATABASE = 'controller.db';
export const CLIPS = 'clips';

const Sha256 = z.string().regex(/^[0-9a-f]{64}$/);

export const Manifest = z.object({
  format: z.literal(1),
  /** 'scheduled' and 'manual' hold the database and the clips; 'pre-upgrade' the database alone. */
  kind: z.enum(['scheduled', 'manual', 'pre-upgrade']),
  createdAt: z.iso.datetime(),
  /** The database's schema version (PRAGMA user_version) when it was copied. */
  schemaVersion: z.number().int().min(0),
  database: z.object({ file: z.literal(DATABASE), bytes: z.number().int().min(0), sha256: Sha256 }),
  /** Clip files by content hash, stored under clips/<first two hex digits>/<hash>.<ext>. */
  clips: z.array(
    z.object({
      file: z.string().regex(/^[0-9a-f]{2}\/[0-9a-f]{64}\.\w+$/),
      bytes: z.number().int().min(0),
      sha256: Sha256,
    }),
  ),
  /** Clips whose file no longer matched its hash when the backup was taken: left out, reported. */
  damagedClips: z.array(z.string()).default([]),
});
export type Manifest = z.infer<typeof Manifest>;

/** A backup directory's manifest, or why it has none that can be read. */
export function readManifest(dir: string): Manifest | { problem: string } {
  let text: string;
  try {
    text = readFileSync(path.join(dir, MANIFEST), 'utf8');
  } catch {
    return { problem: 'no manifest: the backup is incomplete' };
  }
  try {
    const parsed = Manifest.safeParse(JSON.parse(text));
    return parsed.success
      ? parsed.data
      : { problem: `manifest unreadable: ${parsed.error.issues[0]?.message}` };
  } catch {
    return { problem: 'manifest is not JSON' };
  }
}

export const isProblem = (m: Manifest | { problem: string }): m is { problem: string } => 'problem' in m;
