// Retention of the as-run log: rows older than the retention period (ASRUN_KEEP_DAYS, 400 by default) are
// written a month at a time to compressed JSON lines (ASRUN_ARCHIVE_DIR/plays-YYYY-MM.jsonl.gz), the file
// is read back and checked, and only then are the rows it holds deleted, by the ids read from it; the day
// summaries (rollup.ts) stay for ever. A crash at any point loses nothing: a file not yet recorded is made
// again, a deletion cut short is resumed from its file, and rows that arrive for a month already
// archived go to a further part (plays-YYYY-MM-2.jsonl.gz).
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import {
  closeSync,
  createReadStream,
  createWriteStream,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  renameSync,
  rmSync,
} from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { createGunzip, createGzip } from 'node:zlib';
import type { Clock } from '../../common/clock.ts';
import { addDays } from '../../schedules/time.ts';
import type { Db } from '../db.ts';
import { dayStart, summaryDay } from './rollup.ts';
import { type PlayRow, playView } from './store.ts';

export interface RetentionDeps {
  db: Db;
  clock: Clock;
  /** Where the monthly files go. */
  dir: string;
  /** Rows are kept this many days (whole months are archived once their last day is that old). */
  keepDays: number;
}

export interface ArchivedFile {
  file: string;
  month: string;
  records: number;
  sha256: string;
}

/** The instant before which rows may have been archived: reports count those from the summaries only. */
export function archivedBefore(db: Db): string | null {
  const month = db.prepare('SELECT max(month) FROM plays_archive').pluck().get() as string | null;
  return month ? dayStart(nextMonth(month)) : null;
}

/** The first day (YYYY-MM-DD) of the month after `month` (YYYY-MM). */
export const nextMonth = (month: string) => {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
};

const PAGE = 5000;

/** Archives every month whose last day is older than the retention period; returns the files written. */
export async function archiveOldMonths(deps: RetentionDeps): Promise<ArchivedFile[]> {
  const { db, dir } = deps;
  mkdirSync(dir, { recursive: true });
  for (const f of readdirSync(dir)) if (f.endsWith('.partial')) rmSync(path.join(dir, f), { force: true });
  // a deletion cut short resumes first
  const unfinished = db
    .prepare('SELECT file FROM plays_archive WHERE deleted_at IS NULL')
    .pluck()
    .all() as string[];
  for (const file of unfinished) await deleteArchived(deps, file);

  const cutoff = addDays(summaryDay(deps.clock.now().toISOString()), -deps.keepDays);
  const written: ArchivedFile[] = [];
  for (;;) {
    const oldest = db.prepare('SELECT min(scheduled_at) FROM plays').pluck().get() as string | null;
    if (!oldest) break;
    const month = summaryDay(oldest).slice(0, 7);
    if (nextMonth(month) > cutoff) break;
    const archived = await exportMonth(deps, month);
    await deleteArchived(deps, archived.file, true);
    written.push(archived);
  }
  return written;
}

async function exportMonth({ db, dir, clock }: RetentionDeps, month: string): Promise<ArchivedFile> {
  const from = dayStart(`${month}-01`);
  const to = dayStart(nextMonth(month));
  const taken = new Set(db.prepare('SELECT file FROM plays_archive').pluck().all() as string[]);
  let part = 1;
  const nameOf = (n: number) => `plays-${month}${n === 1 ? '' : `-${n}`}.jsonl.gz`;
  while (taken.has(nameOf(part))) part++;
  const file = nameOf(part);
  // a file on disk but not recorded was cut short before its record: its rows are all still here
  const target = path.join(dir, file);
  rmSync(target, { force: true });

  const partial = `${target}.partial`;
  const gzip = createGzip();
  const out = createWriteStream(partial);
  const hash = createHash('sha256');
  gzip.on('data', (chunk: Buffer) => hash.update(chunk));
  const done = once(out, 'close');
  gzip.pipe(out);
  const page = db.prepare(
    `SELECT * FROM plays WHERE scheduled_at >= ? AND scheduled_at < ?
       AND (scheduled_at, station_id, id) > (?, ?, ?)
     ORDER BY scheduled_at, station_id, id LIMIT ${PAGE}`,
  );
  let records = 0;
  let after: [string, string, string] = [from, '', ''];
  for (;;) {
    const rows = page.all(from, to, ...after) as PlayRow[];
    if (!rows.length) break;
    const text = rows.map((r) => JSON.stringify(playView(r))).join('\n');
    if (!gzip.write(`${text}\n`)) await once(gzip, 'drain');
    records += rows.length;
    const last = rows.at(-1) as PlayRow;
    after = [last.scheduled_at, last.station_id, last.id];
  }
  gzip.end();
  await done;
  const fd = openSync(partial, 'r');
  fsyncSync(fd);
  closeSync(fd);
  const sha256 = hash.digest('hex');
  const check = await readArchive(partial, () => undefined);
  if (check.records !== records || check.sha256 !== sha256)
    throw new Error(`the archive ${file} did not read back as written`);
  renameSync(partial, target);
  db.prepare(
    'INSERT INTO plays_archive (file, month, records, sha256, exported_at) VALUES (?, ?, ?, ?, ?)',
  ).run(file, month, records, sha256, clock.now().toISOString());
  return { file, month, records, sha256 };
}

/**
 * Deletes the rows a recorded file holds, in short transactions so the ingest is never held long. A file
 * just written was read back and checked by exportMonth; one found unfinished is checked again first.
 */
async function deleteArchived(
  { db, dir, clock }: RetentionDeps,
  file: string,
  justChecked = false,
): Promise<void> {
  const recorded = db.prepare('SELECT records, sha256 FROM plays_archive WHERE file = ?').get(file) as {
    records: number;
    sha256: string;
  };
  const full = path.join(dir, file);
  const check = justChecked
    ? recorded
    : await readArchive(full, () => undefined).catch((e: Error) => ({ records: -1, sha256: e.message }));
  if (check.records !== recorded.records || check.sha256 !== recorded.sha256)
    throw new Error(`the archive ${file} no longer matches its record: its rows are kept`);
  const remove = db.prepare('DELETE FROM plays WHERE station_id = ? AND id = ?');
  const chunk = db.transaction((keys: [string, string][]) => {
    for (const [s, id] of keys) remove.run(s, id);
  });
  let keys: [string, string][] = [];
  await readArchive(full, (r) => {
    keys.push([r.stationId, r.id]);
    if (keys.length >= 2000) {
      chunk(keys);
      keys = [];
    }
  });
  chunk(keys);
  db.prepare('UPDATE plays_archive SET deleted_at = ? WHERE file = ?').run(clock.now().toISOString(), file);
}

/** Reads an archive file line by line; its record count and the SHA-256 of its bytes. */
export async function readArchive(
  file: string,
  each: (r: { stationId: string; id: string } & Record<string, unknown>) => void,
): Promise<{ records: number; sha256: string }> {
  const hash = createHash('sha256');
  const raw = createReadStream(file);
  raw.on('data', (chunk) => hash.update(chunk as Buffer));
  const lines = createInterface({ input: raw.pipe(createGunzip()), crlfDelay: Number.POSITIVE_INFINITY });
  let records = 0;
  for await (const line of lines) {
    if (!line) continue;
    each(JSON.parse(line));
    records++;
    if (records % PAGE === 0) await new Promise((r) => setImmediate(r));
  }
  return { records, sha256: hash.digest('hex') };
}
