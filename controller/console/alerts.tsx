// "Phát bản tin": send a bulletin (normal, priority, emergency) to areas, list them, and follow one
// station by station as the states come in; and the cancel of a local override from a station's page.
import type { Hono } from 'hono';
import { raw } from 'hono/html';
import { DEFAULT_TIMEZONE } from '../../schedules/model.ts';
import { utcToZoned, zonedToUtc } from '../../schedules/time.ts';
import type { Page, WithForm, WithPage } from './context.ts';
import { Csrf, describeTarget, parseTarget, TargetSelect } from './forms.tsx';
import type { WordKey } from './i18n.ts';
import { DataTable, ErrorBox, Layout } from './layout.tsx';

interface AlertItem {
  id: string;
  level: 'normal' | 'priority' | 'emergency';
  title: string;
  reason: string;
  clipId: string;
  targets: { scope: string; id?: string }[];
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
interface AlertDetail extends AlertItem {
  states: string[];
  stations: {
    stationId: string;
    name: string;
    district: string;
    ward: string;
    state: string;
    at: string | null;
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
  finished: 'ok',
  failed: 'bad',
  skipped: 'bad',
  declined: 'bad',
  expired: 'bad',
};

/** The city's local time, e.g. '2026-11-26 10:05:03'. */
const local = (iso: string | null) => {
  if (!iso) return '-';
  const z = utcToZoned(new Date(iso), DEFAULT_TIMEZONE);
  return `${z.date} ${z.time}`;
};

const LevelPill = ({ page, level }: { page: Page; level: AlertItem['level'] }) => (
  <span class={`pill ${LEVEL_PILL[level]}`}>{page.t(`level.${level}` as WordKey)}</span>
);
const StatePill = ({ page, state }: { page: Page; state: string }) => (
  <span class={`pill ${STATE_PILL[state] ?? ''}`}>{page.t(`alertState.${state}` as WordKey)}</span>
);

/** The counts worth a glance: how many stations are in each state, leaving out empty states. */
const Counts = ({ page, a }: { page: Page; a: AlertItem }) => (
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
  const [alerts, stations, approved, drafts] = await Promise.all([
    api('GET', '/api/alerts').then((r) => (r.status === 200 ? (r.body as AlertItem[]) : [])),
    api('GET', '/api/stations').then(
      (r) => r.body as { id: string; name: string; district: string; ward: string }[],
    ),
    api('GET', '/api/clips?status=approved').then((r) => r.body as { id: string; title: string }[]),
    api('GET', '/api/clips?status=draft').then((r) => r.body as { id: string; title: string }[]),
  ]);
  const levels = me.role === 'ward' ? (['normal'] as const) : LEVELS;
  return (
    <Layout page={page} title={t('alerts')}>
      <ErrorBox message={error} />
      <form method="post" action="/console/alerts" class="card">
        <Csrf page={page} />
        <label>
          {t('level')}
          <select name="level">
            {levels.map((l) => (
              <option value={l}>{t(`level.${l}` as WordKey)}</option>
            ))}
          </select>
        </label>
        <label>
          {t('title')}
          <input name="title" required maxlength={200} />
        </label>
        <label>
          {t('reason')}
          <input name="reason" required maxlength={500} />
        </label>
        <label>
          {t('clip')}
          <select name="clipId" required>
            {approved.map((k) => (
              <option value={k.id}>{k.title}</option>
            ))}
            {drafts.map((k) => (
              <option value={k.id}>
                {k.title} ({t('draftEmergencyOnly')})
              </option>
            ))}
          </select>
        </label>
        <TargetSelect page={page} stations={stations} multiple />
        <label>
          {t('expiresAt')}
          <input type="datetime-local" name="expiresAt" />
        </label>
        {me.role === 'ward' ? null : (
          <fieldset style="border:1px solid #f5a3a0;border-radius:.3rem;grid-column:1/-1">
            <label style="flex-direction:row;gap:.4rem;align-items:center">
              <input type="checkbox" name="ignoreQuietWindows" value="on" />
              <b>{t('ignoreQuietWindows')}</b> ({t('level.emergency')})
            </label>
            <p class="muted" style="margin:.25rem 0 0">
              ⚠ {t('ignoreQuietWarning')}
            </p>
          </fieldset>
        )}
        <p class="muted" style="grid-column:1/-1;margin:0">
          {t('levelHelp')}
        </p>
        <button type="submit">{t('send')}</button>
      </form>
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
            <td>{a.targets.map((x) => describeTarget(page, x)).join(', ')}</td>
            <td>{t(`status.${a.status}` as WordKey)}</td>
            <td>
              <Counts page={page} a={a} />
            </td>
          </tr>
        ))}
      </DataTable>
      {alerts.length === 0 ? <p class="muted">{t('none')}</p> : null}
    </Layout>
  );
}

