// "Phát trực tiếp": pick areas or stations and a level, press "Bắt đầu nói", speak; the browser records the
// microphone (MediaRecorder, WebM/Opus, 100 ms chunks) and pushes it over a WebSocket to /api/live, and the
// page shows which stations are on air and why the others are not. Recent sessions below.
import type { Hono } from 'hono';
import { raw } from 'hono/html';
import { AlertState } from '../../../schedules/alerts.ts';
import { REASON_CODES, reasonText } from '../../../schedules/reason-words.ts';
import { END_REASONS } from '../../live/store.ts';
import type { Page, WithPage } from '../context.ts';
import { Csrf } from '../forms.tsx';
import type { WordKey } from '../i18n.ts';
import { DataTable, Layout } from '../layout.tsx';
import { loadPlaces, TargetNames, TargetPicker, type TargetValue } from '../targets.tsx';
import { LevelPill, local } from './alerts.tsx';

interface SessionItem {
  id: string;
  level: 'normal' | 'priority' | 'emergency';
  title: string;
  targets: TargetValue[];
  speaker: string;
  status: 'waiting-for-audio' | 'on-air' | 'ended';
  openedAt: string;
  firstAudioAt: string | null;
  endedAt: string | null;
  endReason: string | null;
  stationCount: number;
}

/** Where a station stands, `pending` before its bulletin is out; how a session can end. */
const STATES = ['pending', ...AlertState.options];

/** The words the page's script needs, in the person's language: why a station is not on air, how a session ended. */
function scriptWords(page: Page) {
  const { t, lang } = page;
  const why: Record<string, string> = Object.fromEntries(REASON_CODES.map((c) => [c, reasonText(lang, c)]));
  for (const s of STATES) why[s] = t(`alertState.${s}` as WordKey);
  why.offline = t('liveWhy.offline');
  why.waiting = t('liveWhy.waiting');
  const ends = Object.fromEntries(END_REASONS.map((r) => [r, t(`liveEnd.${r}` as WordKey)]));
  return {
    why,
    ends,
    onAir: t('liveOnAir'),
    notOnAir: t('liveNotOnAir'),
    start: t('liveStart'),
    end: t('liveEnd'),
    opening: t('liveOpening'),
    speaking: t('liveSpeaking'),
    micRefused: t('liveMicRefused'),
    noRecorder: t('liveNoRecorder'),
    locale: lang === 'vi' ? 'vi-VN' : 'en-GB',
  };
}

/** The page's script: microphone, socket, meter, the stations' list; every call through the API. */
const LIVE_SCRIPT = `
(function () {
  var form = document.getElementById('live'), W = JSON.parse(form.dataset.words);
  var button = document.getElementById('live-button'), note = document.getElementById('live-note');
  var bar = document.getElementById('live-meter'), list = document.getElementById('live-stations');
  var s = null; // the running session: {id, stream, recorder, ws, poll, ctx}
  var clock = new Intl.DateTimeFormat(W.locale, { timeZone: 'Asia/Ho_Chi_Minh', hour: '2-digit', minute: '2-digit', second: '2-digit' });
  function target(v) {
    var i = v.indexOf(':'), kind = v.slice(0, i), rest = v.slice(i + 1);
    if (kind === 'zone') { var j = rest.indexOf('/'); return { scope: 'zone', station: rest.slice(0, j), zone: rest.slice(j + 1) }; }
    return { scope: kind, id: rest };
  }
  function api(method, url, body) {
    return fetch(url, { method: method, credentials: 'same-origin', body: body && JSON.stringify(body),
      headers: { 'content-type': 'application/json', 'x-csrf-token': form._csrf.value } })
      .then(function (res) { return res.json().then(function (b) { return { status: res.status, body: b }; }); });
  }
  function show(d) {
    list.textContent = '';
    d.stations.forEach(function (st) {
      var li = document.createElement('li'), pill = document.createElement('span');
      pill.className = 'pill ' + (st.onAir ? 'ok' : 'warn');
      pill.textContent = st.onAir ? W.onAir : W.notOnAir;
      li.appendChild(pill);
      li.appendChild(document.createTextNode(' ' + st.name + (st.areaName ? ' (' + st.areaName + ')' : '') +
        (st.whyNot ? ': ' + (W.why[st.whyNot] || st.whyNot) : '') + (st.soundingAt ? ' · ' + clock.format(new Date(st.soundingAt)) : '')));
      li.dataset.station = st.stationId;
      li.dataset.onAir = st.onAir;
      list.appendChild(li);
    });
    if (d.status === 'ended') done(W.ends[d.endReason] || d.endReason);
  }
  function poll() { if (s) api('GET', '/api/live/' + s.id).then(function (r) { if (r.status === 200) show(r.body); }); }
  function meter() {
    if (!s || !s.analyser) return;
    var data = new Uint8Array(s.analyser.fftSize); s.analyser.getByteTimeDomainData(data);
    var peak = 0; for (var i = 0; i < data.length; i++) peak = Math.max(peak, Math.abs(data[i] - 128));
    bar.value = Math.min(1, peak / 100); requestAnimationFrame(meter);
  }
  function done(why) {
    if (!s) return;
    var was = s; s = null;
    clearInterval(was.poll);
    if (was.recorder && was.recorder.state !== 'inactive') was.recorder.stop();
    was.stream.getTracks().forEach(function (t) { t.stop(); });
    if (was.ctx) was.ctx.close();
    button.textContent = W.start; button.classList.remove('bad'); bar.value = 0;
    note.textContent = why || '';
    form.dataset.state = 'idle';
  }
  function start() {
    if (!form.reportValidity()) return;
    if (!window.MediaRecorder || !MediaRecorder.isTypeSupported('audio/webm;codecs=opus')) { note.textContent = W.noRecorder; return; }
    note.textContent = W.opening; form.dataset.state = 'opening';
    var constraints = { audio: { echoCancellation: true, noiseSuppression: true, autoGainControl: true } };
    navigator.mediaDevices.getUserMedia(constraints).then(function (stream) {
      var body = { level: form.level.value, title: form.title.value,
        targets: Array.prototype.map.call(form.targets.selectedOptions, function (o) { return target(o.value); }),
        ignoreQuietWindows: !!(form.ignoreQuietWindows && form.ignoreQuietWindows.checked) };
      return api('POST', '/api/live', body).then(function (r) {
        if (r.status !== 201) { stream.getTracks().forEach(function (t) { t.stop(); }); throw new Error(r.body.message || r.status); }
        s = { id: r.body.id, stream: stream };
        form.dataset.session = r.body.id;
        var ws = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + r.body.pushPath + '?token=' + encodeURIComponent(r.body.token));
        s.ws = ws;
        ws.onopen = function () {
          var rec = new MediaRecorder(stream, { mimeType: 'audio/webm;codecs=opus', audioBitsPerSecond: 32000 });
          rec.ondataavailable = function (e) { if (e.data.size && ws.readyState === 1) ws.send(e.data); };
          rec.start(100);
          s.recorder = rec;
          try { s.ctx = new AudioContext(); s.analyser = s.ctx.createAnalyser(); s.ctx.createMediaStreamSource(stream).connect(s.analyser); meter(); } catch (e) {}
          button.textContent = W.end; button.classList.add('bad');
          note.textContent = W.speaking + ' ' + clock.format(new Date()); form.dataset.state = 'speaking';
          s.poll = setInterval(poll, 1000); poll();
        };
        ws.onclose = function (e) { if (s && s.ws === ws) { poll(); done(W.ends[e.reason] || e.reason); } };
      });
    }).catch(function (e) { note.textContent = e.name === 'NotAllowedError' ? W.micRefused : e.message; form.dataset.state = 'idle'; });
  }
  function stop() {
    if (!s) return;
    var id = s.id, rec = s.recorder;
    // the last chunk leaves before the end is asked for
    if (rec && rec.state !== 'inactive') { rec.onstop = function () { api('POST', '/api/live/' + id + '/end', {}); }; rec.stop(); }
    else api('POST', '/api/live/' + id + '/end', {});
  }
  button.addEventListener('click', function () { if (s) stop(); else start(); });
})();`;

