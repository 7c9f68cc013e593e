// One station's page: its week at a glance (the list of stations: station-list.tsx).

import { holidayName, holidaysOn } from '../../../schedules/calendar/holidays.ts';
import type { QuietWindow, TimetableEntry } from '../../../schedules/model.ts';
import { reasonText } from '../../../schedules/reason-words.ts';
import { skipReasonCode } from '../../../schedules/reasons.ts';
import { addDays, isoWeekday, zonedToUtc } from '../../../schedules/time.ts';
import { quietOnDate } from '../../../schedules/timetable/expand.ts';
import type { Page } from '../context.ts';
import { WEEKDAY_NAMES, type WordKey } from '../i18n.ts';
import { DataTable, ErrorBox, Layout } from '../layout.tsx';
import { dayText, localClock, localizeText, localStamp, localToday } from '../local-time.ts';
import { OverridesSection } from './overrides.tsx';
import { RelaySource } from './planning/relay-form.tsx';
import { outcomeText, type Station } from './station-list.tsx';

/** One station's week, Monday to Sunday in its own time zone, with quiet windows and every skip explained. */
export async function stationPage(page: Page, id: string, weekParam: string | undefined, playsCursor = '') {
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
  const todayLocal = localToday(new Date(), s.timezone);
  // the week of the day asked for (any day of it; the column names count from its Monday), else this week
  const day = /^\d{4}-\d{2}-\d{2}$/.test(weekParam ?? '') ? (weekParam as string) : todayLocal;
  const monday = addDays(day, 1 - isoWeekday(day));
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
        <a href={`?week=${addDays(monday, -7)}`}>« {t('previous')}</a> · {t('week')} {dayText(monday)} -{' '}
        {dayText(addDays(monday, 6))} · <a href={`?week=${addDays(monday, 7)}`}>{t('next')} »</a>
      </p>
      {['admin', 'technician', 'ward'].includes(page.me.role) ? (
        <p>
          <a href={`/console/live?target=${encodeURIComponent(`station:${s.id}`)}`}>🎙 {t('liveSpeak')}</a>
        </p>
      ) : null}
      {breaches.length ? (
        <div class="card" role="note">
          <b>{t('airTime')}</b>
          <ul>
            {breaches.map((b) => (
              <li>
                <span class="pill warn">{t(`breach.${b.code}` as WordKey)}</span> {dayText(b.localDate)}:{' '}
                {localizeText(b.message, s.timezone)}
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
                {WEEKDAY_NAMES[lang][i]} {dayText(d).slice(0, 5)}
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
                    {localClock(e.startsAt, s.timezone)} {source(e)}
                    {e.relay ? <RelaySource page={page} relay={e.relay} /> : null}
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
      <RecentPlays page={page} station={s} week={monday} cursor={playsCursor} />
    </Layout>
  );
}

/** The station's as-run log, newest first, 20 a page (the plays API's cursor in `?plays=`). */
async function RecentPlays({
  page,
  station,
  week,
  cursor,
}: {
  page: Page;
  station: Station;
  week: string;
  cursor: string;
}) {
  const { t, lang } = page;
  const q = new URLSearchParams({ station: station.id, cursor, limit: '20' });
  const res = await page.api('GET', `/api/plays?${q}`);
  const { items, nextCursor } = (res.status === 200 ? res.body : { items: [], nextCursor: null }) as {
    items: {
      id: string;
      scheduledAt: string;
      outcome: string;
      reason: string | null;
      repeat?: { planned: number; played: number } | null;
    }[];
    nextCursor: string | null;
  };
  return (
    <section id="plays">
      <h2>{t('lastAsRun')}</h2>
      <DataTable heads={[t('when'), t('status'), t('reason')]}>
        {items.map((p) => (
          <tr data-play={p.id}>
            <td>{localStamp(p.scheduledAt, station.timezone)}</td>
            <td>
              {outcomeText(page, p.outcome)}
              {p.repeat ? ` (${p.repeat.played}/${p.repeat.planned} ${t('readingsOf')})` : ''}
            </td>
            <td>{p.reason ? reasonText(lang, p.reason) : ''}</td>
          </tr>
        ))}
      </DataTable>
      <p class="pager">
        {cursor ? <a href={`?week=${week}#plays`}>« {t('firstPage')}</a> : null}{' '}
        {nextCursor ? (
          <a rel="next" href={`?week=${week}&plays=${encodeURIComponent(nextCursor)}#plays`}>
            {t('nextPage')} »
          </a>
        ) : null}
      </p>
    </section>
  );
}
