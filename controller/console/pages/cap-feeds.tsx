// The bulletins page's section on the CAP feeds polled for alerts: each feed's last poll and error, and
// its latest documents with what became of them (a refusal's reason in the page's language).
import type { Page } from '../context.ts';
import type { WordKey } from '../i18n.ts';
import { DataTable } from '../layout.tsx';
import { stampOrDash } from '../local-time.ts';

const local = (iso: string | null) => stampOrDash(iso, undefined, true);

interface FeedDocument {
  link: string;
  state: string;
  identifier: string | null;
  alertId: string | null;
  reason: string | null;
  reasonVi: string | null;
  updatedAt: string;
}
export interface FeedStatus {
  name: string;
  url: string;
  lastPollAt: string | null;
  lastError: string | null;
  lastErrorVi: string | null;
  failures: number;
  nextPollAt: string | null;
  documents: FeedDocument[];
}

const STATE_PILL: Record<string, string> = { imported: 'ok', refused: 'bad', held: 'warn', failing: 'warn' };

/** The feeds, for those who may read them (admins, technicians, reviewers); nothing when none is configured. */
export async function loadCapFeeds(page: Page): Promise<FeedStatus[]> {
  if (!['admin', 'technician', 'reviewer'].includes(page.me.role)) return [];
  const r = await page.api('GET', '/api/alerts/feeds');
  return r.status === 200 ? (r.body as FeedStatus[]) : [];
}

export function CapFeeds({ page, feeds }: { page: Page; feeds: FeedStatus[] }) {
  const { t, lang } = page;
  if (feeds.length === 0) return null;
  const said = (en: string | null, vi: string | null) => (lang === 'vi' ? (vi ?? en) : en) ?? '';
  return (
    <section id="cap-feeds">
      <h2>{t('capFeeds')}</h2>
      <p class="muted">{t('capFeedsHelp')}</p>
      {feeds.map((f) => (
        <div class="card">
          <h3 title={f.url}>{f.name}</h3>
          <p>
            {f.lastError ? (
              <span class="pill bad">{t('capFeedFailing')}</span>
            ) : (
              <span class="pill ok">{t('capFeedOk')}</span>
            )}{' '}
            {t('capFeedLastPoll')}: {local(f.lastPollAt)} · {t('capFeedNextPoll')}: {local(f.nextPollAt)}
            {f.failures > 0 ? ` · ${f.failures} ${t('capFeedFailures')}` : ''}
          </p>
          {f.lastError ? <p class="error">{said(f.lastError, f.lastErrorVi)}</p> : null}
          <DataTable heads={[t('capFeedDocument'), t('status'), t('reason')]}>
            {f.documents.map((d) => (
              <tr>
                <td title={d.link}>
                  {d.alertId ? (
                    <a href={`/console/alerts/${d.alertId}`}>{d.identifier ?? d.link}</a>
                  ) : (
                    (d.identifier ?? d.link)
                  )}
                  <div class="muted">{local(d.updatedAt)}</div>
                </td>
                <td>
                  <span class={`pill ${STATE_PILL[d.state] ?? ''}`}>
                    {t(`capEntry.${d.state}` as WordKey)}
                  </span>
                </td>
                <td>{said(d.reason, d.reasonVi)}</td>
              </tr>
            ))}
          </DataTable>
        </div>
      ))}
    </section>
  );
}
