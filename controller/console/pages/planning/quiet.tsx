// Quiet windows (online classes, national relays, local events), copied to other areas in one step,
// and the air-time policy per area.

import type { DayRules } from '../../../../schedules/calendar/days.ts';
import { reasonText } from '../../../../schedules/reason-words.ts';
import type { Page } from '../../context.ts';
import { ClockField, Csrf, DateRange, DeleteButton, WeekdayBoxes } from '../../forms.tsx';
import { weekdayList } from '../../i18n.ts';
import { DataTable, ErrorBox, Layout } from '../../layout.tsx';
import { dayRange, dayText, localToday } from '../../local-time.ts';
import { FieldFault, faultMark, type Refused, refusedFor, typed } from '../../refused-form.tsx';
import { loadPlaces, type Places, TargetName, TargetPicker, type TargetValue } from '../../targets.tsx';
import { CheckFirst } from '../confirm/check.tsx';
import { DayRulePicker, describeDays } from './day-rules.tsx';

interface Policy {
  id: string;
  target: TargetValue;
  policy: {
    maxSessionsPerDay?: number;
    maxMinutesPerSession?: number;
    maxDaysPerWeek?: number;
    enforcement: string;
  } & DayRules;
}

interface Quiet extends DayRules {
  id: string;
  weekdays: number[];
  startTime: string;
  endTime: string;
  startDate: string;
  endDate: string;
  reason: string;
  note: string;
  exceptDates?: string[];
  target: TargetValue;
}

export async function quietWindowsPage(page: Page, error?: string) {
  const { t, api, lang } = page;
  const [list, policies, places] = await Promise.all([
    api('GET', '/api/quiet-windows').then((r) => r.body as Quiet[]),
    api('GET', '/api/airtime-policies').then((r) => r.body as Policy[]),
    loadPlaces(page),
  ]);
  const today = localToday();
  const refused = refusedFor(page, '/console/quiet-windows');
  return (
    <Layout page={page} title={t('quietWindows')}>
      <ErrorBox message={error} />
      <form method="post" action="/console/quiet-windows" class="card">
        <Csrf page={page} />
        <CheckFirst />
        <label>
          {t('reason')}
          <select name="reason">
            {['online-class', 'national-relay', 'local-event', 'other'].map((r) => (
              <option value={r} selected={typed(refused, 'reason') === r}>
                {reasonText(lang, r)}
              </option>
            ))}
          </select>
        </label>
        <ClockField page={page} name="startTime" label={t('startTime')} refused={refused} />
        <ClockField page={page} name="endTime" label={t('endTime')} refused={refused} />
        <DateRange page={page} start={today} end={today} refused={refused} />
        <TargetPicker page={page} places={places} refused={refused} />
        <label>
          {t('exceptDates')}
          <input
            name="exceptDates"
            placeholder="24/12/2026, 01/01/2027"
            pattern="[0-9, ;\/.\-]*"
            value={typed(refused, 'exceptDates')}
            {...faultMark(refused, 'exceptDates')}
          />
          <FieldFault refused={refused} name="exceptDates" />
        </label>
        <label>
          {t('note')}
          <input name="note" maxlength={500} value={typed(refused, 'note')} />
        </label>
        <WeekdayBoxes page={page} checked={[1, 2, 3, 4, 5, 6]} refused={refused} />
        <DayRulePicker page={page} />
        <button type="submit">{t('add')}</button>
      </form>
      <DataTable
        heads={[
          t('reason'),
          t('time'),
          t('weekdays'),
          `${t('from')} - ${t('to')}`,
          t('target'),
          t('note'),
          '',
        ]}
      >
        {list.map((q) => (
          <tr>
            <td>{reasonText(lang, q.reason)}</td>
            <td>
              {q.startTime}-{q.endTime}
            </td>
            <td>
              {weekdayList(lang, q.weekdays)}
              {q.days || q.exceptDays ? <div class="muted">{describeDays(page, q)}</div> : null}
            </td>
            <td>
              {dayRange(q.startDate, q.endDate)}
              {q.exceptDates?.length ? (
                <div class="muted">
                  {t('exceptDates')}: {q.exceptDates.map(dayText).join(', ')}
                </div>
              ) : null}
            </td>
            <td>
              <TargetName places={places} page={page} target={q.target} />
            </td>
            <td>{q.note}</td>
            <td>
              <a href={`/console/quiet-windows/${q.id}/edit`}>{t('edit')}</a>{' '}
              <DeleteButton page={page} action={`/console/quiet-windows/${q.id}/delete`} />
              <details>
                <summary>{t('copyTo')}</summary>
                <form method="post" action={`/console/quiet-windows/${q.id}/copy`}>
                  <Csrf page={page} />
                  <TargetPicker page={page} places={places} name="targets" multiple />
                  <button type="submit">{t('copy')}</button>
                </form>
              </details>
            </td>
          </tr>
        ))}
      </DataTable>
      <PolicySection page={page} policies={policies} places={places} />
    </Layout>
  );
}

function PolicySection({ page, policies, places }: { page: Page; policies: Policy[]; places: Places }) {
  const { t } = page;
  const refused: Refused | undefined = refusedFor(page, '/console/airtime-policies');
  const limit = (label: string, name: string) => (
    <label>
      {label}
      <input
        type="number"
        name={name}
        min={1}
        max={1440}
        value={typed(refused, name)}
        {...faultMark(refused, name)}
      />
      <FieldFault refused={refused} name={name} />
    </label>
  );
  return (
    <>
      <h2>{t('airTimePolicy')}</h2>
      <form method="post" action="/console/airtime-policies" class="card">
        <Csrf page={page} />
        <CheckFirst />
        <TargetPicker page={page} places={places} refused={refused} />
        {limit(t('maxSessionsPerDay'), 'maxSessionsPerDay')}
        {limit(t('maxMinutesPerSession'), 'maxMinutesPerSession')}
        {limit(t('maxDaysPerWeek'), 'maxDaysPerWeek')}
        <label>
          {t('enforcement')}
          <select name="enforcement">
            <option value="warn">{t('warn')}</option>
            <option value="refuse" selected={typed(refused, 'enforcement') === 'refuse'}>
              {t('refuse')}
            </option>
          </select>
        </label>
        <DayRulePicker page={page} />
        <button type="submit">{t('add')}</button>
      </form>
      <DataTable
        heads={[
          t('target'),
          t('maxSessionsPerDay'),
          t('maxMinutesPerSession'),
          t('maxDaysPerWeek'),
          t('enforcement'),
          t('dayRules'),
          '',
        ]}
      >
        {policies.map((p) => (
          <tr>
            <td>
              <TargetName places={places} page={page} target={p.target} />
            </td>
            <td>{p.policy.maxSessionsPerDay ?? '-'}</td>
            <td>{p.policy.maxMinutesPerSession ?? '-'}</td>
            <td>{p.policy.maxDaysPerWeek ?? '-'}</td>
            <td>{p.policy.enforcement === 'refuse' ? t('refuse') : t('warn')}</td>
            <td>{describeDays(page, p.policy) || '-'}</td>
            <td>
              <DeleteButton page={page} action={`/console/airtime-policies/${p.id}/delete`} />
            </td>
          </tr>
        ))}
      </DataTable>
    </>
  );
}
