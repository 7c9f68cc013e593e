// What an admin must be told about backups on every page: none yet, over a day old, the last one failed,
// damage found by the integrity check.
import type { BackupStatus } from '../backup/service.ts';
import type { translator } from './i18n.ts';
import { localStamp } from './local-time.ts';

type Translate = ReturnType<typeof translator>;

const DAY_MS = 86_400_000;

/** What an admin must be told about backups, or nothing when all is well. */
export function backupWarnings(t: Translate, s: BackupStatus, now: Date): string[] {
  const out: string[] = [];
  if (!s.lastGood) out.push(t('backupNone'));
  else if (now.getTime() - Date.parse(s.lastGood.createdAt) > DAY_MS)
    out.push(`${t('backupStale')} (${localStamp(s.lastGood.createdAt)}).`);
  if (s.lastFailure)
    out.push(`${t('backupFailed')} (${localStamp(s.lastFailure.at)}): ${s.lastFailure.message}`);
  if (s.integrity && s.integrity.database !== 'ok') out.push(`${t('integrityBad')}: ${s.integrity.database}`);
  if (s.integrity?.damagedClips.length)
    out.push(`${t('integrityDamaged')}: ${s.integrity.damagedClips.length}`);
  return out;
}
