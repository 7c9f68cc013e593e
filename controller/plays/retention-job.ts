// The as-run retention as a daily job (ASRUN_ARCHIVE_AT, local time): it archives only when a backup less
// than 36 hours old exists (the controller's own or the systemd timer's), so no row leaves the database
// that a backup does not hold; otherwise it waits for the next day and says why.
import schedule from 'node-schedule';
import type { Clock } from '../../common/clock.ts';
import { errorMessage, type Logger } from '../../common/log.ts';
import type { Db } from '../db.ts';
import { archiveOldMonths } from './retention.ts';

const FRESH_BACKUP_MS = 36 * 3_600_000;

export interface RetentionJobDeps {
  db: Db;
  clock: Clock;
  log: Logger;
  timeZone: string;
  settings: { keepDays: number; archiveDir: string; at: string | null };
  /** When the last good backup was taken (ISO), if any. */
  lastBackupAt: () => string | null;
}

/** Runs the retention once, if a fresh backup allows it; answers whether it ran. */
export async function retainOnce(deps: RetentionJobDeps): Promise<boolean> {
  const { clock, log, settings } = deps;
  const last = deps.lastBackupAt();
  if (!last || clock.now().getTime() - Date.parse(last) > FRESH_BACKUP_MS) {
    log.warn(
      `as-run retention waits: the last good backup is ${last ?? 'missing'}; rows are archived only when a backup less than 36 h old holds them`,
    );
    return false;
  }
  const files = await archiveOldMonths({
    db: deps.db,
    clock,
    dir: settings.archiveDir,
    keepDays: settings.keepDays,
  });
  for (const f of files)
    log.info(`as-run of ${f.month}: ${f.records} record(s) archived to ${f.file}, rows deleted`);
  return true;
}

/** Schedules the daily run; answers a stop function. */
export function scheduleRetention(deps: RetentionJobDeps): () => void {
  const at = deps.settings.at;
  if (!at) return () => undefined;
  const job = schedule.scheduleJob(
    { rule: `${Number(at.slice(3))} ${Number(at.slice(0, 2))} * * *`, tz: deps.timeZone },
    () => void retainOnce(deps).catch((e) => deps.log.error(`as-run retention failed: ${errorMessage(e)}`)),
  );
  return () => job?.cancel();
}
