// Which backups are kept: the newest of each of the last 7 days, 4 weeks and 12 months (days and weeks
// of the deployment's time zone), the newest always.
import { readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { addDays, isoWeekday, utcToZoned } from '../../schedules/time.ts';
import { isProblem, readManifest } from './manifest.ts';

export interface Retention {
  daily: number;
  weekly: number;
  monthly: number;
}

export const DEFAULT_RETENTION: Retention = { daily: 7, weekly: 4, monthly: 12 };

const NAME = /^(\d{4}-\d{2}-\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

export interface BackupEntry {
  name: string;
  dir: string;
  at: Date;
}

/** Complete backups in a folder, oldest first (partial ones and other files are not listed). */
export function listBackups(backupsDir: string): BackupEntry[] {
  let names: string[];
  try {
    names = readdirSync(backupsDir);
  } catch {
    return [];
  }
  return names
    .map((name) => ({ name, m: NAME.exec(name) }))
    .filter((x): x is { name: string; m: RegExpExecArray } => x.m !== null)
    .map(({ name, m }) => ({
      name,
      dir: path.join(backupsDir, name),
      at: new Date(`${m[1]}T${m[2]}:${m[3]}:${m[4]}Z`),
    }))
    .sort((a, b) => a.at.getTime() - b.at.getTime());
}

/** The names to keep of backups taken at these instants (pure: the rule alone). */
export function backupsToKeep(
  backups: readonly { name: string; at: Date }[],
  retention: Retention,
  timeZone: string,
): Set<string> {
  const newestFirst = [...backups].sort((a, b) => b.at.getTime() - a.at.getTime());
  const keep = new Set<string>(newestFirst.slice(0, 1).map((b) => b.name));
  const buckets: [number, (day: string) => string][] = [
    [retention.daily, (day) => day],
    [retention.weekly, (day) => addDays(day, 1 - isoWeekday(day))],
    [retention.monthly, (day) => day.slice(0, 7)],
  ];
  for (const [count, bucketOf] of buckets) {
    const seen = new Set<string>();
    for (const b of newestFirst) {
      const bucket = bucketOf(utcToZoned(b.at, timeZone).date);
      if (seen.has(bucket)) continue;
      if (seen.size === count) break;
      seen.add(bucket);
      keep.add(b.name);
    }
  }
  return keep;
}

/**
 * Deletes the backups the retention does not keep. Pre-upgrade copies (the database alone, taken before a
 * migration) stay out of the buckets and are kept as long as the oldest daily backup kept; a folder whose
 * manifest cannot be read is left alone (restore refuses it; it is not ours to judge).
 */
export function rotate(backupsDir: string, retention: Retention, timeZone: string): string[] {
  const all = listBackups(backupsDir).map((b) => ({ ...b, kind: kindOf(b.dir) }));
  const full = all.filter((b) => b.kind === 'scheduled' || b.kind === 'manual');
  const keep = backupsToKeep(full, retention, timeZone);
  const kept = full.filter((b) => keep.has(b.name));
  const dailyFrom = kept.at(-Math.min(kept.length, retention.daily))?.at.getTime() ?? 0;
  const removed = all.filter((b) =>
    b.kind === 'pre-upgrade' ? b.at.getTime() < dailyFrom : b.kind !== 'incomplete' && !keep.has(b.name),
  );
  for (const b of removed) rmSync(b.dir, { recursive: true, force: true });
  return removed.map((b) => b.name);
}

const kindOf = (dir: string) => {
  const m = readManifest(dir);
  return isProblem(m) ? 'incomplete' : m.kind;
};
