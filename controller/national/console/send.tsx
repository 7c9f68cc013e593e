// The national console's send page: a recording uploaded once, then a bulletin, a campaign or a quiet window
// to every province or to those ticked. Dates are typed dd/mm/yyyy, times HH:mm (the console's readers).

import { reasonText } from '../../../schedules/reason-words.ts';
import type { Form, Page } from '../../console/context.ts';
import type { WordKey } from '../../console/i18n.ts';
import { Layout } from '../../console/layout.tsx';
import { readClock, readDay } from '../../console/local-time.ts';
import { NationalNav } from './pages.tsx';

const Csrf = ({ page }: { page: Page }) => <input type="hidden" name="_csrf" value={page.csrf} />;

function Provinces({ page, list }: { page: Page; list: { id: string; name: string }[] }) {
  const { t } = page;
  return (
    <fieldset>
      <legend>{t('nationalChooseProvinces')}</legend>
      <label>
        <input type="checkbox" name="all" value="yes" checked /> {t('nationalAllProvinces')}
      </label>
      {list.map((p) => (
        <label>
          <input type="checkbox" name="provinces" value={p.id} /> {p.name}
        </label>
      ))}
    </fieldset>
  );
}

const Text = ({ label, name, value }: { label: string; name: string; value?: string }) => (
  <label>
    {label} <input name={name} value={value ?? ''} />
  </label>
);

export async function sendPage(page: Page, error?: string) {
  const { t, lang } = page;
  const list = ((await page.api('GET', '/api/national/provinces')).body ?? []) as {
    id: string;
    name: string;
  }[];
  const clip = page.c.req.query('clip') ?? '';
  const clipField = <Text label={t('nationalRecording')} name="clipId" value={clip} />;
  return (
    <Layout page={page} title={t('nationalSend')} nav={<NationalNav page={page} />}>
      {error ? <p class="error">{error}</p> : null}
      <h2>{t('nationalUpload')}</h2>
      <form method="post" action="/console/national/clips" enctype="multipart/form-data" class="card">
        <Csrf page={page} />
        <Text label={t('nationalItemTitle')} name="title" />
        <input type="file" name="file" accept="audio/*" />
        <button type="submit">{t('nationalUpload')}</button>
      </form>
      <h2>{t('nationalSendBulletin')}</h2>
      <form method="post" action="/console/national/bulletins" class="card">
        <Csrf page={page} />
        <label>
          {t('nationalKind')}{' '}
          <select name="level">
            {['emergency', 'priority', 'normal'].map((l) => (
              <option value={l}>{t(`level.${l}` as WordKey)}</option>
            ))}
          </select>
        </label>
        <Text label={t('nationalItemTitle')} name="title" />
        <Text label={t('nationalReason')} name="reason" />
        {clipField}
        <Provinces page={page} list={list} />
        <button type="submit">{t('nationalSendBulletin')}</button>
      </form>
      <h2>{t('nationalSendCampaign')}</h2>
      <form method="post" action="/console/national/campaigns" class="card">
        <Csrf page={page} />
        <Text label={t('nationalItemTitle')} name="name" />
        <Text label={t('from')} name="startDate" />
        <Text label={t('to')} name="endDate" />
        <Text label={t('nationalSlotTime')} name="startTime" />
        {clipField}
        <Provinces page={page} list={list} />
        <button type="submit">{t('nationalSendCampaign')}</button>
      </form>
      <h2>{t('nationalSendQuiet')}</h2>
      <form method="post" action="/console/national/quiet-windows" class="card">
        <Csrf page={page} />
        <label>
          {t('reason')}{' '}
          <select name="reason">
            {['national-relay', 'online-class', 'local-event', 'other'].map((r) => (
              <option value={r}>{reasonText(lang, r)}</option>
            ))}
          </select>
        </label>
        <Text label={t('startTime')} name="startTime" />
        <Text label={t('endTime')} name="endTime" />
        <Text label={t('from')} name="startDate" />
        <Text label={t('to')} name="endDate" />
        <Text label={t('note')} name="note" />
        <Provinces page={page} list={list} />
        <button type="submit">{t('nationalSendQuiet')}</button>
      </form>
    </Layout>
  );
}

const one = (f: Form, k: string) => String(f[k] ?? '').trim();
const provincesOf = (f: Form) => {
  const ticked = ([] as unknown[]).concat(f.provinces ?? []).map(String);
  return one(f, 'all') === 'yes' || !ticked.length ? 'all' : ticked;
};
const EVERY_DAY = [1, 2, 3, 4, 5, 6, 7];

/** The API bodies the forms make (a date or time that cannot be read is sent as typed: the API says why). */
export const formBodies = {
  bulletin: (f: Form) => ({
    level: one(f, 'level'),
    title: one(f, 'title'),
    reason: one(f, 'reason'),
    clipId: one(f, 'clipId'),
    provinces: provincesOf(f),
  }),
  campaign: (f: Form) => ({
    name: one(f, 'name'),
    startDate: readDay(f.startDate) ?? one(f, 'startDate'),
    endDate: readDay(f.endDate) ?? one(f, 'endDate'),
    clipId: one(f, 'clipId'),
    slots: [{ startTime: readClock(f.startTime) ?? one(f, 'startTime'), weekdays: EVERY_DAY }],
    provinces: provincesOf(f),
  }),
  quiet: (f: Form) => ({
    reason: one(f, 'reason'),
    weekdays: EVERY_DAY,
    startTime: readClock(f.startTime) ?? one(f, 'startTime'),
    endTime: readClock(f.endTime) ?? one(f, 'endTime'),
    startDate: readDay(f.startDate) ?? one(f, 'startDate'),
    endDate: readDay(f.endDate) ?? one(f, 'endDate'),
    note: one(f, 'note'),
    provinces: provincesOf(f),
  }),
};
