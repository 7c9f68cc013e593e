// Campaign pages: the list, and one campaign with its slots and its report (report.tsx).
import type { Page } from '../../context.ts';
import { ClockField, Csrf, DateRange, DeleteButton, WeekdayBoxes } from '../../forms.tsx';
import { weekdayList } from '../../i18n.ts';
import { DataTable, ErrorBox, Layout } from '../../layout.tsx';
import { dayRange, localToday } from '../../local-time.ts';
import { FieldFault, faultMark, refusedFor, typed } from '../../refused-form.tsx';
import { loadPlaces, type Places, TargetName, TargetPicker, type TargetValue } from '../../targets.tsx';
import { CheckFirst } from '../confirm/check.tsx';
import { RelayForm, type RelayShown, RelaySource } from './relay-form.tsx';
import { RepeatFields, type ShapeShown, shapeText } from './repeat-fields.tsx';
import { type Report, ReportSection } from './report.tsx';

interface Campaign {
  id: string;
  name: string;
  message: string;
  startDate: string;
  endDate: string;
  areaId: string | null;
}

export async function campaignsPage(page: Page, error?: string) {
  const { t, api } = page;
  const [list, places] = await Promise.all([
    api('GET', '/api/campaigns').then((r) => r.body as Campaign[]),
    loadPlaces(page),
  ]);
  const today = localToday();
  const refused = refusedFor(page, '/console/campaigns');
  return (
    <Layout page={page} title={t('campaigns')}>
      <ErrorBox message={error} />
      <form method="post" action="/console/campaigns" class="card">
        <Csrf page={page} />
        <label>
          {t('name')}
          <input
            name="name"
            required
            maxlength={200}
            value={typed(refused, 'name')}
            {...faultMark(refused, 'name')}
          />
          <FieldFault refused={refused} name="name" />
        </label>
        <label style="grid-column:span 2">
          {t('message')}
          <input name="message" maxlength={2000} value={typed(refused, 'message')} />
        </label>
        <DateRange page={page} start={today} end={today} refused={refused} />
        <TargetPicker
          page={page}
          places={places}
          name="area"
          only="areas"
          label={t('area')}
          required={false}
          refused={refused}
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
    slots: ({
      id: string;
      startTime: string;
      flexibleUntil?: string | null;
      weekdays: number[];
      clipIds: string[];
      relay?: RelayShown | null;
      target: TargetValue;
      startDate: string;
      endDate: string;
    } & ShapeShown)[];
  };
  const [clips, places, report] = await Promise.all([
    api('GET', '/api/clips').then((r) =>
      r.status === 200 ? (r.body as { id: string; title: string; status?: string }[]) : [],
    ),
    loadPlaces(page),
    api('GET', `/api/reports/campaigns/${c.id}`).then((r) => (r.status === 200 ? (r.body as Report) : null)),
  ]);
  const schedulable = clips.filter((k) => !k.status || k.status === 'approved');
  const refused = refusedFor(page, `/console/campaigns/${c.id}/slots`);
  const clipTyped = typed(refused, 'clipId');
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
        <CheckFirst />
        <label>
          {t('clip')}
          <select name="clipId" required>
            {schedulable.map((k) => (
              <option value={k.id} title={k.id} selected={k.id === clipTyped}>
                {k.title}
              </option>
            ))}
          </select>
        </label>
        <ClockField page={page} name="startTime" label={t('startTime')} refused={refused} />
        <ClockField
          page={page}
          name="flexibleUntil"
          label={t('flexibleUntil')}
          required={false}
          refused={refused}
          title={t('flexibleUntil')}
        />
        <DateRange page={page} start={c.startDate} end={c.endDate} refused={refused} />
        <TargetPicker page={page} places={places} refused={refused} />
        <WeekdayBoxes page={page} refused={refused} />
        <RepeatFields page={page} refused={refused} />
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
              {shapeText(page, s) ? <span class="muted"> · {shapeText(page, s)}</span> : null}
            </td>
            <td>
              {s.relay ? null : <a href={`/console/slots/${s.id}/edit`}>{t('edit')}</a>}{' '}
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

/** The area a campaign belongs to (its slots stay inside it), or every area. */
const Owner = ({ page, places, areaId }: { page: Page; places: Places; areaId: string | null }) =>
  areaId ? (
    <TargetName places={places} page={page} target={{ scope: 'area', id: areaId }} />
  ) : (
    <span>{page.t('wholeTree')}</span>
  );
