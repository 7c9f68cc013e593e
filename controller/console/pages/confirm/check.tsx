// The step before saving a slot, a quiet window, an air-time policy or a bulletin: "Kiểm tra trước khi lưu",
// what the change will do to the next two weeks (read from POST /api/what-if), with "Lưu" (saves exactly
// what was typed: the form rides along in hidden fields) and "Sửa lại" (the form again, as typed). No script.
import { reasonText } from '../../../../schedules/reason-words.ts';
import type { Form, Page } from '../../context.ts';
import { Csrf } from '../../forms.tsx';
import type { WordKey } from '../../i18n.ts';
import { DataTable, Layout } from '../../layout.tsx';
import { localStamp } from '../../local-time.ts';

/** Put in a form that is checked before it is saved: its post shows the check page first. */
export const CheckFirst = () => <input type="hidden" name="_step" value="check" />;

/** The form fields the check page carries on (not the token or the step, which it sets itself). */
export const typedFields = (form: Form): Form =>
  Object.fromEntries(Object.entries(form).filter(([k]) => k !== '_csrf' && k !== '_step'));

// The answer of POST /api/what-if, as this page reads it (controller/rules/what-if/what-if.ts).
interface Named {
  kind: 'slot' | 'alert' | 'announcement' | 'quiet-window' | 'override';
  id: string;
  name: string;
  time?: string;
  quietReason?: string;
  proposed: boolean;
}
interface Change {
  change: 'skipped' | 'pushed-off' | 'moved' | 'plays-again';
  own: boolean;
  stationId: string;
  stationName: string;
  entry: Named;
  local: string;
  movedTo?: { local: string };
  reason?: string;
  cause?: Named;
}
interface OwnPlays {
  stationId: string;
  stationName: string;
  before: number;
  after: number;
  first: string[];
}
interface Breach {
  change: 'new' | 'gone';
  stationId: string;
  stationName: string;
  code: string;
  localDate: string;
  limit: number;
  actual: number;
}
export interface WhatIf {
  kind: string;
  /** A new slot's or quiet window's id as it was tried: "Lưu" saves under it (rule-forms.ts reads it back). */
  proposedId?: string;
  from: string;
  to: string;
  stations: { reached: number; checked: number };
  changes: Change[];
  truncated: boolean;
  own: OwnPlays[];
  airTime: {
    stationId: string;
    stationName?: string;
    enforcement: string;
    code: string;
    localDate: string;
  }[];
  breaches: Breach[];
}

/** Times listed in one row before the rest are counted. */
const MAX_TIMES = 4;

/** A slot, bulletin, window or command as people call it ("Khung giờ phát 06:29 · Ngày chủ nhật xanh"). */
function nameOf(page: Page, n: Named): string {
  const { t, lang } = page;
  const mine = n.proposed ? ` (${t('check.thisOne')})` : '';
  const parts = (...xs: (string | undefined)[]) => xs.filter((x) => x).join(' · ') + mine;
  if (n.kind === 'slot') return parts(`${t('check.slot')} ${n.time ?? ''}`.trim(), n.name);
  if (n.kind === 'quiet-window')
    return parts(`${t('quietWindows')} ${n.time ?? ''}`.trim(), reasonText(lang, n.quietReason), n.name);
  if (n.kind === 'alert') return parts(`${t('alerts')}: ${n.name}`);
  if (n.kind === 'announcement') return parts(t('override.announce'));
  return parts(t('overrides'));
}

const dayOf = (d: string) => `${d.slice(8, 10)}/${d.slice(5, 7)}/${d.slice(0, 4)}`;

/** Rows of the same entry, change, reason and cause at a station are one row with their times. */
function grouped(changes: Change[]) {
  const rows = new Map<string, { first: Change; times: string[] }>();
  for (const c of changes) {
    const key = [c.stationId, c.entry.kind, c.entry.id, c.change, c.reason, c.cause?.id, c.own].join('|');
    const when = c.movedTo ? `${c.local} → ${c.movedTo.local.slice(11)}` : c.local;
    const row = rows.get(key);
    if (row) row.times.push(when);
    else rows.set(key, { first: c, times: [when] });
  }
  return [...rows.values()];
}

