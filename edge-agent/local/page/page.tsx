// The station's page for ward staff, server-rendered: status, sign-in, and once signed in the timetable,
// overrides, bulletins and every control. Vietnamese first; `?lang=en` for English.
import { raw } from 'hono/html';
import type { Session } from '../auth.ts';
import { emergencyOnAir } from '../stop.ts';
import { dayRange, entryView } from '../timetable.ts';
import type { LocalDeps } from '../types.ts';
import { Banner, bannerFacts } from './banner.tsx';
import { Controls, StopButton } from './controls.tsx';
import { type Lang, translator } from './i18n.ts';
import { Bulletins, Entries, entryName, Overrides, Timetable, type View } from './panels.tsx';
import { SCRIPT } from './script.ts';
import { CSS } from './style.ts';

export interface PageRequest {
  lang: Lang;
  /** A valid PIN hash is configured. */
  canSignIn: boolean;
  session: Session | null;
  https: boolean;
  /** The Host header, for the link to the HTTPS page. */
  host: string;
}

/** The same host on the HTTPS port, or null when HTTPS is off. */
function httpsUrl(host: string, port: number): string | null {
  if (!port) return null;
  const name = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.split(':')[0];
  return name ? `https://${name}:${port}/` : null;
}

const json = (value: unknown) => raw(JSON.stringify(value).replace(/</g, '\\u003c'));

/** The whole document, with its doctype (standards mode). */
export function renderPage(deps: LocalDeps, req: PageRequest): string {
  return `<!DOCTYPE html>${String(pageBody(deps, req))}`;
}

/** The words, zone and names the page's parts are drawn with. */
export function viewFor(deps: LocalDeps, lang: Lang): View {
  const clips = deps.agent.clips();
  return {
    t: translator(lang),
    lang,
    tz: deps.timezone(),
    clipTitles: new Map(clips.flatMap((c) => (c.title ? [[c.id, c.title] as const] : []))),
    alertTitles: new Map(deps.agent.alerts().map((a) => [a.alert.id, a.alert.title])),
  };
}

function pageBody(deps: LocalDeps, req: PageRequest) {
  const { agent, config, clock } = deps;
  const { lang, session } = req;
  const now = clock.now();
  const status = agent.status();
  const clips = agent.clips();
  const alerts = agent.alerts();
  const v = viewFor(deps, lang);
  const { t, tz } = v;
  const emergency = emergencyOnAir(agent);
  const playing = status.playing;
  const secureUrl = httpsUrl(req.host, config.agentHttpsPort);
  const range = dayRange(now, tz, 2);
  const entries = agent.timetable(range.from, range.to).map(entryView);
  const playingEntry = playing ? entries.find((e) => e.id === playing) : undefined;
  const playingTitle = playingEntry ? entryName(v, playingEntry) : playing;
  const nowMs = now.getTime();
  const inForce = session
    ? agent.overrides.list().filter((o) => o.cancelledAt === null && Date.parse(o.endsAt) > nowMs)
    : [];
  const other = lang === 'vi' ? 'en' : 'vi';
  const name = status.stationName ?? status.station;

  return (
    <html lang={lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        {session ? <meta name="csrf" content={session.csrfToken} /> : null}
        <title>
          {t('title')} {name}
        </title>
        <style>{raw(CSS)}</style>
      </head>
      <body>
        <header>
          <b>{name}</b>
          <a href={`/?lang=${other}`} lang={other}>
            {t('language')}
          </a>
          {session ? (
            <span>
              {t('signedInAs')} {session.name}{' '}
              <button type="button" id="logout" class="link">
                {t('signOut')}
              </button>
            </span>
          ) : null}
        </header>
        <main>
          <Banner v={v} facts={bannerFacts(agent, nowMs, emergency)} csrf={session?.csrfToken ?? null} />
          <section class="card" id="status">
            <div class="row">
              <span>{t('playingNow')}</span>
              <b id="playing" data-id={playing ?? ''}>
                {playingTitle ?? t('nothingPlaying')}
              </b>
            </div>
            <div class="row">
              <span>{t('relay')}</span>
              <span>
                <b id="relay">{status.relay.on ? t('on') : t('off')}</b>
                {status.relaySimulated ? <span class="muted"> ({t('simulated')})</span> : null}
              </span>
            </div>
            <div class="row">
              <span>{t('link')}</span>
              <span class={`pill ${status.online ? 'ok' : 'warn'}`}>
                {status.online ? t('online') : t('offline')}
              </span>
            </div>
            <div class="row">
              <span>{t('clock')}</span>
              <span class={`pill ${status.clockTrusted ? 'ok' : 'bad'}`}>
                {status.clockTrusted ? t('trusted') : t('untrusted')}
              </span>
            </div>
          </section>
          {session ? (
            <>
              <StopButton v={v} emergency={emergency ? emergency.title : null} />
              {/* filled when opened, from GET /stop?part=dialog: what the stop would do at that moment */}
              <dialog id="stop-dialog" />
              <Timetable v={v} dates={range.dates} entries={entries} playing={playing} />
              <Overrides v={v} overrides={inForce} canAct />
              <Bulletins v={v} alerts={alerts} canAct />
              <Controls
                v={v}
                now={now}
                upcoming={entries.filter((e) => e.status === 'scheduled' && Date.parse(e.startsAt) > nowMs)}
                clips={clips}
                maxMinutes={config.localClipMinutes}
                secure={req.https}
                httpsUrl={secureUrl}
              />
            </>
          ) : (
            <>
              {req.canSignIn ? (
                <form id="login" class="card">
                  <label>
                    {t('yourName')}
                    <input name="name" autocomplete="name" required maxlength={100} />
                  </label>
                  <label>
                    {t('pin')}
                    <input name="pin" type="password" autocomplete="current-password" required />
                  </label>
                  <button type="submit">{t('signIn')}</button>
                  <p class="msg" role="alert" />
                </form>
              ) : (
                <p class="card warn">
                  {t('readOnly')} <code>npm run agent-pin -- --config FILE</code>
                </p>
              )}
              {!req.https && secureUrl ? (
                <p class="muted">
                  {t('needHttps')} <a href={secureUrl}>{secureUrl}</a>
                </p>
              ) : null}
              <h2>{t('timetable')}</h2>
              <div class="card">
                <Entries v={v} entries={status.next.map(entryView)} playing={playing} />
              </div>
            </>
          )}
        </main>
        <script type="application/json" id="words">
          {json({
            working: t('working'),
            done: t('done'),
            nothing: t('nothingPlaying'),
            on: t('on'),
            off: t('off'),
          })}
        </script>
        <script>{raw(SCRIPT)}</script>
      </body>
    </html>
  );
}
