// Form pieces shared by the console pages: weekdays, dates, the hidden CSRF field (targets: targets.tsx).
import type { Page } from './context.ts';
import { WEEKDAY_NAMES } from './i18n.ts';

export const Csrf = ({ page }: { page: Page }) => <input type="hidden" name="_csrf" value={page.csrf} />;

export function WeekdayBoxes({ page, checked = [1, 2, 3, 4, 5, 6, 7] }: { page: Page; checked?: number[] }) {
  return (
    <fieldset class="days" style="border:none;padding:0">
      <legend style="font-size:.85rem">{page.t('weekdays')}</legend>
      {WEEKDAY_NAMES[page.lang].map((name, i) => (
        <label>
          <input type="checkbox" name="weekdays" value={String(i + 1)} checked={checked.includes(i + 1)} />
          {name}
        </label>
      ))}
    </fieldset>
  );
}

export const weekdaysOf = (v: unknown): number[] => [v ?? []].flat().map(Number);

/** The From and To date fields of every rule and campaign form. */
export function DateRange({ page, start, end }: { page: Page; start: string; end: string }) {
  return (
    <>
      <label>
        {page.t('from')}
        <input type="date" name="startDate" value={start} required />
      </label>
      <label>
        {page.t('to')}
        <input type="date" name="endDate" value={end} required />
      </label>
    </>
  );
}

/** A one-button form that deletes through a console route, then comes back to `back`. */
export function DeleteButton({ page, action, back }: { page: Page; action: string; back?: string }) {
  return (
    <form method="post" action={action}>
      <Csrf page={page} />
      {back ? <input type="hidden" name="back" value={back} /> : null}
      <button class="link" type="submit">
        {page.t('delete')}
      </button>
    </form>
  );
}
