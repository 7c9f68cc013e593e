// What /metrics shows of backups and integrity: when the last good backup was taken, whether the last one
// failed, and the last integrity check's findings (alert on age > 1 day, on a failure, on damage).
import { Gauge, type Registry } from 'prom-client';
import type { Backups } from './service.ts';

export function registerBackupMetrics(registry: Registry, backups: Backups): void {
  const gauge = (name: string, help: string, read: (s: ReturnType<Backups['status']>) => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        this.set(read(backups.status()));
      },
    });
  gauge(
    'loa_backup_last_success_timestamp_seconds',
    'When the last good backup was taken (0: none yet).',
    (s) => (s.lastGood ? Date.parse(s.lastGood.createdAt) / 1000 : 0),
  );
  gauge('loa_backup_last_failed', '1 when the last backup attempt failed.', (s) => (s.lastFailure ? 1 : 0));
  gauge('loa_integrity_database_ok', "1 when the last quick_check said 'ok' (-1: not checked yet).", (s) =>
    s.integrity ? Number(s.integrity.database === 'ok') : -1,
  );
  gauge('loa_integrity_damaged_clips', 'Clip files found damaged that no backup could put back.', (s) =>
    s.integrity ? s.integrity.damagedClips.length : 0,
  );
}
