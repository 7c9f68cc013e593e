// Form pieces shared by the console pages: weekdays, dates, the hidden CSRF field (targets: targets.tsx).
import type { Page } from './context.ts';
import { WEEKDAY_NAMES } from './i18n.ts';
import { DATE_WORDS, DAY_INPUT_PATTERN, dayText, readClock, readDay } from './local-time.ts';
import { FieldFault, faultMark, type Refused, typed, typedAll } from './refused-form.tsx';

export const Csrf = ({ page }: { page: Page }) => <input type="hidden" name="_csrf" value={page.csrf} />;

export function WeekdayBoxes({
  page,
  checked = [1, 2, 3, 4, 5, 6, 7],
  refused,
}: {
  page: Page;
  checked?: number[];
  /** A refused post of this form: the days as they were ticked. */
  refused?: Refused;
}) {
  const ticked = typedAll(refused, 'weekdays')?.map(Number) ?? checked;
  return (
    <fieldset class="days" style="border:none;padding:0">
      <legend style="font-size:.85rem">{page.t('weekdays')}</legend>
      {WEEKDAY_NAMES[page.lang].map((name, i) => (
        <label>
          <input type="checkbox" name="weekdays" value={String(i + 1)} checked={ticked.includes(i + 1)} />
          {name}
        </label>
      ))}
      <FieldFault refused={refused} name="weekdays" />
    </fieldset>
  );
}

export const weekdaysOf = (v: unknown): number[] => [v ?? []].flat().map(Number);

/**
 * A date field's attributes: a text field showing dd/mm/yyyy whatever the browser's language (an
 * `<input type=date>` shows the browser's own order, mm/dd/yyyy in an English browser), taking dd/mm/yyyy
 * or yyyy-mm-dd; the route reads it with `formDays`. `value` is a yyyy-mm-dd day or what was typed; a
 * refused post of the form shows what was typed instead, marked if at fault.
 */
export const dayInput = (page: Page, name: string, value: string, refused?: Refused) => ({
  name,
  value: refused ? typed(refused, name) : dayText(value),
  ...faultMark(refused, name),
  required: true,
  autocomplete: 'off',
  pattern: DAY_INPUT_PATTERN,
  placeholder: DATE_WORDS.dayPlaceholder[page.lang],
  title: DATE_WORDS.dayPlaceholder[page.lang],
});

/** A time field's attributes: a text field on a 24-hour clock (HH:mm), read by `formClocks`. */
export const clockInput = (page: Page, name: string, required = true, refused?: Refused, value?: string) => ({
  name,
  value: refused ? typed(refused, name) : value,
  ...faultMark(refused, name),
  required,
  autocomplete: 'off',
  pattern: '\\s*\\d{1,2}\\s*[:hH.]\\s*\\d{2}(:\\d{2})?\\s*',
  placeholder: DATE_WORDS.clockPlaceholder[page.lang],
  title: DATE_WORDS.clockPlaceholder[page.lang],
});

/** A time of day in its label, typed as people type it, with the reason beside it when refused. */
export function ClockField(p: {
  page: Page;
  name: string;
  label: string;
  required?: boolean;
  refused?: Refused;
  value?: string;
  title?: string;
}) {
  return (
    <label title={p.title}>
      {p.label}
      <input {...clockInput(p.page, p.name, p.required ?? true, p.refused, p.value)} />
      <FieldFault refused={p.refused} name={p.name} />
    </label>
  );
}

/** The From and To date fields of every rule and campaign form. */
export function DateRange({
  page,
  start,
  end,
  refused,
}: {
  page: Page;
  start: string;
  end: string;
  refused?: Refused;
}) {
  return (
    <>
      <label>
        {page.t('from')}
        <input {...dayInput(page, 'startDate', start, refused)} />
        <FieldFault refused={refused} name="startDate" />
      </label>
      <label>
        {page.t('to')}
        <input {...dayInput(page, 'endDate', end, refused)} />
        <FieldFault refused={refused} name="endDate" />
      </label>
    </>
  );
}

/**
 * The delete link of a list: it opens the confirmation page at the same address (GET), which says what the
 * deletion affects and posts it (pages/confirm/); `back` is where to come back to.
 */
export function DeleteButton({ page, action, back }: { page: Page; action: string; back?: string }) {
  return (
    <a class="delete" href={back ? `${action}?back=${encodeURIComponent(back)}` : action}>
      {page.t('delete')}
    </a>
  );
}

/**
 * The typed days of a form (startDate, endDate, ...) as the API's yyyy-mm-dd, or the API-shaped answer a
 * route gives back when one cannot be read (the form comes back with the reason, in the person's language).
 */
export function formDays(
  page: Page,
  form: Record<string, unknown>,
  names: string[],
):
  | { days: Record<string, string> }
  | { refusal: { status: number; body: { message: string; field: string } } } {
  const days: Record<string, string> = {};
  for (const name of names) {
    const typed = String(form[name] ?? '').trim();
    const day = readDay(typed);
    if (!day)
      return {
        refusal: { status: 400, body: { message: DATE_WORDS.badDay[page.lang](typed), field: name } },
      };
    days[name] = day;
  }
  return { days };
}

/** A list of typed days ("24/12/2026, 01/01/2027"): yyyy-mm-dd each, or the one that cannot be read. */
export function formDayList(text: unknown): { days: string[] } | { bad: string } {
  const days: string[] = [];
  for (const typed of String(text ?? '')
    .split(/[\s,;]+/)
    .filter(Boolean)) {
    const day = readDay(typed);
    if (!day) return { bad: typed };
    days.push(day);
  }
  return { days };
}

/**
 * The typed times of a form as HH:mm (HH:mm:ss), or the answer a route gives back when one cannot be
 * read; a name in `optional` may be left empty (it is then left out).
 */
export function formClocks(
  page: Page,
  form: Record<string, unknown>,
  names: string[],
  optional: string[] = [],
):
  | { clocks: Record<string, string> }
  | { refusal: { status: number; body: { message: string; field: string } } } {
  const clocks: Record<string, string> = {};
  for (const name of [...names, ...optional]) {
    const typed = String(form[name] ?? '').trim();
    if (!typed && optional.includes(name)) continue;
    const clock = readClock(typed);
    if (!clock)
      return {
        refusal: { status: 400, body: { message: DATE_WORDS.badClock[page.lang](typed), field: name } },
      };
    clocks[name] = clock;
  }
  return { clocks };
}
