// Form pieces shared by the console pages: weekdays, targets, the hidden CSRF field.
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

interface StationLite {
  id: string;
  name: string;
  district: string;
  ward: string;
}

/** Targets the person can reach: the city (admins), their districts, wards and stations. */
export function TargetSelect({
  page,
  stations,
  multiple = false,
}: {
  page: Page;
  stations: StationLite[];
  multiple?: boolean;
}) {
  const districts = [...new Set(stations.map((s) => s.district))].sort();
  const wards = [...new Set(stations.map((s) => s.ward))].sort();
  return (
    <label>
      {page.t('target')}
      <select name={multiple ? 'targets' : 'target'} multiple={multiple} size={multiple ? 4 : undefined}>
        {page.me.scope.kind === 'all' ? <option value="city:">{page.t('city')}</option> : null}
        {districts.map((d) => (
          <option value={`district:${d}`}>
            {page.t('district')}: {d}
          </option>
        ))}
        {wards.map((w) => (
          <option value={`ward:${w}`}>
            {page.t('ward')}: {w}
          </option>
        ))}
        {stations.map((s) => (
          <option value={`station:${s.id}`}>
            {page.t('station')}: {s.name}
          </option>
        ))}
      </select>
    </label>
  );
}

/** Reads the target select's `scope:id` value back into the API's shape. */
export function parseTarget(v: unknown): { scope: string; id?: string } {
  const [scope, id] = String(v ?? 'city:').split(':');
  return scope === 'city' || !id ? { scope: 'city' } : { scope: scope as string, id };
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

export const describeTarget = (page: Page, target: { scope: string; id?: string }) =>
  target.scope === 'city'
    ? page.t('city')
    : `${page.t(target.scope as 'district' | 'ward' | 'station')}: ${target.id}`;
