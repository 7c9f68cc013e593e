// No surprises at the station: the banner of what holds the air now (a stop, a pause, an emergency), and
// the stop's confirmation that says what it cuts and holds back before it acts (a dialog, or a page without JS).
import { raw } from 'hono/html';
import { type Override, overrideActive } from '../../../schedules/overrides.ts';
import { utcToZoned } from '../../../schedules/time.ts';
import type { StopEffect } from '../stop.ts';
import { localClock, localFull } from '../timetable.ts';
import type { AlertAtStation, LocalAgent } from '../types.ts';
import { entryName, type View } from './panels.tsx';
import { CSS } from './style.ts';

export interface EmergencyOnAir {
  title: string;
  since: string;
  until: string;
  by: string;
}

export interface BannerFacts {
  /** Local stops and pauses in force now. */
  silences: Override[];
  emergency: EmergencyOnAir | null;
}

/** What holds the air now; `emergency` is the bulletin on air, if it is one. */
export function bannerFacts(agent: LocalAgent, now: number, emergency: { id: string } | null): BannerFacts {
  const silences = agent.overrides
    .list()
    .filter((o) => (o.kind === 'stop' || o.kind === 'pause') && overrideActive(o, now))
    .sort((a, b) => a.startsAt.localeCompare(b.startsAt));
  const held: AlertAtStation | undefined = emergency
    ? agent.alerts().find((a) => a.alert.id === emergency.id)
    : undefined;
  return {
    silences,
    emergency: held
      ? {
          title: held.alert.title,
          since: held.state === 'started' || held.state === 'sounding' ? held.at : held.alert.issuedAt,
          until: held.alert.expiresAt,
          by: held.alert.issuedBy,
        }
      : null,
  };
}

const day = (date: string) => `${date.slice(8, 10)}/${date.slice(5, 7)}/${date.slice(0, 4)}`;

/** "từ 06:50 đến 08:30 03/03/2025": the date once when both ends share it, seconds when the minute too. */
export function span(v: View, from: string, to: string): string {
  const a = utcToZoned(new Date(from), v.tz);
  const b = utcToZoned(new Date(to), v.tz);
  const digits = a.date === b.date && a.time.slice(0, 5) === b.time.slice(0, 5) ? 8 : 5;
  const start = a.date === b.date ? a.time.slice(0, digits) : `${a.time.slice(0, 5)} ${day(a.date)}`;
  return `${v.t('from')} ${start} ${v.t('until')} ${b.time.slice(0, digits)} ${day(b.date)}`;
}

const Csrf = ({ csrf }: { csrf: string }) => <input type="hidden" name="csrf" value={csrf} />;

/** At the top of the page; `csrf` (signed in) adds the button that ends a stop or a pause. */
export function Banner({ v, facts, csrf }: { v: View; facts: BannerFacts; csrf: string | null }) {
  const { silences, emergency } = facts;
  if (silences.length === 0 && !emergency) return null;
  return (
    <section id="banner" role="status">
      {emergency ? (
        <div class="banner alarm" data-kind="emergency">
          <b>
            {v.t('banner.emergency')}: {emergency.title}
          </b>
          <div>{span(v, emergency.since, emergency.until)}</div>
          <div>
            {v.t('sentBy')}: {emergency.by || '-'}
          </div>
          <div>{v.t('cannotStop')}</div>
        </div>
      ) : null}
      {silences.map((o) => (
        <div class="banner" data-kind={o.kind} data-override={o.id}>
          <b>{v.t(o.kind === 'stop' ? 'banner.stop' : 'banner.pause')}</b>
          <div>{span(v, o.startsAt, o.endsAt)}</div>
          <div>
            {v.t('by')}: {o.createdBy} · {v.t('reason')}: {o.reason}
          </div>
          {csrf ? (
            <form
              method="post"
              action={`/overrides/${o.id}/cancel`}
              data-api={`/api/overrides/${o.id}/cancel`}
            >
              <Csrf csrf={csrf} />
              <button type="submit">{v.t('resumeNow')}</button>
              <p class="msg" role="alert" />
            </form>
          ) : null}
        </div>
      ))}
    </section>
  );
}

/** The end of a stop, to the second (it is often within the minute). */
function untilWhen(iso: string, tz: string): string {
  const z = utcToZoned(new Date(iso), tz);
  return `${z.time.slice(0, 8)} ${day(z.date)}`;
}

/** What the stop will do, and the button that does it; in the page's dialog, or on its own page. */
export function StopConfirm(p: {
  v: View;
  effect: StopEffect;
  csrf: string;
  inDialog: boolean;
  error?: string;
}) {
  const { v, effect } = p;
  const { onAir, held, next, until } = effect;
  return (
    <div class="confirm" id="stop-confirm">
      <h2>{v.t('stopQuestion')}</h2>
      {p.error ? (
        <p class="msg error" role="alert">
          {p.error}
        </p>
      ) : null}
      {effect.emergency ? (
        <p class="alarm">
          {v.t('cannotStop')}: {effect.emergency}
        </p>
      ) : !onAir || !until ? (
        <p>{v.t('nothingToStop')}</p>
      ) : (
        <>
          <p>
            {v.t('stopCuts')}: <b class="cut">{entryName(v, onAir)}</b> ({v.t('onAirSince')}{' '}
            {localClock(onAir.startsAt, v.tz)})
          </p>
          {held.length > 0 ? (
            <>
              <p>{v.t('stopHolds')}:</p>
              <ul class="held">
                {held.map((e) => (
                  <li data-entry={e.id}>
                    {localFull(e.startsAt, v.tz)} {entryName(v, e)}
                  </li>
                ))}
              </ul>
            </>
          ) : (
            <p>{v.t('stopHoldsNone')}</p>
          )}
          <p class="until">
            {v.t('stopUntil')} {untilWhen(until, v.tz)}
            {next
              ? `; ${v.t('stopNext')}: ${entryName(v, next)} ${v.t('at')} ${localFull(next.startsAt, v.tz)}`
              : ''}
            .
          </p>
          <form method="post" action="/stop" data-api="/api/stop">
            <Csrf csrf={p.csrf} />
            <input type="hidden" name="entryId" value={onAir.id} />
            <input type="hidden" name="reason" value={v.t('stopReason')} />
            <button type="submit" class="stop">
              {v.t('stopConfirm')}
            </button>
            <p class="msg" role="alert" />
          </form>
        </>
      )}
      {p.inDialog ? (
        <button type="button" class="secondary" data-close>
          {v.t('keepPlaying')}
        </button>
      ) : (
        <a class="button secondary" href="/">
          {v.t('keepPlaying')}
        </a>
      )}
    </div>
  );
}

/** A page of its own (no JS needed): the stop's confirmation, or a refusal with the way back. */
export function renderFormPage(v: View, title: string, body: unknown): string {
  const doc = (
    <html lang={v.lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{title}</title>
        <style>{raw(CSS)}</style>
      </head>
      <body>
        <main>{body}</main>
      </body>
    </html>
  );
  return `<!DOCTYPE html>${String(doc)}`;
}

/** A refusal of a form sent without JS: the reason, and the way back. */
export function Refused({ v, message }: { v: View; message: string }) {
  return (
    <div class="card">
      <h2>{v.t('notDone')}</h2>
      <p class="msg error" role="alert">
        {message}
      </p>
      <a class="button" href="/">
        {v.t('backToPage')}
      </a>
    </div>
  );
}
