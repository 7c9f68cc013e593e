// A campaign's report: played against planned by area and by day, the stations never heard from, and the
// print-friendly page with its per-day table.
import { reasonText } from '../../../../schedules/reason-words.ts';
import type { CampaignReport, Tally } from '../../../plays/report.ts';
import type { Page } from '../../context.ts';
import { DataTable, ErrorBox, Layout } from '../../layout.tsx';
import { dayRange, dayText } from '../../local-time.ts';
import { loadPlaces, type Places } from '../../targets.tsx';

export type Report = Omit<CampaignReport, 'campaign'>;

function ReportTable({
  page,
  rows,
  first = '',
  caption,
}: {
  page: Page;
  rows: (Tally & { label: unknown })[];
  /** The head of the first column (what each row is), and what the table shows. */
  first?: string;
  caption?: string;
}) {
  const { t, lang } = page;
  return (
    <DataTable
      caption={caption}
      heads={[first, t('planned'), t('played'), t('skipped'), t('failed'), t('missed'), t('minutesOnAir')]}
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

export function ReportSection({
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
      {report.readings && report.readings.planned !== report.total.planned ? (
        <p>
          {t('timesPlayed')}: {report.readings.played}/{report.readings.planned} {t('readingsOf')}
        </p>
      ) : null}
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
      <p class="noprint">
        <button type="button" onclick="window.print()">
          {page.t('report.printButton')}
        </button>
      </p>
      <ReportSection page={page} id={id} report={report} places={places} />
      <h2>{page.t('report.byDay')}</h2>
      <ReportTable
        page={page}
        first={page.t('report.day')}
        caption={`${page.t('report.byDay')}: ${dayRange(report.campaign.startDate, report.campaign.endDate)}`}
        rows={report.byDay.map((d) => ({ ...d, label: dayText(d.date) }))}
      />
    </Layout>
  );
}
