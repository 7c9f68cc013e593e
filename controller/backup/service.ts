// The controller's backups as a service: one a day at the configured local time, then the integrity
// check; one on demand, never two at once; the rotation after each; the last good one, the last failure
// and the last check for the console and /metrics.
import schedule from 'node-schedule';
import type { Clock } from '../../common/clock.ts';
import { errorMessage, type Logger } from '../../common/log.ts';
import { takeBackup } from './backup.ts';
import { checkIntegrity, type IntegrityReport } from './integrity.ts';
import { noteInJournal, readJournal } from './journal.ts';
import { isProblem, type Manifest, readManifest } from './manifest.ts';
import { listBackups, type Retention, rotate } from './rotation.ts';

export interface BackupSettings {
  dir: string;
  /** Local time of the daily backup (HH:MM), or null for none. */
  at: string | null;
  keep: Retention;
}

export interface BackupSummary {
  name: string;
  kind: Manifest['kind'];
  createdAt: string;
  schemaVersion: number;
  bytes: number;
  clips: number;
  damagedClips: string[];
}

export interface BackupStatus {
  dir: string;
  schedule: string | null;
  running: boolean;
  lastGood: BackupSummary | null;
  lastFailure: { at: string; message: string } | null;
  /** The last integrity check (after each scheduled backup, and on demand). */
  integrity: IntegrityReport | null;
  backups: BackupSummary[];
}

export interface Backups {
  takeNow(kind?: 'scheduled' | 'manual'): Promise<BackupSummary>;
  checkIntegrity(): Promise<IntegrityReport>;
  status(): BackupStatus;
  stop(): void;
}

export class BackupBusy extends Error {}

interface Deps {
  dataDir: string;
  clock: Clock;
  log: Logger;
  timeZone: string;
  settings: BackupSettings;
}

export function createBackups({ dataDir, clock, log, timeZone, settings }: Deps): Backups {
  let running = false;

  async function checkNow(): Promise<IntegrityReport> {
    const integrity = await checkIntegrity(dataDir, settings.dir, clock.now());
    noteInJournal(settings.dir, { integrity });
    if (integrity.database !== 'ok') log.error(`database check failed: ${integrity.database}`);
    if (integrity.repairedClips.length)
      log.warn(`clip file(s) repaired from a backup: ${integrity.repairedClips.join(', ')}`);
    if (integrity.damagedClips.length)
      log.error(`clip file(s) damaged, no backup holds them: ${integrity.damagedClips.join(', ')}`);
    return integrity;
  }

  async function takeNow(kind: 'scheduled' | 'manual' = 'manual'): Promise<BackupSummary> {
    if (running) throw new BackupBusy('a backup is already running');
    running = true;
    const started = clock.now().getTime();
    try {
      const { dir, manifest } = await takeBackup({ dataDir, backupsDir: settings.dir, clock }, kind);
      const removed = rotate(settings.dir, settings.keep, timeZone);
      const summary = summarise(dir.split(/[\\/]/).at(-1) as string, manifest);
      log.info(
        `backup ${summary.name}: ${(summary.bytes / 1e6).toFixed(1)} MB, ${summary.clips} clip(s), ` +
          `${clock.now().getTime() - started} ms${removed.length ? `; rotated out ${removed.join(', ')}` : ''}`,
      );
      if (manifest.damagedClips.length)
        log.warn(
          `backup ${summary.name}: clip file(s) no longer match their hash: ${manifest.damagedClips.join(', ')}`,
        );
      noteInJournal(settings.dir, { lastFailure: null });
      return summary;
    } catch (e) {
      noteInJournal(settings.dir, {
        lastFailure: { at: clock.now().toISOString(), message: errorMessage(e) },
      });
      log.error(`backup failed: ${errorMessage(e)}`);
      throw e;
    } finally {
      running = false;
    }
  }

  const job = settings.at
    ? schedule.scheduleJob(
        { rule: `${Number(settings.at.slice(3))} ${Number(settings.at.slice(0, 2))} * * *`, tz: timeZone },
        () =>
          void takeNow('scheduled')
            .catch(() => undefined)
            .then(checkNow)
            .catch((e) => log.error(`integrity check failed: ${errorMessage(e)}`)),
      )
    : null;

  // Summaries by the folder's list of names: read again only when a backup came or went.
  let cache = { names: '', summaries: [] as BackupSummary[] };
  function summaries(): BackupSummary[] {
    const listed = listBackups(settings.dir);
    const names = listed.map((b) => b.name).join();
    if (names !== cache.names)
      cache = {
        names,
        summaries: listed
          .map((b) => ({ name: b.name, m: readManifest(b.dir) }))
          .flatMap(({ name, m }) => (isProblem(m) ? [] : [summarise(name, m)]))
          .reverse(),
      };
    return cache.summaries;
  }

  function status(): BackupStatus {
    const backups = summaries();
    return {
      dir: settings.dir,
      schedule: settings.at,
      running,
      lastGood: backups.find((b) => b.kind !== 'pre-upgrade') ?? null,
      ...readJournal(settings.dir),
      backups,
    };
  }

  return { takeNow, checkIntegrity: checkNow, status, stop: () => job?.cancel() };
}

const summarise = (name: string, m: Manifest): BackupSummary => ({
  name,
  kind: m.kind,
  createdAt: m.createdAt,
  schemaVersion: m.schemaVersion,
  bytes: m.database.bytes + m.clips.reduce((n, c) => n + c.bytes, 0),
  clips: m.clips.length,
  damagedClips: m.damagedClips,
});