export async function livePage(page: Page, preset?: string) {
  const { t, api, me } = page;
  const [places, sessions] = await Promise.all([
    loadPlaces(page),
    api('GET', '/api/live?limit=20').then((r) => (r.status === 200 ? (r.body as SessionItem[]) : [])),
  ]);
  const levels = me.role === 'ward' ? (['normal'] as const) : (['emergency', 'priority', 'normal'] as const);
  const maySpeak = ['admin', 'technician', 'ward'].includes(me.role);
  return (
    <Layout page={page} title={t('liveSpeech')}>
      {maySpeak ? (
        <form
          id="live"
          class="card"
          data-words={JSON.stringify(scriptWords(page))}
          data-state="idle"
          onsubmit="return false"
        >
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
            <input name="title" required maxlength={200} value={t('liveTitleDefault')} />
          </label>
          <TargetPicker page={page} places={places} name="targets" multiple selected={preset} />
          {me.role === 'ward' ? null : (
            <label style="flex-direction:row;gap:.4rem;align-items:center">
              <input type="checkbox" name="ignoreQuietWindows" value="on" />
              {t('ignoreQuietWindows')} ({t('level.emergency')})
            </label>
          )}
          <div style="grid-column:1/-1;display:flex;gap:1rem;align-items:center;flex-wrap:wrap">
            <button id="live-button" type="button" style="font-size:1.4rem;padding:.8rem 2rem">
              {t('liveStart')}
            </button>
            <label>
              {t('liveMicLevel')}
              <meter id="live-meter" min={0} max={1} value={0} style="width:14rem;height:1.4rem" />
            </label>
          </div>
          <p id="live-note" class="muted" aria-live="polite" style="grid-column:1/-1;margin:0" />
          <p class="muted" style="grid-column:1/-1;margin:0">
            {t('liveWaitHint')}
          </p>
          <ul id="live-stations" style="grid-column:1/-1;margin:0" aria-live="polite" />
          <script>{raw(LIVE_SCRIPT)}</script>
        </form>
      ) : null}
      <h2>{t('liveRecent')}</h2>
      <DataTable
        heads={[t('liveOpenedAt'), t('level'), t('title'), t('target'), t('liveSpeaker'), t('liveHow')]}
      >
        {sessions.map((s) => (
          <tr>
            <td>{local(s.openedAt)}</td>
            <td>
              <LevelPill page={page} level={s.level} />
            </td>
            <td>{s.firstAudioAt ? <a href={`/console/alerts/${s.id}`}>{s.title}</a> : s.title}</td>
            <td>
              <TargetNames places={places} page={page} targets={s.targets} />
            </td>
            <td>{s.speaker}</td>
            <td>
              {s.status === 'ended'
                ? `${t(`liveEnd.${s.endReason}` as WordKey)} (${local(s.endedAt)})`
                : t(`liveStatus.${s.status}` as WordKey)}
            </td>
          </tr>
        ))}
      </DataTable>
      {sessions.length === 0 ? <p class="muted">{t('none')}</p> : null}
    </Layout>
  );
}

/** GET /console/live, `?target=station:<id>` (or area:<id>) chosen in advance (from a station's page). */
export function livePages(app: Hono, withPage: WithPage): void {
  app.get(
    '/console/live',
    withPage((page, c) => livePage(page, c.req.query('target'))),
  );
}
