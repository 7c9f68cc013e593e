// The station page's lists: today's and tomorrow's entries, overrides in force, bulletins from above.
import type { Override } from '../../../schedules/overrides.ts';
import { type EntryView, localClock, localStamp } from '../timetable.ts';
import type { AlertAtStation } from '../types.ts';
import type { Lang, WordKey } from './i18n.ts';

export interface View {
  t: (key: WordKey) => string;
  lang: Lang;
  tz: string;
  /** Clip id -> title (local clips have one), for what an entry plays. */
  clipTitles: Map<string, string>;
  /** Alert id -> title. */
  alertTitles: Map<string, string>;
}

/** The host a relay comes from, as ward staff know it (vov1.vov.vn). */
const hostOf = (url: string) => (URL.canParse(url) ? new URL(url).host : url);

export function entryName(v: View, e: EntryView): string {
  if (e.live) return `${v.t('kind.live')}: ${e.live.speaker}`;
  if (e.source?.kind === 'alert') return v.alertTitles.get(e.source.alertId) ?? e.slotId;
  if (e.relay) return `${v.t('kind.relay')} ${hostOf(e.relay.url)}`;
  const titles = e.clipIds.flatMap((id) => v.clipTitles.get(id) ?? []);
  if (e.source?.kind === 'announcement')
    return `${v.t('kind.announce')}: ${titles.length ? titles.join(', ') : e.clipIds.join(', ')}`;
  return titles.length ? titles.join(', ') : e.slotId;
}

export function Entries({ v, entries, playing }: { v: View; entries: EntryView[]; playing: string | null }) {
  if (entries.length === 0) return <p class="muted">{v.t('noEntries')}</p>;
  return (
    <ul class="entries">
      {entries.map((e) => (
        <li class={`${e.status}${e.id === playing ? ' onair' : ''}`} data-entry={e.id}>
          <time datetime={e.startsAt}>{localClock(e.startsAt, v.tz)}</time>
          <span>
            <span class="what">{entryName(v, e)}</span>
            {e.source?.kind === 'alert' ? (
              <span class={`pill ${e.source.level === 'normal' ? 'ok' : 'bad'}`}>
                {' '}
                {v.t(`level.${e.source.level}`)}
              </span>
            ) : null}
            {e.id === playing ? <span class="pill ok"> {v.t('playingNow')}</span> : null}
            {e.reasonText ? (
              <span class="why" data-reason={e.reason ?? ''}>
                {v.t('skipped')}: {e.reasonText[v.lang]}
              </span>
            ) : null}
          </span>
        </li>
      ))}
    </ul>
  );
}

export function Timetable({
  v,
  dates,
  entries,
  playing,
}: {
  v: View;
  dates: string[];
  entries: EntryView[];
  playing: string | null;
}) {
  return (
    <section id="timetable">
      <h2>{v.t('timetable')}</h2>
      {dates.map((date, i) => (
        <div class="card">
          <h3>
            {i === 0 ? v.t('today') : v.t('tomorrow')} ({date.slice(8, 10)}/{date.slice(5, 7)})
          </h3>
          <Entries v={v} entries={entries.filter((e) => e.localDate === date)} playing={playing} />
        </div>
      ))}
    </section>
  );
}

function overrideWhat(v: View, o: Override): string {
  if (o.kind === 'volume' && o.volume !== null) return `${Math.round(o.volume * 100)}%`;
  if (o.kind === 'announce' && o.clip) return v.clipTitles.get(o.clip.id) ?? o.clip.id;
  if (o.kind === 'skip' && o.entryId) return o.entryId;
  return '';
}

export function Overrides({ v, overrides, canAct }: { v: View; overrides: Override[]; canAct: boolean }) {
  return (
    <section id="overrides">
      <h2>{v.t('overrides')}</h2>
      {overrides.length === 0 ? <p class="muted">{v.t('noOverrides')}</p> : null}
      {overrides.map((o) => (
        <div class="card" data-override={o.id} data-kind={o.kind}>
          <div class="row">
            <b>
              {v.t(`kind.${o.kind}`)} {overrideWhat(v, o)}
            </b>
            {canAct ? (
              <form data-api={`/api/overrides/${o.id}/cancel`}>
                <button type="submit" class="small">
                  {v.t('cancel')}
                </button>
                <p class="msg" role="alert" />
              </form>
            ) : null}
          </div>
          <div>
            {v.t('from')} {localStamp(o.startsAt, v.tz)} {v.t('until')} {localStamp(o.endsAt, v.tz)}
          </div>
          <div class="muted">
            {v.t('by')}: {o.createdBy} · {v.t('reason')}: {o.reason}
          </div>
        </div>
      ))}
    </section>
  );
}

const OPEN_STATES = new Set(['received', 'held']);

export function Bulletins({ v, alerts, canAct }: { v: View; alerts: AlertAtStation[]; canAct: boolean }) {
  return (
    <section id="bulletins">
      <h2>{v.t('bulletins')}</h2>
      {alerts.length === 0 ? <p class="muted">{v.t('noBulletins')}</p> : null}
      {alerts.map(({ alert, state, reason }) => (
        <div class="card" data-alert={alert.id}>
          <div class="row">
            <b>{alert.title}</b>
            <span class={`pill ${alert.level === 'normal' ? 'ok' : 'bad'}`}>
              {v.t(`level.${alert.level}`)}
            </span>
          </div>
          <div>
            {v.t(`state.${state}`)}
            {reason ? ` (${reason})` : ''} · {v.t('until')} {localStamp(alert.expiresAt, v.tz)}
          </div>
          <div class="muted">{alert.reason}</div>
          {canAct && alert.level === 'normal' && OPEN_STATES.has(state) ? (
            <form data-api={`/api/alerts/${alert.id}/decline`}>
              <label>
                {v.t('reason')}
                <input name="reason" required maxlength={500} />
              </label>
              <button type="submit">{v.t('decline')}</button>
              <p class="msg" role="alert" />
            </form>
          ) : null}
        </div>
      ))}
    </section>
  );
}
