// Backup benchmark: an online backup of a month of as-run records for 10,000 stations (6 million rows)
// while the controller stores 5,000 records a second, four ways side by side: SQLite's backup API in a
// worker thread with its own connection (what the controller does), the same API on the controller's
// connection in small steps and in one step, and VACUUM INTO. Measured: the longest stall of the ingest (the event loop
// held), the backup's time, and that the copy restores to the same report. Prints a Markdown section.

import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { takeBackup } from '../../controller/backup/backup.ts';
import { restoreBackup } from '../../controller/backup/restore.ts';
import { type Db, openDb, schemaVersion } from '../../controller/db.ts';
import { tempDir } from '../support/temp.ts';
import { log, median, runBench } from './support/bench.ts';

const ROWS = Number(process.env.BACKUP_BENCH_ROWS ?? 6_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const RATE = 5_000;
const STALL_GOAL_MS = 200;
const tmp = tempDir('bench-backup');

function seed(db: Db): void {
  const add = db.prepare(
    `INSERT INTO plays (id, station_id, entry_id, slot_id, clip_ids, scheduled_at, outcome, reason, desired_version, recorded_at, received_at)
     VALUES (?, ?, ?, ?, '["clip-a"]', ?, ?, ?, 1, ?, ?)`,
  );
  const base = Date.UTC(2026, 10, 1);
  for (let done = 0; done < ROWS; done += 100_000)
    db.transaction(() => {
      for (let i = done; i < Math.min(ROWS, done + 100_000); i++) {
        const at = new Date(base + Math.floor(i / 10_000) * 240_000).toISOString();
        const skipped = i % 17 === 0;
        add.run(
          `r-${i}`,
          `st-${i % 10_000}`,
          `slot-${i % 7}@x`,
          `slot-${i % 7}`,
          at,
          skipped ? 'skipped' : 'played',
          skipped ? 'quiet-window' : null,
          at,
          at,
        );
      }
    })();
}

/** The November report: plays by station and outcome (what the province reads), as one digest. */
const report = (db: Db) =>
  JSON.stringify(
    db
      .prepare(
        `SELECT station_id, outcome, count(*) n FROM plays WHERE scheduled_at >= '2026-11-01' AND scheduled_at < '2026-12-01'
         GROUP BY station_id, outcome ORDER BY station_id, outcome`,
      )
      .all(),
  );

/** Ingest at RATE records/s (one transaction of 100 every 20 ms) while `work` runs; the longest gap between batches. */
async function whileIngesting(db: Db, work: () => Promise<void>) {
  const add = db.prepare(
    `INSERT INTO plays (id, station_id, entry_id, clip_ids, scheduled_at, outcome, desired_version, recorded_at, received_at)
     VALUES (?, 'st-live', ?, '[]', '2027-01-01T00:00:00Z', 'played', 1, '2027-01-01T00:00:00Z', '2027-01-01T00:00:00Z')`,
  );
  let n = 0;
  let last = performance.now();
  let worst = 0;
  const batch = db.transaction(() => {
    for (let i = 0; i < RATE / 50; i++) add.run(`live-${Math.random()}`, `e-${n++}`);
  });
  const timer = setInterval(() => {
    const now = performance.now();
    worst = Math.max(worst, now - last);
    last = now;
    batch();
  }, 20);
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  const started = performance.now();
  await work();
  const ms = performance.now() - started;
  clearInterval(timer);
  loop.disable();
  return { ms, worstGapMs: Math.max(worst, performance.now() - last), loopMaxMs: loop.max / 1e6, stored: n };
}

async function main(): Promise<void> {
  const dataDir = path.join(tmp.dir, 'data');
  const { mkdirSync, statSync } = await import('node:fs');
  mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, 'controller.db');
  const db = openDb(file);
  log(`seeding ${ROWS.toLocaleString('en')} as-run rows`);
  seed(db);
  db.pragma('wal_checkpoint(TRUNCATE)');
  const bytes = statSync(file).size;
  const expected = report(db);
  const ways: Record<string, (i: number) => Promise<string>> = {
    'backup API in a worker, one step (the controller)': async (i) => {
      const { dir } = await takeBackup(
        { dataDir, backupsDir: path.join(tmp.dir, `b${i}`), clock: { now: () => new Date() } },
        'manual',
      );
      return dir;
    },
    'backup API on the main connection, 256 pages a step': async (i) => {
      const out = path.join(tmp.dir, `steps-${i}.db`);
      await db.backup(out, { progress: () => 256 });
      return out;
    },
    'backup API on the main connection, one step': async (i) => {
      const out = path.join(tmp.dir, `one-${i}.db`);
      await db.backup(out, { progress: () => 1e9 });
      return out;
    },
    'VACUUM INTO': async (i) => {
      const out = path.join(tmp.dir, `vacuum-${i}.db`);
      db.prepare('VACUUM INTO ?').run(out);
      return out;
    },
  };
  const rows: string[] = [];
  let restoredSame = true;
  for (const [name, way] of Object.entries(ways)) {
    const runs: { ms: number; worstGapMs: number }[] = [];
    for (let i = 0; i < RUNS; i++) {
      let dir = '';
      const r = await whileIngesting(db, async () => {
        dir = await way(i);
      });
      runs.push(r);
      log(`${name}: ${r.ms.toFixed(0)} ms, worst ingest gap ${r.worstGapMs.toFixed(0)} ms`);
      if (name.endsWith('(the controller)') && i === 0) {
        const restored = path.join(tmp.dir, 'restored');
        await restoreBackup(dir, restored, schemaVersion(), new Date());
        const copy = new Database(path.join(restored, 'controller.db'), { readonly: true });
        restoredSame = report(copy) === expected;
        copy.close();
      }
    }
    const gap = median(runs.map((r) => r.worstGapMs));
    rows.push(
      `| ${name} | ${(median(runs.map((r) => r.ms)) / 1000).toFixed(2)} s | ${gap.toFixed(0)} ms | ${gap <= STALL_GOAL_MS ? 'met' : 'missed'} |`,
    );
  }
  db.close();
  const ours = rows[0]?.endsWith('met |') ?? false;
  console.log(
    [
      '## Online backup while ingesting',
      '',
      `A database of ${ROWS.toLocaleString('en')} as-run rows (${(bytes / 2 ** 20).toFixed(0)} MiB), backed up while ${RATE.toLocaleString('en')} records/s are stored (a transaction of 100 every 20 ms). Worst ingest gap: the longest time between two batches during the backup, median of ${RUNS} runs (goal: no stall over ${STALL_GOAL_MS} ms).`,
      '',
      '| Way | Backup time | Worst ingest gap | Goal |',
      '|---|---|---|---|',
      ...rows,
      '',
      `The controller's backup restored to the same November report: ${restoredSame ? 'yes' : 'NO'}.`,
      '',
      '<!-- summary -->',
      `- Online backup of ${(bytes / 2 ** 20).toFixed(0)} MiB while ingesting ${RATE}/s: worst ingest gap ${rows[0]?.split('|')[3]?.trim()} (goal ≤ ${STALL_GOAL_MS} ms: ${ours ? 'met' : 'missed'}); restores to the same report: ${restoredSame ? 'yes' : 'no'}.`,
      '<!-- /summary -->',
    ].join('\n'),
  );
  tmp.cleanup();
}

runBench(main);
