// The database's heavy work off the main thread, in a worker with its own read-only connection: the copy
// (SQLite's backup API in one step: in WAL mode a reader blocks no writer, so ingest goes on; in small
// steps on the controller's own connection each step's commit and fsync of the copy held the event loop
// for seconds, test/bench/RESULTS.md `backup`) and SQLite's quick_check.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

export interface CheckResult {
  /** 'ok', or SQLite's first problem. */
  check: string;
  /** The database's schema version (PRAGMA user_version). */
  schemaVersion: number;
}

const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.module);
const check = (file) => {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return { check: String(db.pragma('quick_check', { simple: true })), schemaVersion: db.pragma('user_version', { simple: true }) };
  } finally {
    db.close();
  }
};
(async () => {
  if (workerData.copyTo) {
    const source = new Database(workerData.file, { readonly: true, fileMustExist: true });
    source.pragma('busy_timeout = 5000');
    try {
      await source.backup(workerData.copyTo, { progress: () => 2147483647 });
    } finally {
      source.close();
    }
  }
  return check(workerData.copyTo || workerData.file);
})().then(
  (r) => parentPort.postMessage(r),
  (e) => parentPort.postMessage({ check: String((e && e.message) || e), schemaVersion: -1 }),
);`;

const betterSqlite = createRequire(import.meta.url).resolve('better-sqlite3');

function inWorker(data: { file: string; copyTo?: string }): Promise<CheckResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER, { eval: true, workerData: { ...data, module: betterSqlite } });
    worker.once('message', (m: CheckResult) => resolve(m));
    worker.once('error', reject);
    worker.once('exit', (code) => code !== 0 && reject(new Error(`the worker stopped (exit ${code})`)));
  });
}

/** SQLite's quick_check of a database file. */
export const quickCheck = (file: string) => inWorker({ file });

/** Copies a live database (consistent as of one moment) and checks the copy. */
export const copyAndCheck = (file: string, copyTo: string) => inWorker({ file, copyTo });
