// The provincial link's page: whether it is logged in, its last success and last error (in the person's
// language), the backlog waiting to go up, the messages the province refused, and what came down recently.
import type { Hono } from 'hono';
import type { ProvinceView } from '../../../province/routes.ts';
import type { Page, WithPage } from '../../context.ts';
import type { WordKey } from '../../i18n.ts';
import { DataTable, Layout } from '../../layout.tsx';
import { stampOrDash } from '../../local-time.ts';

type Configured = Extract<ProvinceView, { configured: true }>;

function Received({ page, v }: { page: Page; v: Configured }) {
  const { t, lang } = page;
  if (!v.received.length) return <p class="muted">{t('provinceNothing')}</p>;
  return (
    <DataTable
      heads={[
        t('provinceAt'),
        t('provinceKind'),
        t('provinceId'),
        t('provinceOutcome'),
        t('provinceBecame'),
        t('provinceReason'),
      ]}
    >
      {v.received.map((e) => (
        <tr data-outcome={e.outcome}>
          <td>{stampOrDash(e.at)}</td>
          <td>{t(`provinceKind.${e.kind}` as WordKey)}</td>
          <td>
            <code>{e.provinceId ?? '-'}</code>
          </td>
          <td class={e.outcome === 'refused' ? 'error' : undefined}>
            {t(`provinceOutcome.${e.outcome}` as WordKey)}
          </td>
          <td>
            {e.alertId ? <a href={`/console/alerts/${e.alertId}`}>{e.alertId}</a> : null}
            {e.campaignId ? <a href={`/console/campaigns/${e.campaignId}`}>{e.campaignId}</a> : null}
          </td>
          <td>{(lang === 'vi' ? e.reasonVi : e.reason) ?? ''}</td>
        </tr>
      ))}
    </DataTable>
  );
}

async function provincePage(page: Page) {
  const { t, lang } = page;
  const r = await page.api('GET', '/api/province');
  if (r.status !== 200)
    return (
      <Layout page={page} title={t('provinceTitle')}>
        <p class="error">{r.body?.message ?? `HTTP ${r.status}`}</p>
      </Layout>
    );
  const view = r.body as ProvinceView;
  if (!view.configured)
    return (
      <Layout page={page} title={t('provinceTitle')}>
        <p>{t('provinceNotSet')}</p>
      </Layout>
    );
  const v = view as Configured;
  const b = v.backlog;
  return (
    <Layout page={page} title={t('provinceTitle')}>
      <p>
        <b>{v.name}</b> · {t('provinceAddress')}: <code>{v.baseUrl}</code>
      </p>
      <ul>
        <li data-logged-in>
          {t('provinceLoggedIn')}: {v.loggedInAt ? stampOrDash(v.loggedInAt) : t('provinceNotLoggedIn')}
        </li>
        <li>
          {t('provinceLastSuccess')}: {stampOrDash(v.lastSuccessAt)}
        </li>
        <li>
          {t('provinceLastPoll')}: {stampOrDash(v.lastPollAt)}
        </li>
        {v.lastError ? (
          <li class="error" data-last-error>
            {t('provinceLastError')} ({stampOrDash(v.lastError.at)}):{' '}
            {lang === 'vi' ? (v.lastError.messageVi ?? v.lastError.message) : v.lastError.message}
          </li>
        ) : null}
      </ul>
      <h2>{t('provinceBacklog')}</h2>
      <p data-backlog={b.waiting}>
        <b>{b.logs}</b> {t('provinceBacklogLogs')}, <b>{b.statuses}</b> {t('provinceBacklogStatuses')}
        {b.oldestAt ? ` · ${t('provinceBacklogOldest')} ${stampOrDash(b.oldestAt)}` : ''} ·{' '}
        {t('provinceDelivered')}: {b.delivered}
      </p>
      {v.refused.length ? (
        <>
          <h3>{t('provinceRefusedOut')}</h3>
          <DataTable heads={[t('provinceAt'), t('provinceStation'), t('provinceReason')]}>
            {v.refused.map((x) => (
              <tr>
                <td>{stampOrDash(x.at)}</td>
                <td>{x.stationId}</td>
                <td>{x.reason}</td>
              </tr>
            ))}
          </DataTable>
        </>
      ) : null}
      <h2>{t('provinceReceived')}</h2>
      <Received page={page} v={v} />
    </Layout>
  );
}

export function provincePages(app: Hono, withPage: WithPage): void {
  app.get(
    '/console/province',
    withPage((page) => provincePage(page)),
  );
}
