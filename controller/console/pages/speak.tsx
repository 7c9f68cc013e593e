// The library's text-clip form: type a notice, choose voice, speed and chimes, preview it, save it.
import { raw } from 'hono/html';
import type { Page } from '../context.ts';
import { Csrf } from '../forms.tsx';

export interface VoiceOption {
  id: string;
  label: { vi: string; en: string };
}

// The text-clip form's words (kept here: i18n.ts is at the size limit).

// Preview (audio/wav into the player) and save (a JSON text clip, waited for) through the API.
const SPEAK_SCRIPT = `
(function () {
  var form = document.getElementById('speak'), note = document.getElementById('speak-note');
  function body(withTitle) {
    var b = { text: form.text.value, voice: form.voice.value, speed: Number(form.speed.value),
      chime: { before: form.before.checked, after: form.after.checked } };
    if (withTitle) b.title = form.title.value;
    return JSON.stringify(b);
  }
  function send(url, withTitle) {
    note.textContent = form.dataset.processing;
    return fetch(url, { method: 'POST', body: body(withTitle), credentials: 'same-origin',
      headers: { 'content-type': 'application/json', 'x-csrf-token': form._csrf.value } });
  }
  function refused(res) {
    return res.json().then(function (r) { note.textContent = (r.details && r.details[form.dataset.lang]) || r.message; },
      function () { note.textContent = res.statusText; });
  }
  document.getElementById('speak-preview').addEventListener('click', function () {
    if (!form.reportValidity()) return;
    send('/api/clips/preview', false).then(function (res) {
      if (!res.ok) return refused(res);
      note.textContent = form.dataset.readBy + ' ' + res.headers.get('x-spoken-by') +
        (res.headers.get('x-speech-fallbacks') ? ' (' + res.headers.get('x-speech-fallbacks') + ')' : '');
      return res.blob().then(function (b) { var p = document.getElementById('speak-player'); p.src = URL.createObjectURL(b); p.hidden = false; p.play(); });
    });
  });
  form.addEventListener('submit', function (ev) {
    ev.preventDefault();
    send('/api/clips?wait=true', true).then(function (res) { if (res.ok) location.reload(); else refused(res); });
  });
})();`;

export function SpeakForm({ page, voices }: { page: Page; voices: VoiceOption[] }) {
  const { t } = page;
  return (
    <>
      <form
        id="speak"
        class="card"
        data-processing={t('processing')}
        data-lang={page.lang}
        data-read-by={t('speakReadBy')}
      >
        <h2>{t('speakTitle')}</h2>
        <Csrf page={page} />
        <label>
          {t('title')}
          <input name="title" required maxlength={200} />
        </label>
        <label>
          {t('speakText')}
          <textarea name="text" required maxlength={20000} rows={6} />
        </label>
        <label>
          {t('speakVoice')}
          <select name="voice">
            {voices.map((v) => (
              <option value={v.id}>{v.label[page.lang]}</option>
            ))}
          </select>
        </label>
        <label>
          {t('speakSpeed')}
          <input name="speed" type="number" min={0.5} max={2} step={0.1} value="1" />
        </label>
        <label>
          <input name="before" type="checkbox" /> {t('speakChimeBefore')}
        </label>
        <label>
          <input name="after" type="checkbox" /> {t('speakChimeAfter')}
        </label>
        <button id="speak-preview" type="button">
          {t('speakPreview')}
        </button>
        <button type="submit">{t('speakSave')}</button>
        {/* biome-ignore lint/a11y/useMediaCaption: the text being previewed is in the form above */}
        <audio id="speak-player" controls hidden />
        <span id="speak-note" class="muted" aria-live="polite" />
        <p class="muted">
          <a href="/console/speech/dictionary">{t('dictTitle')}</a>
        </p>
      </form>
      <script>{raw(SPEAK_SCRIPT)}</script>
    </>
  );
}
