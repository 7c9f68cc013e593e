// Campaign pages: the list, one campaign with its slots and its report, and the print-friendly report.

import { reasonText } from '../../../../schedules/reason-words.ts';
import type { CampaignReport, Tally } from '../../../plays/report.ts';
import type { Page } from '../../context.ts';
import { Csrf, clockInput, DateRange, DeleteButton, WeekdayBoxes } from '../../forms.tsx';
import { weekdayList } from '../../i18n.ts';
import { DataTable, ErrorBox, Layout } from '../../layout.tsx';
import { dayRange, dayText, localToday } from '../../local-time.ts';
import { loadPlaces, type Places, TargetName, TargetPicker, type TargetValue } from '../../targets.tsx';
import { RelayForm, type RelayShown, RelaySource } from './relay-form.tsx';

interface Campaign {
  id: string;
  name: string;
  message: string;
  startDate: string;
  endDate: string;
  areaId: string | null;
}
type Report = Omit<CampaignReport, 'campaign'>;

export async function campaignsPage(page: Page, error?: string) {
  const { t, api } = page;
  const [list, places] = await Promise.all([
    api('GET', '/api/campaigns').then((r) => r.body as Campaign[]),
    loadPlaces(page),
  ]);
  const today = localToday();
  return (
    <Layout page={page} title={t('campaigns')}>
      <ErrorBox message={error} />
      <form method="post" action="/console/campaigns" class="card">
        <Csrf page={page} />
        <label>
          {t('name')}
          <input name="name" required maxlength={200} />
        </label>
        <label style="grid-column:span 2">
          {t('message')}
          <input name="message" maxlength={2000} />
        </label>
        <DateRange page={page} start={today} end={today} />
        <TargetPicker
          page={page}
          places={places}
          name="area"
          only="areas"
          label={t('area')}
          required={false}
        />
        <button type="submit">{t('create')}</button>
      </form>
      <DataTable heads={[t('name'), t('message'), `${t('from')} - ${t('to')}`, t('area')]}>
        {list.map((c) => (
          <tr>
            <td>
              <a href={`/console/campaigns/${c.id}`}>{c.name}</a>
            </td>
            <td>{c.message}</td>
            <td>{dayRange(c.startDate, c.endDate)}</td>
            <td>
              <Owner page={page} places={places} areaId={c.areaId} />
            </td>
          </tr>
        ))}
      </DataTable>
      {list.length === 0 ? <p class="muted">{t('noData')}</p> : null}
    </Layout>
  );
}

function ReportTable({ page, rows }: { page: Page; rows: (Tally & { label: unknown })[] }) {
  const { t, lang } = page;
  return (
    <DataTable
      heads={['', t('planned'), t('played'), t('skipped'), t('failed'), t('missed'), t('minutesOnAir')]}
    >
      {rows.map((r) => (
        <tr>
          <td>{r.label}</td>
          <td>{r.planned}</td>
          <td>{r.played}</td>
          <td>
            {Object.entries(r.skipped)
              .map(([k, n]) => `${reasonText(lang, k)}: ${n}`)
              .join(', ') || 0}
          </td>
          <td>{r.failed}</td>
          <td>{r.missed + r.unreported}</td>
          <td>{r.minutesOnAir.toFixed(1)}</td>
        </tr>
      ))}
    </DataTable>
  );
}

/** Played against planned, per day: grey is planned, green is played. */
function DayChart({ report, page }: { report: Report; page: Page }) {
  const max = Math.max(1, ...report.byDay.map((d) => d.planned));
  return (
    <div class="chart" role="img" aria-label={`${page.t('played')} / ${page.t('planned')}`}>
      {report.byDay.map((d) => (
        <figure title={`${dayText(d.date)}: ${d.played}/${d.planned}`}>
          <div class="bar" style={`height:${Math.round((d.planned / max) * 100)}%`}>
            <div style={`height:${d.planned ? Math.round((d.played / d.planned) * 100) : 0}%`} />
          </div>
          <figcaption>{dayText(d.date).slice(0, 5)}</figcaption>
        </figure>
      ))}
    </div>
  );
}

