// A controller's data directory for backup tests: a real database at the current schema with stations,
// as-run rows and clip files named by their hash; and a fingerprint of everything in it.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Clock } from '../../../common/clock.ts';
import { type Db, openDb } from '../../../controller/db.ts';

export const fixedClock = (iso: string): Clock & { set(iso: string): void } => {
  let now = new Date(iso);
  return { now: () => now, set: (v) => (now = new Date(v)) } as Clock & { set(iso: string): void };
};

/** Writes a clip file as the controller stores it, returning its path relative to clips/. */
export function addClip(dataDir: string, content: string): string {
  const bytes = Buffer.from(content.repeat(2000));
  const sha = createHash('sha256').update(bytes).digest('hex');
  const rel = `${sha.slice(0, 2)}/${sha}.opus`;
  mkdirSync(path.join(dataDir, 'clips', sha.slice(0, 2)), { recursive: true });
  writeFileSync(path.join(dataDir, 'clips', rel), bytes);
  return rel;
}

let seq = 0;
/** `count` as-run rows of station `station`, as ingest stores them. */
export function addPlays(db: Db, station: string, count: number): void {
  const add = db.prepare(
    `INSERT INTO plays (id, station_id, entry_id, clip_ids, scheduled_at, outcome, desired_version, recorded_at, received_at)
     VALUES (?, ?, ?, '[]', ?, 'played', 1, ?, ?)`,
  );
  db.transaction(() => {
    for (let i = 0; i < count; i++) {
      const at = new Date(Date.UTC(2026, 0, 1) + seq * 60_000).toISOString();
      add.run(`r-${seq}`, station, `e-${seq++}`, at, at, at);
    }
  })();
}

export function makeDataDir(dataDir: string): Db {
  mkdirSync(dataDir, { recursive: true });
  const db = openDb(path.join(dataDir, 'controller.db'));
  addPlays(db, 'st-an-binh', 500);
  addClip(dataDir, 'chuong-trinh-sang');
  addClip(dataDir, 'canh-bao-lu');
  return db;
}

/** Every file under a folder with its hash: equal fingerprints, nothing changed. */
export function fingerprint(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d)) {
      const p = path.join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else out[path.relative(dir, p)] = createHash('sha256').update(readFileSync(p)).digest('hex');
    }
  };
  walk(dir);
  return out;
}
