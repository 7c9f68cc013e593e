// The admin's forms on the areas page: add an area, correct a name or code, the levels, the official list's
// import, and the four reorganisations (merge, split, rename, move), each previewed before it applies.
import type { Child } from 'hono/jsx';
import type { Page } from '../../context.ts';
import { Csrf } from '../../forms.tsx';
import type { WordKey } from '../../i18n.ts';
import { FieldFault, faultMark, type Refused, refusedFor, typed } from '../../refused-form.tsx';
import { type Places, TargetPicker } from '../../targets.tsx';

const Section = ({ title, children, open }: { title: string; children: Child; open?: boolean }) => (
  <details class="card" open={open || undefined}>
    <summary>
      <b>{title}</b>
    </summary>
    {children}
  </details>
);

const Text = (p: { label: string; name: string; required?: boolean; refused?: Refused }) => (
  <label>
    {p.label}
    <input
      name={p.name}
      maxlength={200}
      required={p.required}
      value={typed(p.refused, p.name)}
      {...faultMark(p.refused, p.name)}
    />
    <FieldFault refused={p.refused} name={p.name} />
  </label>
);

/** Reorganisations for admins and technicians (inside their areas, which the pickers keep to); the rest for admins. */
export function AreaForms({ page, places, admin }: { page: Page; places: Places; admin: boolean }) {
  const { t } = page;
  const hasTree = places.areas.some((a) => !a.retiredAt);
  const pick = (
    name: string,
    label: string,
    extra: { multiple?: boolean; required?: boolean; refused?: Refused } = {},
  ) => <TargetPicker page={page} places={places} name={name} only="areas" label={label} {...extra} />;
  // a refused add or correction comes back open, as typed
  const added = refusedFor(page, '/console/areas/add');
  const corrected = refusedFor(page, '/console/areas/correct');
  return (
    <>
      <h2>{t('reorganise')}</h2>
      <p class="muted">{t('reorganiseHelp')}</p>
      {hasTree ? (
        <>
          <Section title={t('op.merge')}>
            <form method="post" action="/console/areas/reorganise" class="card" data-op="merge">
              <Csrf page={page} />
              <input type="hidden" name="operation" value="merge" />
              {pick('areas', t('mergeAreas'), { multiple: true })}
              {pick('into', t('mergeInto'), { required: false })}
              <Text label={t('orNewArea')} name="name" />
              <Text label={t('newCode')} name="code" />
              <button type="submit">{t('preview')}</button>
            </form>
          </Section>
          <Section title={t('op.split')}>
            <form method="post" action="/console/areas/reorganise" class="card" data-op="split">
              <Csrf page={page} />
              <input type="hidden" name="operation" value="split" />
              {pick('area', t('area'))}
              <label style="grid-column:1/-1">
                {t('splitParts')}
                <textarea
                  name="parts"
                  rows={3}
                  placeholder="Xã Mỹ Khánh | 31150 | Đài xã Mỹ Khánh | Ấp Mỹ Ái, Ấp Mỹ Lợi"
                  required
                />
              </label>
              <button type="submit">{t('preview')}</button>
            </form>
          </Section>
          <Section title={t('op.rename')}>
            <form method="post" action="/console/areas/reorganise" class="card" data-op="rename">
              <Csrf page={page} />
              <input type="hidden" name="operation" value="rename" />
              {pick('area', t('area'))}
              <Text label={t('newName')} name="name" required />
              <Text label={t('newCode')} name="code" />
              <button type="submit">{t('preview')}</button>
            </form>
          </Section>
          <Section title={t('op.move')}>
            <form method="post" action="/console/areas/reorganise" class="card" data-op="move">
              <Csrf page={page} />
              <input type="hidden" name="operation" value="move" />
              {pick('area', t('area'))}
              {pick('parent', t('newParent'))}
              <button type="submit">{t('preview')}</button>
            </form>
          </Section>
        </>
      ) : null}
      {admin ? (
        <>
          <h2>{t('edit')}</h2>
          <Section title={t('addArea')} open={!hasTree || !!added}>
            <form method="post" action="/console/areas/add" class="card" data-form="add-area">
              <Csrf page={page} />
              {hasTree ? pick('parent', t('parentArea'), { refused: added }) : null}
              <Text label={t('name')} name="name" required refused={added} />
              <Text label={t('code')} name="code" refused={added} />
              <label>
                {t('areaLevel')}
                <select name="level" required>
                  {places.levels.map((l) => (
                    <option value={l.id} selected={typed(added, 'level') === l.id}>
                      {l.name}
                    </option>
                  ))}
                </select>
              </label>
              <Text label={t('idOptional')} name="id" refused={added} />
              <button type="submit">{t('add')}</button>
            </form>
          </Section>
          {hasTree ? (
            <Section title={t('correctArea')} open={!!corrected}>
              <form method="post" action="/console/areas/correct" class="card">
                <Csrf page={page} />
                {pick('area', t('area'), { refused: corrected })}
                <Text label={t('name')} name="name" refused={corrected} />
                <Text label={t('code')} name="code" refused={corrected} />
                <p class="muted" style="grid-column:1/-1;margin:0">
                  {t('correctHelp')}
                </p>
                <button type="submit">{t('save')}</button>
              </form>
            </Section>
          ) : null}
          <Section title={t('areaLevels')}>
            <form method="post" action="/console/areas/levels" class="card" data-form="levels">
              <Csrf page={page} />
              {[...places.levels, { id: '', name: '' }].map((l) => (
                <>
                  <label>
                    {t('levelId')}
                    <input name="levelId" value={l.id} pattern="[A-Za-z0-9][A-Za-z0-9_-]*" />
                  </label>
                  <label>
                    {t('name')}
                    <input name="levelName" value={l.name} />
                  </label>
                </>
              ))}
              <p class="muted" style="grid-column:1/-1;margin:0">
                {t('levelsHelp')}
              </p>
              <button type="submit">{t('save')}</button>
            </form>
          </Section>
          <Section title={t('officialImport')}>
            <form
              method="post"
              action="/console/areas/official"
              class="card"
              style="grid-template-columns:1fr"
            >
              <Csrf page={page} />
              <textarea
                name="csv"
                rows={6}
                required
                placeholder={
                  'mã,tên,cấp,mã cấp trên\n86,Tỉnh Vĩnh Long,province,\n29551,Xã Long Hồ,commune,86'
                }
              />
              <span style="display:flex;gap:.5rem">
                <button type="submit" name="dryRun" value="true">
                  {t('preview')}
                </button>
                <button type="submit" name="dryRun" value="false">
                  {t('import')}
                </button>
              </span>
            </form>
          </Section>
        </>
      ) : null}
    </>
  );
}

/** What an import of the official list did (or would do). */
export function ImportResult({
  page,
  places,
  r,
}: {
  page: Page;
  places: Places;
  r: {
    dryRun: boolean;
    created: { id: string; code: string; name: string; level: string }[];
    updated: { id: string; code: string; name: string }[];
    unchanged: number | unknown[];
  };
}) {
  const { t } = page;
  const count = (x: number | unknown[]) => (typeof x === 'number' ? x : x.length);
  const row = (key: WordKey, list: { id: string; code: string; name: string; level?: string }[]) =>
    list.length ? (
      <p>
        <b>
          {t(key)} ({list.length}):
        </b>{' '}
        {list
          .map((a) => `${a.name}${a.level ? ` (${places.levelName(a.level)})` : ''} · ${a.code}`)
          .join('; ')}
      </p>
    ) : null;
  return (
    <div class="card" data-import-result>
      <b>
        {t('importResult')}
        {r.dryRun ? ` · ${t('previewTitle')}` : ` · ${t('applied')}`}
      </b>
      {row('created', r.created)}
      {row('updated', r.updated)}
      <p>
        {t('unchanged')}: {count(r.unchanged)}
      </p>
    </div>
  );
}
