// "Phát bản tin": the form that sends a bulletin (normal, priority, emergency) to areas, the list of
// bulletins, and the pieces the bulletin's own page shares (alert.tsx).
import type { Page } from '../context.ts';
import { Csrf } from '../forms.tsx';
import type { WordKey } from '../i18n.ts';
import { DataTable, ErrorBox, Layout } from '../layout.tsx';
import { DATE_WORDS, stampOrDash } from '../local-time.ts';
import { FieldFault, faultMark, refusedFor, typed } from '../refused-form.tsx';
import { loadPlaces, TargetNames, TargetPicker, type TargetValue } from '../targets.tsx';
import { CapFeeds, loadCapFeeds } from './cap-feeds.tsx';
import { CheckFirst } from './confirm/check.tsx';
import { RepeatFields } from './planning/repeat-fields.tsx';

export interface AlertItem {
  id: string;
  level: 'normal' | 'priority' | 'emergency';
  title: string;
  reason: string;
  clipId: string;
  targets: TargetValue[];
  issuedAt: string;
  issuedBy: string;
  expiresAt: string;
  ignoreQuietWindows: boolean;
  cancelledAt: string | null;
  cancelledBy: string | null;
  cancelReason: string | null;
  status: 'active' | 'cancelled' | 'expired';
  stationCount: number;
  counts: Record<string, number>;
}
export interface AlertDetail extends AlertItem {
  states: string[];
  stations: {
    stationId: string;
    name: string;
    areaId: string | null;
    areaName: string | null;
    state: string;
    at: string | null;
    startedAt?: string | null;
    soundingAt?: string | null;
    reason: string | null;
    detail: string | null;
    online: boolean;
  }[];
}

const LEVELS = ['normal', 'priority', 'emergency'] as const;
const LEVEL_PILL = { normal: '', priority: 'warn', emergency: 'bad' } as const;
const STATE_PILL: Record<string, string> = {
  pending: 'warn',
  started: 'ok',
  sounding: 'ok',
  finished: 'ok',
  failed: 'bad',
  skipped: 'bad',
  declined: 'bad',
  expired: 'bad',
};

/** The city's local time, e.g. '26/11/2026 10:05:03'. */
export const local = (iso: string | null) => stampOrDash(iso, undefined, true);

export const LevelPill = ({ page, level }: { page: Page; level: AlertItem['level'] }) => (
  <span class={`pill ${LEVEL_PILL[level]}`}>{page.t(`level.${level}` as WordKey)}</span>
);
export const StatePill = ({ page, state }: { page: Page; state: string }) => (
  <span class={`pill ${STATE_PILL[state] ?? ''}`}>{page.t(`alertState.${state}` as WordKey)}</span>
);

/** The counts worth a glance: how many stations are in each state, leaving out empty states. */
export const Counts = ({ page, a }: { page: Page; a: AlertItem }) => (
  <>
    {Object.entries(a.counts)
      .filter(([, n]) => n > 0)
      .map(([state, n]) => (
        <span style="margin-right:.4rem">
          <StatePill page={page} state={state} /> {n}
        </span>
      ))}
  </>
);

export async function alertsPage(page: Page, error?: string) {
  const { t, api, me } = page;
  const [alerts, places, approved, drafts] = await Promise.all([
    api('GET', '/api/alerts').then((r) => (r.status === 200 ? (r.body as AlertItem[]) : [])),
    loadPlaces(page),
    api('GET', '/api/clips?status=approved').then((r) => r.body as { id: string; title: string }[]),
    api('GET', '/api/clips?status=draft').then((r) => r.body as { id: string; title: string }[]),
  ]);
  const feeds = await loadCapFeeds(page);
  const levels = me.role === 'ward' ? (['normal'] as const) : LEVELS;
  const refused = refusedFor(page, '/console/alerts');
  const kept = (name: string) => ({ value: typed(refused, name), ...faultMark(refused, name) });
  const SendForm = () => (
    <form method="post" action="/console/alerts" class="card">
      <Csrf page={page} />
      <CheckFirst />
      <label>
        {t('level')}
        <select name="level">
          {levels.map((l) => (
            <option value={l} selected={typed(refused, 'level') === l}>
              {t(`level.${l}` as WordKey)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('title')}
        <input name="title" required maxlength={200} {...kept('title')} />
        <FieldFault refused={refused} name="title" />
      </label>
      <label>
        {t('reason')}
        <input name="reason" required maxlength={500} {...kept('reason')} />
        <FieldFault refused={refused} name="reason" />
      </label>
      <label>
        {t('clip')}
        <select name="clipId" required>
          {approved.map((k) => (
            <option value={k.id} title={k.id} selected={typed(refused, 'clipId') === k.id}>
              {k.title}
            </option>
          ))}
          {drafts.map((k) => (
            <option value={k.id} selected={typed(refused, 'clipId') === k.id}>
              {k.title} ({t('draftEmergencyOnly')})
            </option>
          ))}
        </select>
      </label>
      <TargetPicker page={page} places={places} name="targets" multiple refused={refused} />
      <label>
        {t('expiresAt')}
        <input
          name="expiresAt"
          autocomplete="off"
          placeholder={DATE_WORDS.stampPlaceholder[page.lang]}
          title={DATE_WORDS.stampPlaceholder[page.lang]}
          {...kept('expiresAt')}
        />
        <FieldFault refused={refused} name="expiresAt" />
      </label>
      {me.role === 'ward' ? null : (
        <fieldset style="border:1px solid #f5a3a0;border-radius:.3rem;grid-column:1/-1">
          <label style="flex-direction:row;gap:.4rem;align-items:center">
            <input
              type="checkbox"
              name="ignoreQuietWindows"
              value="on"
              checked={typed(refused, 'ignoreQuietWindows') === 'on'}
            />
            <b>{t('ignoreQuietWindows')}</b> ({t('level.emergency')})
          </label>
          <p class="muted" style="margin:.25rem 0 0">
            ⚠ {t('ignoreQuietWarning')}
          </p>
        </fieldset>
      )}
      <RepeatFields page={page} refused={refused} value={{ repeat: null, chime: null }} />
      <p class="muted" style="grid-column:1/-1;margin:0">
        {t('levelHelp')}
      </p>
      <button type="submit">{t('send')}</button>
    </form>
  );
  // reviewers and viewers follow bulletins; admins, technicians and ward staff send them
  const maySend = ['admin', 'technician', 'ward'].includes(me.role);
  return (
    <Layout page={page} title={t('alerts')}>
      <ErrorBox message={error} />
      {maySend ? <SendForm /> : null}
      <DataTable heads={[t('issuedAt'), t('level'), t('title'), t('target'), t('status'), t('stations')]}>
        {alerts.map((a) => (
          <tr>
            <td>{local(a.issuedAt)}</td>
            <td>
              <LevelPill page={page} level={a.level} />
            </td>
            <td>
              <a href={`/console/alerts/${a.id}`}>{a.title}</a>
              <div class="muted">{a.reason}</div>
            </td>
            <td>
              <TargetNames places={places} page={page} targets={a.targets} />
            </td>
            <td>{t(`status.${a.status}` as WordKey)}</td>
            <td>
              <Counts page={page} a={a} />
            </td>
          </tr>
        ))}
      </DataTable>
      {alerts.length === 0 ? <p class="muted">{t('none')}</p> : null}
      <CapFeeds page={page} feeds={feeds} />
    </Layout>
  );
}
