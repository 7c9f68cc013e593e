// Station pages: every station with its status and filters, and one station's week at a glance.

import { holidayName, holidaysOn } from '../../../schedules/calendar/holidays.ts';
import type { QuietWindow, TimetableEntry } from '../../../schedules/model.ts';
import { reasonText } from '../../../schedules/reason-words.ts';
import { skipReasonCode } from '../../../schedules/reasons.ts';
import { addDays, isoWeekday, utcToZoned, zonedToUtc } from '../../../schedules/time.ts';
import { quietOnDate } from '../../../schedules/timetable/expand.ts';
import type { Page } from '../context.ts';
import { WEEKDAY_NAMES, type WordKey } from '../i18n.ts';
import { DataTable, ErrorBox, Layout } from '../layout.tsx';
import { OverridesSection } from './overrides.tsx';

interface Station {
  id: string;
  name: string;
  district: string;
  ward: string;
  timezone: string;
  desiredVersion: number;
  online: boolean;
  presenceAt: string | null;
  health: {
    desiredVersion: number;
    relayOn: boolean;
    playing: string | null;
    clockTrusted: boolean;
    clockOffsetMs?: number | null;
  } | null;
}
interface Play {
  stationId: string;
  scheduledAt: string;
  outcome: string;
  reason: string | null;
}

const FILTERS = ['all', 'offline', 'out-of-sync', 'missed'] as const;
type Filter = (typeof FILTERS)[number];

const localTime = (iso: string, tz: string) => utcToZoned(new Date(iso), tz).time.slice(0, 5);
const localStamp = (iso: string, tz: string) => {
  const z = utcToZoned(new Date(iso), tz);
  return `${z.date} ${z.time.slice(0, 5)}`;
};

/** Over this, a station's clock is flagged: neighbouring stations would start bulletins audibly apart. */
export const CLOCK_OFFSET_FLAG_MS = 50;

/** A trusted clock's offset from true time as the station measures it; flagged when over 50 ms either way. */
const ClockOffset = ({ page, ms }: { page: Page; ms: number | null }) =>
  ms === null ? (
    <>{page.t('trusted')}</>
  ) : Math.abs(ms) > CLOCK_OFFSET_FLAG_MS ? (
    <span class="pill warn" data-clock-offset={Math.round(ms)}>
      {page.t('clockOff')} {ms > 0 ? '+' : ''}
      {Math.round(ms)} ms
    </span>
  ) : (
    <span data-clock-offset={Math.round(ms)}>
      {page.t('trusted')} ({ms > 0 ? '+' : ''}
      {Math.round(ms)} ms)
    </span>
  );

export async function stationsPage(page: Page, filter: Filter) {
  const { t, api, lang } = page;
  const stations = (await api('GET', '/api/stations')).body as Station[];
  const since = new Date(Date.now() - 7 * 86_400_000).toISOString();
  const plays = (await api('GET', `/api/plays?from=${encodeURIComponent(since)}&limit=5000`)).body as Play[];
  const last = new Map<string, Play>();
  for (const p of plays) if (!last.has(p.stationId)) last.set(p.stationId, p);
  const today = (s: Station) => utcToZoned(new Date(), s.timezone).date;
  const byId = new Map(stations.map((s) => [s.id, s]));
  const missedToday = new Set(
    plays
      .filter((p) => p.outcome === 'missed')
      .flatMap((p) => {
        const s = byId.get(p.stationId);
        return s && utcToZoned(new Date(p.scheduledAt), s.timezone).date === today(s) ? [p.stationId] : [];
      }),
  );
  const behind = (s: Station) => (s.health ? s.desiredVersion - s.health.desiredVersion : s.desiredVersion);
  const matches = (s: Station, f: Filter) =>
    f === 'all' ||
    (f === 'offline' && !s.online) ||
    (f === 'out-of-sync' && behind(s) > 0) ||
    (f === 'missed' && missedToday.has(s.id));
  const shown = stations.filter((s) => matches(s, filter));
  const label: Record<Filter, string> = {
    all: t('all'),
    offline: t('filterOffline'),
    'out-of-sync': t('filterOutOfSync'),
    missed: t('filterMissed'),
  };
  return (
    <Layout page={page} title={t('stations')}>
      <p class="filters">
        {FILTERS.map((f) => (
          <a href={`/console?filter=${f}`} class={f === filter ? 'on' : ''}>
            {label[f]} ({stations.filter((s) => matches(s, f)).length})
          </a>
        ))}
      </p>
      <DataTable
        heads={[
          t('station'),
          <>
            {t('district')} / {t('ward')}
          </>,
          t('status'),
          t('inSync'),
          t('relay'),
          t('playingNow'),
          t('clock'),
          t('lastAsRun'),
        ]}
      >
        {shown.map((s) => {
          const lp = last.get(s.id);
          return (
            <tr>
              <td>
                <a href={`/console/stations/${s.id}`}>{s.name}</a>
                <div class="muted">{s.id}</div>
              </td>
              <td>
                {s.district} / {s.ward}
              </td>
              <td>
                {s.online ? (
                  <span class="pill ok">{t('online')}</span>
                ) : (
                  <span class="pill bad">
                    {s.presenceAt
                      ? `${t('offlineSince')} ${localStamp(s.presenceAt, s.timezone)}`
                      : t('neverSeen')}
                  </span>
                )}
              </td>
              <td>
                {behind(s) > 0 ? (
                  <span class="pill warn">
                    {t('behind')}: {behind(s)}
                  </span>
                ) : (
                  <span class="pill ok">v{s.desiredVersion}</span>
                )}
              </td>
              <td>{s.health ? (s.health.relayOn ? t('on') : t('off')) : '-'}</td>
              <td>{s.health?.playing ?? '-'}</td>
              <td>
                {s.health ? (
                  s.health.clockTrusted ? (
                    <ClockOffset page={page} ms={s.health.clockOffsetMs ?? null} />
                  ) : (
                    <span class="pill bad">{t('untrusted')}</span>
                  )
                ) : (
                  '-'
                )}
              </td>
              <td>
                {lp ? (
                  <>
                    {localStamp(lp.scheduledAt, s.timezone)} {lp.outcome}
                    {lp.reason ? ` (${reasonText(lang, lp.reason)})` : ''}
                  </>
                ) : (
                  '-'
                )}
              </td>
            </tr>
          );
        })}
      </DataTable>
      {shown.length === 0 ? <p class="muted">{t('none')}</p> : null}
    </Layout>
  );
}

