// The step before a deletion: a page (no script needed) that says what will go and what it affects over
// the next two weeks, with the button that does it and a way back. The delete buttons of the console link
// here (forms.tsx DeleteButton); the POST to the same address deletes.
import type { Child } from 'hono/jsx';
import { reasonText } from '../../../../schedules/reason-words.ts';
import type { Page } from '../../context.ts';
import { Csrf } from '../../forms.tsx';
import { weekdayList } from '../../i18n.ts';
import { DataTable, ErrorBox, Layout } from '../../layout.tsx';
import { dayRange } from '../../local-time.ts';
import { loadPlaces, type Places, TargetName, type TargetValue } from '../../targets.tsx';
import { type Affected, entriesOf, MAX_STATIONS, stationsOf } from './affected.ts';

/** Where to go back to: a console page given by the link, else `fallback`. */
export const backOf = (given: unknown, fallback: string) =>
  typeof given === 'string' && given.startsWith('/console/') ? given : fallback;

/** A confirmation: the question, what it affects, the button (a POST to `action`) and "Cancel" back. */
export function ConfirmPage(props: {
  page: Page;
  title: string;
  action: string;
  back: string;
  button: string;
  children: Child;
  /** A field for the reason (a stop or a withdrawal records why). */
  reason?: boolean;
}) {
  const { page, back } = props;
  const { t } = page;
  return (
    <Layout page={page} title={props.title}>
      <section class="card confirm">{props.children}</section>
      <form method="post" action={props.action} class="card">
        <Csrf page={page} />
        <input type="hidden" name="back" value={back} />
        {props.reason ? (
          <label>
            {t('reason')}
            <input name="reason" maxlength={500} />
          </label>
        ) : null}
        <button type="submit" class="danger">
          {props.button}
        </button>
        <a href={back}>{t('cancel')}</a>
      </form>
    </Layout>
  );
}

/** Entries at each station over the next two weeks: how many, and the first few in local time. */
export function AffectedTable({
  page,
  affected,
  reached = 0,
}: {
  page: Page;
  affected: Affected[];
  /** How many stations the target reaches: those past the first MAX_STATIONS are counted, not read. */
  reached?: number;
}) {
  const { t } = page;
  const beyond =
    reached > MAX_STATIONS ? (
      <p class="muted">{`${t('confirm.moreStations')}: ${reached - MAX_STATIONS}`}</p>
    ) : null;
  if (affected.length === 0) return beyond ?? <p class="muted">{t('confirm.nothingAffected')}</p>;
  return (
    <>
      {beyond}
      <DataTable heads={[t('station'), t('confirm.entries'), t('confirm.next')]}>
        {affected.map((a) => (
          <tr>
            <td title={a.stationId}>{a.stationName}</td>
            <td>{a.count}</td>
            <td>{a.next.join(', ')}</td>
          </tr>
        ))}
      </DataTable>
    </>
  );
}

const missing = (page: Page, title: string, message?: string) => (
  <Layout page={page} title={title}>
    <ErrorBox message={message ?? page.t('noData')} />
  </Layout>
);

interface SlotShown {
  id: string;
  campaignId: string;
  startTime: string;
  weekdays: number[];
  startDate: string;
  endDate: string;
  clipIds: string[];
  target: TargetValue;
}

/** Deleting a slot: its campaign, time and target, and its plays over the next two weeks at each station. */
export async function slotDeletePage(page: Page, id: string, given: unknown) {
  const { t, api, lang } = page;
  const res = await api('GET', `/api/slots/${encodeURIComponent(id)}`);
  if (res.status !== 200) return missing(page, t('confirm.deleteSlot'), res.body?.message);
  const s = res.body as SlotShown;
  const [places, campaign] = await Promise.all([
    loadPlaces(page),
    api('GET', `/api/campaigns/${encodeURIComponent(s.campaignId)}`),
  ]);
  const back = backOf(given, `/console/campaigns/${s.campaignId}`);
  const reached = stationsOf(places, s.target);
  const affected = await entriesOf(
    page,
    places,
    reached,
    (e) => e.id.startsWith(`${s.id}@`) && e.status === 'scheduled',
  );
  return (
    <ConfirmPage
      page={page}
      title={t('confirm.deleteSlot')}
      action={`/console/slots/${s.id}/delete`}
      back={back}
      button={t('confirm.yesDelete')}
    >
      <p>
        <strong>{campaign.body?.name ?? ''}</strong> · {s.startTime} · {weekdayList(lang, s.weekdays)} ·{' '}
        {dayRange(s.startDate, s.endDate)} · <TargetName page={page} places={places} target={s.target} />
      </p>
      <p>{t('confirm.slotAffects')}</p>
      <AffectedTable page={page} affected={affected} reached={reached.length} />
    </ConfirmPage>
  );
}

/** Deleting a quiet window: what it keeps quiet, and the plays it holds back now that would go on air. */
export async function quietDeletePage(page: Page, id: string) {
  const { t, api, lang } = page;
  const res = await api('GET', `/api/quiet-windows/${encodeURIComponent(id)}`);
  if (res.status !== 200) return missing(page, t('confirm.deleteQuiet'), res.body?.message);
  const q = res.body as SlotShown & { endTime: string; reason: string; note: string };
  const places = await loadPlaces(page);
  const held = (e: { status: string; skip?: { code: string; quietWindowId?: string } }) =>
    e.status === 'skipped' && e.skip?.code === 'quiet-window' && e.skip.quietWindowId === q.id;
  const reached = stationsOf(places, q.target);
  const affected = await entriesOf(page, places, reached, held);
  return (
    <ConfirmPage
      page={page}
      title={t('confirm.deleteQuiet')}
      action={`/console/quiet-windows/${q.id}/delete`}
      back="/console/quiet-windows"
      button={t('confirm.yesDelete')}
    >
      <p>
        <strong>{reasonText(lang, q.reason)}</strong> · {q.startTime}-{q.endTime} ·{' '}
        {weekdayList(lang, q.weekdays)} · {dayRange(q.startDate, q.endDate)} ·{' '}
        <TargetName page={page} places={places} target={q.target} />
        {q.note ? ` · ${q.note}` : ''}
      </p>
      <p>{t('confirm.quietAffects')}</p>
      <AffectedTable page={page} affected={affected} reached={reached.length} />
    </ConfirmPage>
  );
}

/** Deleting an air-time policy: its limits and the stations they stop applying to. */
export async function policyDeletePage(page: Page, id: string) {
  const { t, api } = page;
  const list = await api('GET', '/api/airtime-policies');
  const p = (list.status === 200 ? (list.body as { id: string; target: TargetValue }[]) : []).find(
    (x) => x.id === id,
  );
  if (!p) return missing(page, t('confirm.deletePolicy'));
  const places: Places = await loadPlaces(page);
  const stations = stationsOf(places, p.target);
  return (
    <ConfirmPage
      page={page}
      title={t('confirm.deletePolicy')}
      action={`/console/airtime-policies/${p.id}/delete`}
      back="/console/quiet-windows"
      button={t('confirm.yesDelete')}
    >
      <p>
        {t('airTimePolicy')}: <TargetName page={page} places={places} target={p.target} />
      </p>
      <p>{t('confirm.policyAffects')}</p>
      <p>{stations.map((s) => s.name).join(', ') || t('none')}</p>
    </ConfirmPage>
  );
}
