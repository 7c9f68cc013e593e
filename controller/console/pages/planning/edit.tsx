// Changing a slot or a quiet window in place (not deleting and making it again): its form filled with what
// is stored, saved as a PATCH of the API; refused, it comes back as typed with the field at fault marked.
import type { DayRules } from '../../../../schedules/calendar/days.ts';
import { reasonText } from '../../../../schedules/reason-words.ts';
import type { Page } from '../../context.ts';
import { ClockField, Csrf, DateRange, WeekdayBoxes } from '../../forms.tsx';
import { ErrorBox, Layout } from '../../layout.tsx';
import { dayText } from '../../local-time.ts';
import { FieldFault, faultMark, refusedFor, typed } from '../../refused-form.tsx';
import { loadPlaces, TargetPicker, type TargetValue } from '../../targets.tsx';
import { CheckFirst } from '../confirm/check.tsx';
import { describeDays } from './day-rules.tsx';
import { RepeatFields, type ShapeShown } from './repeat-fields.tsx';

/** A stored target as the picker's value (`area:<id>`, `station:<id>`, `zone:<station>/<zone>`). */
export function pickerValue(target: TargetValue, rootId: string): string {
  if (target.scope === 'zone') return `zone:${target.station}/${target.zone}`;
  if (target.scope === 'station') return `station:${target.id}`;
  return `area:${target.scope === 'city' ? rootId : target.id}`;
}

interface Stored {
  id: string;
  startTime: string;
  startDate: string;
  endDate: string;
  weekdays: number[];
  target: TargetValue;
}

async function loaded(page: Page, path: string) {
  const [res, places] = await Promise.all([page.api('GET', path), loadPlaces(page)]);
  const rootId = places.areas.find((a) => a.depth === 0)?.id ?? '';
  return { res, places, rootId };
}

const missing = (page: Page, title: string, message?: string) => (
  <Layout page={page} title={title}>
    <ErrorBox message={message ?? page.t('noData')} />
  </Layout>
);

/** A slot's edit form (a relay slot is changed through its campaign's relay form). */
export async function slotEditPage(page: Page, id: string, error?: string) {
  const { t, api } = page;
  const { res, places, rootId } = await loaded(page, `/api/slots/${encodeURIComponent(id)}`);
  if (res.status !== 200) return missing(page, t('edit.slot'), res.body?.message);
  const s = res.body as Stored &
    ShapeShown & { campaignId: string; clipIds: string[]; flexibleUntil?: string | null };
  const clips = await api('GET', '/api/clips').then((r) =>
    r.status === 200 ? (r.body as { id: string; title: string; status?: string }[]) : [],
  );
  const action = `/console/slots/${s.id}/edit`;
  const refused = refusedFor(page, action);
  const clipChosen = typed(refused, 'clipId', s.clipIds[0] ?? '');
  const choices = clips.filter((k) => !k.status || k.status === 'approved' || s.clipIds.includes(k.id));
  return (
    <Layout page={page} title={t('edit.slot')}>
      <ErrorBox message={error} />
      <form method="post" action={action} class="card">
        <Csrf page={page} />
        <CheckFirst />
        <label>
          {t('clip')}
          <select name="clipId" required {...faultMark(refused, 'clipId')}>
            {choices.map((k) => (
              <option value={k.id} title={k.id} selected={k.id === clipChosen}>
                {k.title}
              </option>
            ))}
          </select>
          <FieldFault refused={refused} name="clipId" />
        </label>
        <ClockField
          page={page}
          name="startTime"
          label={t('startTime')}
          refused={refused}
          value={s.startTime}
        />
        <ClockField
          page={page}
          name="flexibleUntil"
          label={t('flexibleUntil')}
          required={false}
          refused={refused}
          value={s.flexibleUntil ?? ''}
        />
        <DateRange page={page} start={s.startDate} end={s.endDate} refused={refused} />
        <TargetPicker
          page={page}
          places={places}
          refused={refused}
          selected={refused ? undefined : pickerValue(s.target, rootId)}
        />
        <WeekdayBoxes page={page} checked={s.weekdays} refused={refused} />
        <RepeatFields page={page} refused={refused} value={s} />
        <button type="submit">{t('save')}</button>
        <a href={`/console/campaigns/${s.campaignId}`}>{t('cancel')}</a>
      </form>
    </Layout>
  );
}

/** A quiet window's edit form; its holiday and lunar-date rules stay as they are (shown). */
export async function quietEditPage(page: Page, id: string, error?: string) {
  const { t, lang } = page;
  const { res, places, rootId } = await loaded(page, `/api/quiet-windows/${encodeURIComponent(id)}`);
  if (res.status !== 200) return missing(page, t('edit.quiet'), res.body?.message);
  const q = res.body as Stored & { endTime: string; reason: string; note: string; exceptDates?: string[] };
  const action = `/console/quiet-windows/${q.id}/edit`;
  const refused = refusedFor(page, action);
  const reason = typed(refused, 'reason', q.reason);
  const rules = describeDays(page, q as unknown as DayRules);
  return (
    <Layout page={page} title={t('edit.quiet')}>
      <ErrorBox message={error} />
      <form method="post" action={action} class="card">
        <Csrf page={page} />
        <CheckFirst />
        <label>
          {t('reason')}
          <select name="reason">
            {['online-class', 'national-relay', 'local-event', 'other'].map((r) => (
              <option value={r} selected={r === reason}>
                {reasonText(lang, r)}
              </option>
            ))}
          </select>
        </label>
        <ClockField
          page={page}
          name="startTime"
          label={t('startTime')}
          refused={refused}
          value={q.startTime}
        />
        <ClockField page={page} name="endTime" label={t('endTime')} refused={refused} value={q.endTime} />
        <DateRange page={page} start={q.startDate} end={q.endDate} refused={refused} />
        <TargetPicker
          page={page}
          places={places}
          refused={refused}
          selected={refused ? undefined : pickerValue(q.target, rootId)}
        />
        <label>
          {t('exceptDates')}
          <input
            name="exceptDates"
            pattern="[0-9, ;\/.\-]*"
            value={typed(refused, 'exceptDates', (q.exceptDates ?? []).map(dayText).join(', '))}
            {...faultMark(refused, 'exceptDates')}
          />
          <FieldFault refused={refused} name="exceptDates" />
        </label>
        <label>
          {t('note')}
          <input name="note" maxlength={500} value={typed(refused, 'note', q.note)} />
        </label>
        <WeekdayBoxes page={page} checked={q.weekdays} refused={refused} />
        {rules ? <p class="muted">{rules}</p> : null}
        <button type="submit">{t('save')}</button>
        <a href="/console/quiet-windows">{t('cancel')}</a>
      </form>
    </Layout>
  );
}
