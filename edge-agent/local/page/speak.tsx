// The form where ward staff type a notice: the station reads it out (espeak-ng, offline) now or at a time.
import { MAX_ANNOUNCEMENT_CHARS, VOICES } from '../speech.ts';
import type { WordKey } from './i18n.ts';
import type { View } from './panels.tsx';

const SPEEDS: [string, WordKey][] = [
  ['0.8', 'speed.slow'],
  ['1', 'speed.normal'],
  ['1.25', 'speed.fast'],
];

/** An announcement's moment: now, or a local date and time (`at`, a datetime-local value). */
export const NowOrAt = ({ v, at }: { v: View; at: string }) => (
  <>
    <label class="inline">
      <input type="radio" name="when" value="now" checked />
      {v.t('now')}
    </label>
    <label class="inline">
      <input type="radio" name="when" value="at" />
      {v.t('atTime')}
    </label>
    <input type="datetime-local" name="startsAt" value={at} aria-label={v.t('atTime')} />
  </>
);

export function SpeakForm({ v, inAnHour }: { v: View; inAnHour: string }) {
  return (
    <details>
      <summary>{v.t('speak')}</summary>
      <form id="speak" data-api="/api/announcements">
        <label>
          {v.t('noticeText')}
          <textarea name="text" required rows={6} maxlength={MAX_ANNOUNCEMENT_CHARS} />
        </label>
        <p class="muted">{v.t('noticeHelp')}</p>
        <label>
          {v.t('clipTitle')} ({v.t('optional')})
          <input name="title" maxlength={200} />
        </label>
        <label>
          {v.t('voice')}
          <select name="voice">
            {VOICES.map((voice, i) => (
              <option value={voice.id} selected={i === 0}>
                {v.t(`voice.${voice.region}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {v.t('speed')}
          <select name="speed">
            {SPEEDS.map(([value, word]) => (
              <option value={value} selected={value === '1'}>
                {v.t(word)}
              </option>
            ))}
          </select>
        </label>
        <label class="inline">
          <input type="checkbox" name="chimeBefore" value="1" checked />
          {v.t('chimeBefore')}
        </label>
        <label class="inline">
          <input type="checkbox" name="chimeAfter" value="1" />
          {v.t('chimeAfter')}
        </label>
        <NowOrAt v={v} at={inAnHour} />
        <button type="button" class="secondary" data-preview="/api/announcements/preview">
          {v.t('listen')}
        </button>
        <audio controls hidden>
          <track kind="captions" />
        </audio>
        <button type="submit">{v.t('announce')}</button>
        <p class="msg" role="alert" />
      </form>
    </details>
  );
}