/** One station's week, Monday to Sunday in its own time zone, with quiet windows and every skip explained. */
export async function stationPage(page: Page, id: string, weekParam: string | undefined) {
  const { t, api, lang } = page;
  const st = await api('GET', `/api/stations/${encodeURIComponent(id)}`);
  if (st.status !== 200) {
    return (
      <Layout page={page} title={t('station')}>
        <ErrorBox message={st.status === 403 ? t('forbidden') : st.body?.message} />
      </Layout>
    );
  }
  const s = st.body as Station;
  const todayLocal = utcToZoned(new Date(), s.timezone).date;
  const monday = /^\d{4}-\d{2}-\d{2}$/.test(weekParam ?? '')
    ? (weekParam as string)
    : addDays(todayLocal, 1 - isoWeekday(todayLocal));
  const from = zonedToUtc(monday, '00:00', s.timezone).toISOString();
  const to = zonedToUtc(addDays(monday, 7), '00:00', s.timezone).toISOString();
  const entries = (
    await api(
      'GET',
      `/api/stations/${s.id}/timetable?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`,
    )
  ).body as TimetableEntry[];
  const quiet = ((await api('GET', `/api/stations/${s.id}/desired`)).body?.quietWindows ??
    []) as QuietWindow[];
  const clipRes = await api('GET', '/api/clips');
  const titles = new Map<string, string>(
    clipRes.status === 200
      ? (clipRes.body as { id: string; title: string }[]).map((k) => [k.id, k.title])
      : [],
  );
  const air = (
    await api(
      'GET',
      `/api/stations/${s.id}/airtime?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`,
    )
  ).body as { breaches?: { code: string; localDate: string; message: string }[] };
  const breaches = air.breaches ?? [];
  const days = Array.from({ length: 7 }, (_, i) => addDays(monday, i));
  const why = (e: TimetableEntry) =>
    e.status === 'skipped' ? reasonText(lang, skipReasonCode(e.skip)) : null;
  /** Bulletins and local announcements say what they are; slot entries need no label. */
  const source = (e: TimetableEntry) =>
    e.source?.kind === 'alert'
      ? `[${t(`level.${e.source.level}` as WordKey)}] `
      : e.source?.kind === 'announcement'
        ? `[${t('override.announce')}] `
        : '';
  return (
    <Layout page={page} title={`${s.name} - ${t('timetable')}`}>
      <p>
        <a href={`?week=${addDays(monday, -7)}`}>« {t('previous')}</a> · {t('week')} {monday} ·{' '}
        <a href={`?week=${addDays(monday, 7)}`}>{t('next')} »</a>
      </p>
      {breaches.length ? (
        <div class="card" role="note">
          <b>{t('airTime')}</b>
          <ul>
            {breaches.map((b) => (
              <li>
                <span class="pill warn">{t(`breach.${b.code}` as WordKey)}</span> {b.localDate}: {b.message}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <div class="week">
        {days.map((d, i) => {
          // as the compiler decides it: excepted dates, holidays and lunar dates included
          const dayQuiet = quiet.filter((q) => quietOnDate(q, d));
          return (
            <div class={`day${dayQuiet.length ? ' quiet' : ''}`}>
              <h3>
                {WEEKDAY_NAMES[lang][i]} {d.slice(5)}
              </h3>
              {holidaysOn(d).map((h) => (
                <div class="pill ok">{holidayName(lang, h)}</div>
              ))}
              {dayQuiet.map((q) => (
                <div class="muted" style="font-size:.78rem">
                  ▨ {q.startTime}-{q.endTime} {reasonText(lang, q.reason)}
                </div>
              ))}
              {entries
                .filter((e) => e.localDate === d)
                .map((e) => (
                  <div class={`entry ${e.status}`} title={e.id}>
                    {localTime(e.startsAt, s.timezone)} {source(e)}
                    {e.clipIds.map((k) => titles.get(k) ?? k).join(', ')}
                    {e.status === 'skipped' ? (
                      <span class="why">
                        {t('skipped')}: {why(e)}
                      </span>
                    ) : null}
                  </div>
                ))}
            </div>
          );
        })}
      </div>
      <OverridesSection page={page} station={s} />
    </Layout>
  );
}

export function parseFilter(v: string | undefined): Filter {
  return (FILTERS as readonly string[]).includes(v ?? '') ? (v as Filter) : 'all';
}
