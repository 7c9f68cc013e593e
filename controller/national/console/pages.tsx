// The national console ("Toàn quốc"): the provinces and their link state, what was sent with its state at
// each province, one item at each province (a bulletin's stations reached and started), and the provinces'
// days. Every page is a client of /api/national.
import type { Page } from '../../console/context.ts';
import type { WordKey } from '../../console/i18n.ts';
import { DataTable, Layout } from '../../console/layout.tsx';
import { dayText, stampOrDash } from '../../console/local-time.ts';
import type { itemView, provincesView, reportTable } from '../views.ts';

type ProvinceV = ReturnType<typeof provincesView>[number];
type ItemV = ReturnType<typeof itemView>;
type SendV = ItemV['provinces'][number];
type DayV = ReturnType<typeof reportTable>[number];

export function NationalNav({ page }: { page: Page }) {
  const { t } = page;
  return (
    <>
      <a href="/console">{t('nationalTitle')}</a>
      <a href="/console/national/send">{t('nationalSend')}</a>
      <a href="/console/national/reports">{t('nationalReports')}</a>
    </>
  );
}

const said = (page: Page, en: string | null, vi: string | null) =>
  (page.lang === 'vi' ? (vi ?? en) : en) ?? '';

export function stateWord(page: Page, s: SendV): string {
  const key = s.state === 'waiting' && s.sent ? 'sent' : s.state;
  return page.t(`nationalState.${key}` as WordKey);
}

function Provinces({ page, list }: { page: Page; list: ProvinceV[] }) {
  const { t } = page;
  return (
    <DataTable
      heads={[
        t('nationalProvince'),
        t('nationalState'),
        t('nationalLastSuccess'),
        t('nationalLastError'),
        t('nationalWaiting'),
      ]}
    >
      {list.map((p) => (
        <tr data-province={p.id}>
          <td>{p.name}</td>
          <td class={p.up ? undefined : 'error'}>{p.up ? t('nationalLinkUp') : t('nationalLinkDown')}</td>
          <td>{stampOrDash(p.lastSuccessAt)}</td>
          <td>
            {p.lastError
              ? `${stampOrDash(p.lastError.at)}: ${said(page, p.lastError.message, p.lastError.messageVi)}`
              : '-'}
          </td>
          <td>{p.waiting}</td>
        </tr>
      ))}
    </DataTable>
  );
}

export async function overviewPage(page: Page) {
  const { t } = page;
  const [provinces, items] = await Promise.all([
    page.api('GET', '/api/national/provinces'),
    page.api('GET', '/api/national/items?limit=50'),
  ]);
  const list = (items.body ?? []) as ItemV[];
  return (
    <Layout page={page} title={t('nationalTitle')} nav={<NationalNav page={page} />}>
      <h2>{t('nationalProvinces')}</h2>
      <Provinces page={page} list={provinces.body as ProvinceV[]} />
      <h2>{t('nationalItems')}</h2>
      {list.length ? (
        <DataTable
          heads={[t('nationalSentAt'), t('nationalKind'), t('nationalItemTitle'), t('nationalState')]}
        >
          {list.map((i) => (
            <tr data-item={i.id}>
              <td>{stampOrDash(i.createdAt)}</td>
              <td>
                {t(`nationalKind.${i.kind}` as WordKey)}
                {i.level ? ` (${t(`level.${i.level}` as WordKey)})` : ''}
              </td>
              <td>
                <a href={`/console/national/items/${i.id}`}>{i.title}</a>
              </td>
              <td>{i.provinces.map((s) => `${s.provinceName}: ${stateWord(page, s)}`).join('; ')}</td>
            </tr>
          ))}
        </DataTable>
      ) : (
        <p class="muted">{t('nationalNothing')}</p>
      )}
    </Layout>
  );
}

export async function itemPage(page: Page, id: string, error?: string) {
  const { t } = page;
  const r = await page.api('GET', `/api/national/items/${encodeURIComponent(id)}`);
  if (r.status !== 200)
    return (
      <Layout page={page} title={t('nationalTitle')} nav={<NationalNav page={page} />}>
        <p class="error">{r.body?.message ?? `HTTP ${r.status}`}</p>
      </Layout>
    );
  const item = r.body as ItemV;
  const bulletin = item.kind === 'bulletin';
  return (
    <Layout page={page} title={item.title} nav={<NationalNav page={page} />}>
      {error ? <p class="error">{error}</p> : null}
      <p>
        {t(`nationalKind.${item.kind}` as WordKey)}
        {item.level ? ` (${t(`level.${item.level}` as WordKey)})` : ''} · {t('nationalSentAt')}{' '}
        {stampOrDash(item.createdAt)} · {item.createdBy}
      </p>
      {item.cancelledAt ? (
        <p data-withdrawn>
          {t('nationalWithdrawnAt')} {stampOrDash(item.cancelledAt)}
          {item.cancelReason ? `: ${item.cancelReason}` : ''}
        </p>
      ) : (
        <form method="post" action={`/console/national/items/${item.id}/cancel`}>
          <input type="hidden" name="_csrf" value={page.csrf} />
          <label>
            {t('nationalReason')} <input name="reason" />
          </label>
          <button type="submit" class="danger">
            {t(`nationalWithdraw.${item.kind}` as WordKey)}
          </button>
        </form>
      )}
      <DataTable
        heads={[
          t('nationalProvince'),
          t('nationalState'),
          t('nationalAttempts'),
          t('nationalNextTry'),
          t('nationalReason'),
          ...(bulletin ? [t('nationalStations'), t('nationalReached'), t('nationalStarted')] : []),
        ]}
      >
        {item.provinces.map((s) => (
          <tr data-province={s.provinceId} data-state={s.state}>
            <td>{s.provinceName}</td>
            <td class={s.state === 'refused' ? 'error' : undefined}>{stateWord(page, s)}</td>
            <td>{s.attempts}</td>
            <td>{s.nextTryAt ? stampOrDash(s.nextTryAt) : '-'}</td>
            <td>{said(page, s.reason, s.reasonVi)}</td>
            {bulletin ? (
              <>
                <td>{s.stations?.total ?? '-'}</td>
                <td>{s.stations?.reached ?? '-'}</td>
                <td data-started>{s.stations?.started ?? '-'}</td>
              </>
            ) : null}
          </tr>
        ))}
      </DataTable>
    </Layout>
  );
}

export async function reportsPage(page: Page) {
  const { t } = page;
  const r = await page.api('GET', '/api/national/reports');
  const days = (r.body ?? []) as DayV[];
  return (
    <Layout page={page} title={t('nationalReports')} nav={<NationalNav page={page} />}>
      <form method="post" action="/console/national/reports/refresh">
        <input type="hidden" name="_csrf" value={page.csrf} />
        <button type="submit">{t('nationalRefresh')}</button>
      </form>
      {days.length ? (
        <DataTable
          heads={[
            t('nationalReportDay'),
            t('nationalProvince'),
            t('nationalStations'),
            t('nationalPlayed'),
            t('nationalMissed'),
            t('nationalMinutes'),
          ]}
        >
          {days.map((d) => (
            <tr>
              <td>{dayText(d.day)}</td>
              <td>{d.provinceName}</td>
              <td>{d.stations}</td>
              <td>{d.played}</td>
              <td>{d.missed}</td>
              <td>{d.minutesOnAir.toLocaleString(page.lang === 'vi' ? 'vi-VN' : 'en-GB')}</td>
            </tr>
          ))}
        </DataTable>
      ) : (
        <p class="muted">{t('nationalNoReports')}</p>
      )}
    </Layout>
  );
}