export async function alertPage(page: Page, id: string, error?: string) {
  const { t, api } = page;
  const r = await api('GET', `/api/alerts/${encodeURIComponent(id)}`);
  if (r.status !== 200) {
    return (
      <Layout page={page} title={t('alerts')}>
        <ErrorBox message={r.status === 403 ? t('forbidden') : r.body?.message} />
      </Layout>
    );
  }
  const a = r.body as AlertDetail;
  return (
    <Layout page={page} title={a.title}>
      <ErrorBox message={error} />
      <div class="card">
        <p>
          <LevelPill page={page} level={a.level} /> {t(`status.${a.status}` as WordKey)} · {a.reason}
        </p>
        <p class="muted">
          {t('issuedBy')}: {a.issuedBy} · {t('issuedAt')}: {local(a.issuedAt)} · {t('expires')}:{' '}
          {local(a.expiresAt)} · {t('target')}: {a.targets.map((x) => describeTarget(page, x)).join(', ')} ·{' '}
          {t('clip')}: {a.clipId}
        </p>
        <p>
          {t('ignoreQuietWindows')} ({t('recordedChoice')}):{' '}
          <b>{a.ignoreQuietWindows ? t('yes') : t('no')}</b>
        </p>
        {a.cancelledAt ? (
          <p class="error">
            {t('status.cancelled')}: {local(a.cancelledAt)} ({a.cancelledBy}) {a.cancelReason ?? ''}
          </p>
        ) : null}
        <p>
          <Counts page={page} a={a} />
        </p>
        {a.status === 'active' ? (
          <form method="post" action={`/console/alerts/${a.id}/cancel`} style="display:flex;gap:.4rem">
            <Csrf page={page} />
            <input name="reason" placeholder={t('reason')} maxlength={500} />
            <button type="submit" style="background:#7f1d1d;border-color:#7f1d1d">
              {t('withdraw')}
            </button>
          </form>
        ) : null}
      </div>
      {a.status === 'active' ? (
        <>
          <p class="muted">{t('refreshing')}</p>
          <script>{raw('setTimeout(function () { location.reload(); }, 5000);')}</script>
        </>
      ) : null}
      <DataTable
        heads={[
          t('station'),
          <>
            {t('district')} / {t('ward')}
          </>,
          t('online'),
          t('status'),
          t('when'),
          t('reason'),
        ]}
      >
        {a.stations.map((s) => (
          <tr data-station={s.stationId} data-state={s.state}>
            <td>
              <a href={`/console/stations/${s.stationId}`}>{s.name}</a>
            </td>
            <td>
              {s.district} / {s.ward}
            </td>
            <td>{s.online ? <span class="pill ok">{t('online')}</span> : <span class="pill bad">-</span>}</td>
            <td>
              <StatePill page={page} state={s.state} />
            </td>
            <td>{local(s.at)}</td>
            <td>
              {s.reason ?? ''}
              {s.detail ? <div class="muted">{s.detail}</div> : null}
            </td>
          </tr>
        ))}
      </DataTable>
    </Layout>
  );
}

/** A `datetime-local` value, read as the city's local time. */
const expiryOf = (v: unknown): string | undefined => {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(String(v ?? ''));
  return m ? zonedToUtc(m[1] as string, m[2] as string, DEFAULT_TIMEZONE).toISOString() : undefined;
};

export function alertPages(app: Hono, withPage: WithPage, withForm: WithForm): void {
  const param = (c: { req: { param(k: string): string | undefined } }) =>
    encodeURIComponent(c.req.param('id') as string);
  app.get(
    '/console/alerts',
    withPage((page) => alertsPage(page)),
  );
  app.post(
    '/console/alerts',
    withForm(
      (page, f) =>
        page.api('POST', '/api/alerts', {
          level: f.level,
          title: f.title,
          reason: f.reason,
          clipId: f.clipId,
          targets: [f.targets ?? []].flat().map(parseTarget),
          expiresAt: expiryOf(f.expiresAt),
          ignoreQuietWindows: f.ignoreQuietWindows === 'on',
        }),
      // straight to the new bulletin's page, to watch it arrive at the stations
      (_c, _f, answer) => `/console/alerts/${encodeURIComponent(String(answer.body.id))}`,
      (page, error) => alertsPage(page, error),
    ),
  );
  app.get(
    '/console/alerts/:id',
    withPage((page, c) => alertPage(page, c.req.param('id') as string)),
  );
  app.post(
    '/console/alerts/:id/cancel',
    withForm(
      (page, f, c) =>
        page.api('POST', `/api/alerts/${param(c)}/cancel`, f.reason ? { reason: String(f.reason) } : {}),
      (c) => `/console/alerts/${param(c)}`,
      (page, error, c) => alertPage(page, c.req.param('id') as string, error),
    ),
  );
  app.post(
    '/console/overrides/:id/cancel',
    withForm(
      (page, f, c) =>
        page.api('POST', `/api/overrides/${param(c)}/cancel`, f.reason ? { reason: String(f.reason) } : {}),
      (_c, f) => (String(f.back).startsWith('/console/') ? String(f.back) : '/console'),
      async (page, error) => alertsPage(page, error),
    ),
  );
}
