// The station page's forms: stop, skip, pause, local quiet window, announcement, upload, recording, volume.
import { utcToZoned } from '../../../schedules/time.ts';
import type { EntryView } from '../timetable.ts';
import type { StationClip } from '../types.ts';
import { entryName, type View } from './panels.tsx';
import { NowOrAt, SpeakForm } from './speak.tsx';

const Msg = () => <p class="msg" role="alert" />;

function Reason({ v, value }: { v: View; value?: string }) {
  return (
    <label>
      {v.t('reason')}
      <input name="reason" required maxlength={500} value={value ?? ''} />
    </label>
  );
}

/** `YYYY-MM-DDTHH:MM` in the station's zone, for datetime-local fields. */
const localField = (d: Date, tz: string) => {
  const z = utcToZoned(d, tz);
  return `${z.date}T${z.time.slice(0, 5)}`;
};

/** The stop button: opens the confirmation (a dialog with JS, the /stop page without). */
export function StopButton({ v, emergency }: { v: View; emergency: string | null }) {
  return (
    <form id="stop" method="get" action="/stop" class="card">
      {emergency ? (
        <p class="alarm" role="status">
          {v.t('cannotStop')}: {emergency}
        </p>
      ) : null}
      <button type="submit" class="stop" disabled={emergency !== null}>
        {emergency ? v.t('cannotStop') : v.t('stopNow')}
      </button>
    </form>
  );
}

export function Controls(p: {
  v: View;
  now: Date;
  upcoming: EntryView[];
  clips: StationClip[];
  maxMinutes: number;
  secure: boolean;
  httpsUrl: string | null;
}) {
  const { v, now, upcoming, clips } = p;
  const tz = v.tz;
  const today = utcToZoned(now, tz).date;
  const inAnHour = localField(new Date(now.getTime() + 3_600_000), tz);
  return (
    <section id="controls">
      <h2>{v.t('actions')}</h2>
      <details>
        <summary>{v.t('skipNext')}</summary>
        <form id="skip" data-api="/api/overrides">
          <input type="hidden" name="kind" value="skip" />
          {upcoming.length === 0 ? <p class="muted">{v.t('noEntries')}</p> : null}
          <label>
            {v.t('entry')}
            <select name="entryId" required>
              {upcoming.map((e, i) => (
                <option value={e.id} selected={i === 0}>
                  {`${e.localDate.slice(8, 10)}/${e.localDate.slice(5, 7)} ${e.localTime.slice(0, 5)} ${entryName(v, e)}`}
                </option>
              ))}
            </select>
          </label>
          <Reason v={v} />
          <button type="submit">{v.t('skipNext')}</button>
          <Msg />
        </form>
      </details>
      <details>
        <summary>{v.t('pauseUntil')}</summary>
        <form id="pause" data-api="/api/overrides">
          <input type="hidden" name="kind" value="pause" />
          <label>
            {v.t('pauseUntil')}
            <input type="datetime-local" name="endsAt" required value={inAnHour} />
          </label>
          <Reason v={v} />
          <button type="submit">{v.t('pauseUntil')}</button>
          <Msg />
        </form>
      </details>
      <details>
        <summary>{v.t('addQuiet')}</summary>
        <form id="quiet" data-api="/api/overrides">
          <input type="hidden" name="kind" value="quiet" />
          <label>
            {v.t('date')}
            <input type="date" name="date" required value={today} />
          </label>
          <label>
            {v.t('startTime')}
            <input type="time" name="from" required />
          </label>
          <label>
            {v.t('endTime')}
            <input type="time" name="to" required />
          </label>
          <Reason v={v} />
          <button type="submit">{v.t('addQuiet')}</button>
          <Msg />
        </form>
      </details>
      <details>
        <summary>{v.t('announce')}</summary>
        <form id="announce" data-api="/api/overrides">
          <input type="hidden" name="kind" value="announce" />
          {clips.length === 0 ? <p class="muted">{v.t('noClips')}</p> : null}
          <label>
            {v.t('clip')}
            <select name="clipId" required>
              {clips.map((c) => (
                <option value={c.id}>
                  {`${c.title ?? c.id} (${Math.round(c.durationMs / 1000)} s${c.local ? `, ${v.t('localClip')}` : ''})`}
                </option>
              ))}
            </select>
          </label>
          <NowOrAt v={v} at={inAnHour} />
          <Reason v={v} />
          <button type="submit">{v.t('announce')}</button>
          <Msg />
        </form>
      </details>
      <SpeakForm v={v} inAnHour={inAnHour} />
      <details>
        <summary>{v.t('upload')}</summary>
        <form id="upload">
          <label>
            {v.t('file')}
            <input
              type="file"
              name="file"
              accept="audio/*,.mp3,.m4a,.wav,.ogg,.opus,.webm,.amr,.3gp"
              required
            />
          </label>
          <label>
            {v.t('clipTitle')}
            <input name="title" maxlength={200} required />
          </label>
          <progress hidden max={1} value={0} />
          <button type="submit">{v.t('send')}</button>
          <Msg />
        </form>
      </details>
      <details>
        <summary>{v.t('record')}</summary>
        <div id="record" data-max-ms={String(Math.round(p.maxMinutes * 60_000))}>
          {!p.secure ? (
            <p class="warn card">
              {v.t('needHttps')} {p.httpsUrl ? <a href={p.httpsUrl}>{p.httpsUrl}</a> : null}
              <br />
              <span class="muted">{v.t('httpsNote')}</span>
            </p>
          ) : null}
          <label>
            {v.t('clipTitle')}
            <input name="title" maxlength={200} />
          </label>
          <p class="muted">
            {v.t('minutesMax')}: {p.maxMinutes} · <span class="elapsed">0:00</span>
          </p>
          <button type="button" data-rec="start">
            {v.t('startRecording')}
          </button>
          <button type="button" data-rec="stop" disabled>
            {v.t('stopRecording')}
          </button>
          <progress hidden max={1} value={0} />
          <Msg />
        </div>
      </details>
      <details>
        <summary>{v.t('volume')}</summary>
        <form id="volume" data-api="/api/overrides">
          <input type="hidden" name="kind" value="volume" />
          <label>
            {v.t('volume')}: <output id="percent">100%</output>
            <input type="range" name="percent" min="0" max="200" step="5" value="100" />
          </label>
          <p class="muted">{v.t('volumeHelp')}</p>
          <label>
            {v.t('untilTime')}
            <input type="datetime-local" name="endsAt" required value={`${today}T23:59`} />
          </label>
          <Reason v={v} />
          <button type="submit">{v.t('apply')}</button>
          <Msg />
        </form>
      </details>
    </section>
  );
}