/** One item per entry, change and cause at a station: a list reads on a phone where five columns do not. */
function EffectList({ page, changes }: { page: Page; changes: Change[] }) {
  const { t, lang } = page;
  const times = (list: string[]) =>
    list.length > MAX_TIMES
      ? `${list.slice(0, MAX_TIMES).join(', ')} … (${list.length} ${t('check.plays')})`
      : list.join(', ');
  return (
    <ul class="effects">
      {grouped(changes).map(({ first: c, times: list }) => (
        <li>
          <strong title={c.stationId}>{c.stationName}</strong> ·{' '}
          <span title={c.entry.id}>{nameOf(page, c.entry)}</span>
          <br />
          <strong>{`${t(`check.${c.change}` as WordKey)}:`}</strong> {times(list)}
          {c.reason ? (
            <>
              <br />
              {`${t('reason')}: ${reasonText(lang, c.reason)}`}
            </>
          ) : null}
          {c.cause ? (
            <>
              <br />
              <span title={c.cause.id}>{`${t('check.cause')}: ${nameOf(page, c.cause)}`}</span>
            </>
          ) : null}
        </li>
      ))}
    </ul>
  );
}

function OwnTable({ page, own }: { page: Page; own: OwnPlays[] }) {
  const { t } = page;
  return (
    <DataTable
      caption={t('check.own')}
      heads={[t('station'), t('check.before'), t('check.after'), t('check.first')]}
    >
      {own.map((o) => (
        <tr>
          <td title={o.stationId}>{o.stationName}</td>
          <td>{o.before}</td>
          <td>{o.after}</td>
          <td>{o.first.join(', ')}</td>
        </tr>
      ))}
    </DataTable>
  );
}

function PolicyFindings({ page, answer }: { page: Page; answer: WhatIf }) {
  const { t } = page;
  const air = answer.airTime;
  const breaches = answer.breaches;
  return (
    <>
      {air.length ? (
        <DataTable caption={t('check.airTime')} heads={[t('station'), t('report.day'), t('reason'), '']}>
          {air.map((b) => (
            <tr>
              <td title={b.stationId}>{b.stationName ?? b.stationId}</td>
              <td>{dayOf(b.localDate)}</td>
              <td>{t(`breach.${b.code}` as WordKey)}</td>
              <td>{b.enforcement === 'refuse' ? t('check.refuse') : t('check.warn')}</td>
            </tr>
          ))}
        </DataTable>
      ) : null}
      {answer.kind === 'policy' ? <p class="muted">{t('check.policyNote')}</p> : null}
      {breaches.length ? (
        <DataTable caption={t('check.breaches')} heads={[t('station'), t('report.day'), t('reason'), '']}>
          {breaches.map((b) => (
            <tr>
              <td title={b.stationId}>{b.stationName}</td>
              <td>{dayOf(b.localDate)}</td>
              <td>{`${t(`breach.${b.code}` as WordKey)} (${b.actual}/${b.limit})`}</td>
              <td>{b.change === 'gone' ? t('check.breachGone') : ''}</td>
            </tr>
          ))}
        </DataTable>
      ) : null}
    </>
  );
}

/** Every typed value as a hidden field, so "Lưu" saves and "Sửa lại" refills exactly what was typed. */
const Carried = ({ form }: { form: Form }) => (
  <>
    {Object.entries(form).flatMap(([name, v]) =>
      [v]
        .flat()
        .flatMap((x) => (typeof x === 'string' ? [<input type="hidden" name={name} value={x} />] : [])),
    )}
  </>
);

/** The check page: what the change does over the next two weeks, "Lưu" and "Sửa lại" (both post to `action`). */
export function CheckPage(props: { page: Page; answer: WhatIf; form: Form; action: string }) {
  const { page, answer, form, action } = props;
  const { t } = page;
  const unchecked = answer.stations.reached - answer.stations.checked;
  const quiet = answer.changes.length === 0 && answer.breaches.length === 0 && answer.airTime.length === 0;
  return (
    <Layout page={page} title={t('check.title')}>
      <section class="card confirm">
        <p>
          {t('check.lead')} ({localStamp(answer.from)} - {localStamp(answer.to)}):
        </p>
        {quiet ? (
          <p class="ok">
            <strong>{t('check.nothing')}</strong>
          </p>
        ) : null}
        {answer.changes.length ? (
          <>
            <h3>{t('check.effects')}</h3>
            <EffectList page={page} changes={answer.changes} />
          </>
        ) : null}
        {answer.truncated ? <p class="muted">{t('check.truncated')}</p> : null}
        <PolicyFindings page={page} answer={answer} />
        {answer.own.length ? <OwnTable page={page} own={answer.own} /> : null}
        {unchecked > 0 ? <p class="muted">{`${t('check.unchecked')}: ${unchecked}`}</p> : null}
      </section>
      <form method="post" action={action} class="card">
        <Csrf page={page} />
        <Carried form={form} />
        <button type="submit" name="_step" value="save">
          {t('save')}
        </button>{' '}
        <button type="submit" name="_step" value="edit" class="link">
          {t('check.edit')}
        </button>
      </form>
    </Layout>
  );
}
