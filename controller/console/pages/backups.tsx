// The admin's backups page: the last good backup (warned when missing, over a day old or after a failure),
// the backups kept, the last integrity check, and buttons to back up or check now.
import type { Hono } from 'hono';
import type { BackupStatus } from '../../backup/service.ts';
import { backupWarnings } from '../backup-warning.ts';
import type { Page, WithForm, WithPage } from '../context.ts';
import { Csrf } from '../forms.tsx';
import type { WordKey } from '../i18n.ts';
import { DataTable, Layout } from '../layout.tsx';
import { localStamp } from '../local-time.ts';

async function backupsPage(page: Page, error?: string) {
  const { t } = page;
  const r = await page.api('GET', '/api/backups');
  if (r.status !== 200)
    return (
      <Layout page={page} title={t('backups')}>
        <p class="error">{r.body?.message ?? `HTTP ${r.status}`}</p>
      </Layout>
    );
  const s = r.body as BackupStatus;
  const warnings = backupWarnings(page.t, s, new Date());
  return (
    <Layout page={page} title={t('backups')}>
      {error ? <p class="error">{error}</p> : null}
      {warnings.map((w) => (
        <p class="error" data-warning>
          {w}
        </p>
      ))}
      <p>
        {t('backupLastGood')}: <b data-last-good>{s.lastGood ? localStamp(s.lastGood.createdAt) : '-'}</b> ·{' '}
        {t('backupSchedule')}: {s.schedule ?? t('backupScheduleOff')} · {t('backupFolder')}:{' '}
        <code>{s.dir}</code>
      </p>
      <form method="post" action="/console/backups" style="display:inline">
        <Csrf page={page} />
        <button type="submit">{t('backupNow')}</button>
      </form>{' '}
      <form method="post" action="/console/backups/check" style="display:inline">
        <Csrf page={page} />
        <button type="submit">{t('checkNow')}</button>
      </form>
      <h2>{t('integrity')}</h2>
      {s.integrity ? (
        <ul>
          <li>
            {localStamp(s.integrity.at)}:{' '}
            {s.integrity.database === 'ok'
              ? t('integrityOk')
              : `${t('integrityBad')}: ${s.integrity.database}`}
          </li>
          {s.integrity.repairedClips.length ? (
            <li>
              {t('integrityRepaired')}: {s.integrity.repairedClips.length}
            </li>
          ) : null}
          {s.integrity.damagedClips.length ? (
            <li class="error">
              {t('integrityDamaged')}: {s.integrity.damagedClips.join(', ')}
            </li>
          ) : null}
        </ul>
      ) : (
        <p>{t('integrityNever')}</p>
      )}
      <h2>{t('backupsKept')}</h2>
      <DataTable heads={[t('backupTakenAt'), t('backupKind'), t('backupSize'), t('backupClips')]}>
        {s.backups.map((b) => (
          <tr title={b.name}>
            <td>{localStamp(b.createdAt)}</td>
            <td>{t(`backupKind.${b.kind}` as WordKey)}</td>
            <td>{(b.bytes / 2 ** 20).toFixed(1)} MB</td>
            <td>{b.clips}</td>
          </tr>
        ))}
      </DataTable>
      <p class="muted">{t('backupRestoreHint')}</p>
    </Layout>
  );
}

export function backupPages(app: Hono, withPage: WithPage, withForm: WithForm): void {
  app.get(
    '/console/backups',
    withPage((page) => backupsPage(page)),
  );
  app.post(
    '/console/backups',
    withForm(
      (page) => page.api('POST', '/api/backups'),
      () => '/console/backups',
      (page, error) => backupsPage(page, error),
    ),
  );
  app.post(
    '/console/backups/check',
    withForm(
      (page) => page.api('POST', '/api/backups/check'),
      () => '/console/backups',
      (page, error) => backupsPage(page, error),
    ),
  );
}