export async function campaignPage(page: Page, id: string, error?: string) {
  const { t, api } = page;
  const res = await api('GET', `/api/campaigns/${encodeURIComponent(id)}`);
  if (res.status !== 200) {
    return (
      <Layout page={page} title={t('campaigns')}>
        <ErrorBox message={res.status === 403 ? t('forbidden') : res.body?.message} />
      </Layout>
    );
  }
  const c = res.body as Campaign & {
    slots: {
      id: string;
      startTime: string;
      flexibleUntil?: string | null;
      weekdays: number[];
      clipIds: string[];
      relay?: RelayShown | null;
      target: TargetValue;
      startDate: string;
      endDate: string;
    }[];
  };
  const [clips, places, report] = await Promise.all([
    api('GET', '/api/clips').then((r) =>
      r.status === 200 ? (r.body as { id: string; title: string; status?: string }[]) : [],
    ),
    loadPlaces(page),
    api('GET', `/api/reports/campaigns/${c.id}`).then((r) => (r.status === 200 ? (r.body as Report) : null)),
  ]);
  const schedulable = clips.filter((k) => !k.status || k.status === 'approved');
  return (
    <Layout page={page} title={c.name}>
      <p>
        {c.message} · {dayRange(c.startDate, c.endDate)} ·{' '}
        <Owner page={page} places={places} areaId={c.areaId} />
      </p>
      <ErrorBox message={error} />
      <h2>{t('slots')}</h2>
      <form method="post" action={`/console/campaigns/${c.id}/slots`} class="card">
        <Csrf page={page} />
        <label>
          {t('clip')}
          <select name="clipId" required>
            {schedulable.map((k) => (
              <option value={k.id} title={k.id}>
                {k.title}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('startTime')}
          <input {...clockInput(page, 'startTime')} />
        </label>
        <label title={t('flexibleUntil')}>
          {t('flexibleUntil')}
          <input {...clockInput(page, 'flexibleUntil', false)} />
        </label>
        <DateRange page={page} start={c.startDate} end={c.endDate} />
        <TargetPicker page={page} places={places} />
        <WeekdayBoxes page={page} />
        <button type="submit">{t('add')}</button>
      </form>
      <RelayForm page={page} campaign={c} clips={schedulable} places={places} />
      <DataTable heads={[t('time'), t('weekdays'), `${t('from')} - ${t('to')}`, t('target'), t('clip'), '']}>
        {c.slots.map((s) => (
          <tr>
            <td title={s.id}>
              {s.startTime}
              {s.flexibleUntil ? `-${s.flexibleUntil}` : ''}
              {s.relay ? `-${s.relay.endTime}` : ''}
            </td>
            <td>{weekdayList(page.lang, s.weekdays)}</td>
            <td>{dayRange(s.startDate, s.endDate)}</td>
            <td>
              <TargetName places={places} page={page} target={s.target} />
            </td>
            <td title={s.clipIds.join(', ')}>
              {s.relay ? <RelaySource page={page} relay={s.relay} /> : null}
              {s.relay && s.clipIds.length ? ' · ' : ''}
              {s.clipIds.map((k) => clips.find((x) => x.id === k)?.title ?? k).join(', ')}
            </td>
            <td>
              <DeleteButton
                page={page}
                action={`/console/slots/${s.id}/delete`}
                back={`/console/campaigns/${c.id}`}
              />
            </td>
          </tr>
        ))}
      </DataTable>
      {report ? <ReportSection page={page} id={c.id} report={report} places={places} /> : null}
    </Layout>
  );
}

function ReportSection({
  page,
  id,
  report,
  places,
}: {
  page: Page;
  id: string;
  report: Report;
  places: Places;
}) {
  const { t } = page;
  return (
    <>
      <h2>{t('report')}</h2>
      <p class="noprint">
        <a href={`/console/campaigns/${id}/report.csv`} download>
          {t('downloadCsv')}
        </a>{' '}
        · <a href={`/console/campaigns/${id}/report`}>{t('print')}</a>
      </p>
      <ReportTable
        page={page}
        rows={[
          { ...report.total, label: t('all') },
          ...report.byArea.map((a) => ({ ...a, label: <span title={a.areaId}>{a.path.join(' › ')}</span> })),
        ]}
      />
      <DayChart report={report} page={page} />
      <p>
        {t('neverConfirmed')}:{' '}
        {report.neverConfirmed.length
          ? report.neverConfirmed.map((sid, i) => (
              <>
                {i ? ', ' : ''}
                <a href={`/console/stations/${sid}`} title={sid}>
                  {places.station.get(sid)?.name ?? sid}
                </a>
              </>
            ))
          : t('none')}
      </p>
    </>
  );
}

export async function reportPrintPage(page: Page, id: string) {
  const [res, places] = await Promise.all([
    page.api('GET', `/api/reports/campaigns/${encodeURIComponent(id)}`),
    loadPlaces(page),
  ]);
  if (res.status !== 200) return <ErrorBox message={res.body?.message} />;
  const report = res.body as CampaignReport;
  return (
    <Layout page={page} title={`${page.t('report')}: ${report.campaign.name}`}>
      <p>
        {report.campaign.message} · {dayRange(report.campaign.startDate, report.campaign.endDate)}
      </p>
      <ReportSection page={page} id={id} report={report} places={places} />
      <h2>{page.t('week')}</h2>
      <ReportTable page={page} rows={report.byDay.map((d) => ({ ...d, label: dayText(d.date) }))} />
    </Layout>
  );
}

/** The area a campaign belongs to (its slots stay inside it), or every area. */
const Owner = ({ page, places, areaId }: { page: Page; places: Places; areaId: string | null }) =>
  areaId ? (
    <TargetName places={places} page={page} target={{ scope: 'area', id: areaId }} />
  ) : (
    <span>{page.t('wholeTree')}</span>
  );
