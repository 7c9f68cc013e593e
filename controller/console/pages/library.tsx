// The console's clip library: upload with progress, text clips (speak.tsx), listening, review, where scheduled.
import { raw } from 'hono/html';
import type { Page } from '../context.ts';
import { Csrf } from '../forms.tsx';
import type { WordKey } from '../i18n.ts';
import { DataTable, ErrorBox, Layout } from '../layout.tsx';
import { FieldFault, faultMark, refusedFor, typed } from '../refused-form.tsx';
import { SpeakForm, type VoiceOption } from './speak.tsx';

interface Clip {
  id: string;
  title: string;
  durationMs: number;
  status?: string;
  progress?: number;
  rejectionReason?: string | null;
  reviewNote?: string | null;
  reviewedBy?: string | null;
  loudness?: { outputLufs: number | null };
  text?: { text: string; spokenBy: string; fallbacks: { engine: string; code: string }[] } | null;
}

// Uploads go straight to the API with the session cookie and CSRF header, so the browser can show
// real upload progress; the page reloads when the clip is stored.
const UPLOAD_SCRIPT = `
document.getElementById('upload').addEventListener('submit', function (ev) {
  ev.preventDefault();
  var form = ev.target, bar = document.getElementById('bar'), note = document.getElementById('note');
  var xhr = new XMLHttpRequest();
  xhr.open('POST', '/api/clips');
  xhr.setRequestHeader('x-csrf-token', form._csrf.value);
  bar.hidden = false; bar.value = 0;
  xhr.upload.onprogress = function (e) { if (e.lengthComputable) bar.value = e.loaded / e.total; };
  xhr.upload.onload = function () { note.textContent = form.dataset.processing; };
  xhr.onload = function () {
    if (xhr.status === 202) {
      // Stored and being processed: follow the transcode on the same bar.
      var clip = JSON.parse(xhr.responseText), events = new EventSource('/api/clips/' + clip.id + '/events');
      bar.value = 0;
      events.addEventListener('progress', function (e) { bar.value = JSON.parse(e.data).progress || 0; });
      events.addEventListener('done', function () { events.close(); location.reload(); });
      events.onerror = function () { events.close(); location.reload(); };
      return;
    }
    if (xhr.status === 200) {
      // These exact bytes are a clip already (uploads are deduplicated by hash): say which, with a link.
      var same = JSON.parse(xhr.responseText), link = document.createElement('a');
      link.href = '#' + same.id; link.textContent = same.title;
      note.textContent = form.dataset.same + ' '; note.appendChild(link);
      bar.hidden = true; return;
    }
    if (xhr.status < 300) { location.reload(); return; }
    try {
      var refused = JSON.parse(xhr.responseText);
      // a refused recording's words for people, in the page's language (audio/refusal.ts)
      note.textContent = (refused.details && refused.details[form.dataset.lang]) || refused.message;
    } catch (e) { note.textContent = xhr.statusText; }
    bar.hidden = true;
  };
  xhr.onerror = function () { note.textContent = 'network error'; bar.hidden = true; };
  var data = new FormData();
  data.append('title', form.title.value);
  data.append('file', form.file.files[0]);
  xhr.send(data);
});`;

export async function clipsPage(page: Page, error?: string) {
  const { t, api, me } = page;
  const [clips, slots, campaigns] = await Promise.all([
    api('GET', '/api/clips').then((r) => r.body as Clip[]),
    api('GET', '/api/slots').then(
      (r) => r.body as { id: string; campaignId: string | null; clipIds: string[]; startTime: string }[],
    ),
    api('GET', '/api/campaigns').then((r) =>
      r.status === 200 ? (r.body as { id: string; name: string }[]) : [],
    ),
  ]);
  const campaignName = new Map(campaigns.map((c) => [c.id, c.name]));
  // Where each clip is scheduled: the campaigns (or slots of no campaign) of your area that play it, by name.
  const usedIn = (clipId: string) => [
    ...new Map(
      slots
        .filter((s) => s.clipIds.includes(clipId))
        .map((s) =>
          s.campaignId
            ? [
                s.campaignId,
                {
                  id: s.campaignId,
                  name: campaignName.get(s.campaignId) ?? s.campaignId,
                  href: `/console/campaigns/${s.campaignId}`,
                },
              ]
            : [s.id, { id: s.id, name: `${t('slots')} ${s.startTime}`, href: '/console/campaigns' }],
        ),
    ).values(),
  ];
  const canReview = me.role === 'admin' || me.role === 'reviewer';
  const voices = (await api('GET', '/api/clips/voices')).body as VoiceOption[];
  return (
    <Layout page={page} title={t('clips')}>
      <ErrorBox message={error} />
      <form
        id="upload"
        class="card"
        data-processing={t('processing')}
        data-same={t('sameAudio')}
        data-lang={page.lang}
      >
        <Csrf page={page} />
        <label>
          {t('title')}
          <input name="title" required maxlength={200} />
        </label>
        <label>
          {t('upload')}
          <input
            type="file"
            name="file"
            accept="audio/*,video/webm,video/3gpp,.amr,.3gp,.m4a,.opus"
            required
          />
        </label>
        <button type="submit">{t('upload')}</button>
        <progress id="bar" max={1} value={0} hidden />
        <span id="note" class="muted" aria-live="polite" />
      </form>
      <script>{raw(UPLOAD_SCRIPT)}</script>
      <SpeakForm page={page} voices={voices} />
      <DataTable heads={[t('title'), t('duration'), t('loudness'), t('status'), t('usedIn'), t('listen')]}>
        {clips.map((k) => (
          <tr id={k.id}>
            <td>
              {k.title}
              {k.text ? (
                <details class="muted">
                  <summary>
                    {t('speakReadBy')} {k.text.spokenBy}
                    {k.text.fallbacks.length
                      ? ` (${k.text.fallbacks.map((f) => `${f.engine}: ${f.code}`).join(', ')})`
                      : ''}
                  </summary>
                  {k.text.text}
                </details>
              ) : null}
            </td>
            <td>{(k.durationMs / 1000).toFixed(1)} s</td>
            <td>{k.loudness?.outputLufs != null ? `${k.loudness.outputLufs.toFixed(1)} LUFS` : '-'}</td>
            <td>
              {k.status ? t(`clipStatus.${k.status}` as WordKey) : '-'}
              {k.reviewNote ? (
                <div class="muted review-note">
                  {t('reviewNote')}: {k.reviewNote}
                  {k.reviewedBy ? ` (${k.reviewedBy})` : ''}
                </div>
              ) : null}
              {canReview && k.status === 'draft' ? <ReviewForm page={page} clipId={k.id} /> : null}
            </td>
            <td>
              {usedIn(k.id).map((u) => (
                <div>
                  <a href={u.href} title={u.id}>
                    {u.name}
                  </a>
                </div>
              ))}
            </td>
            <td>
              {k.status === 'processing' ? (
                <progress max={1} value={k.progress ?? 0} />
              ) : (
                // biome-ignore lint/a11y/useMediaCaption: announcements have no transcript yet; the title says what it is
                <audio controls preload="none" src={`/api/clips/${k.id}/audio`} />
              )}
            </td>
          </tr>
        ))}
      </DataTable>
    </Layout>
  );
}

/** A draft's review: the reviewer's note (kept with the review; required to reject) and the two decisions. */
function ReviewForm({ page, clipId }: { page: Page; clipId: string }) {
  const { t } = page;
  const action = `/console/clips/${clipId}/review`;
  const refused = refusedFor(page, action);
  return (
    <form
      method="post"
      action={action}
      class="review"
      style="display:flex;gap:.3rem;flex-wrap:wrap;align-items:end"
    >
      <Csrf page={page} />
      <label>
        {t('reviewNote')}
        <input
          name="note"
          maxlength={500}
          placeholder={t('reviewNoteHelp')}
          value={typed(refused, 'note')}
          {...faultMark(refused, 'note')}
        />
        <FieldFault refused={refused} name="note" />
      </label>
      <button name="decision" value="approve" type="submit">
        {t('approveClip')}
      </button>
      <button name="decision" value="reject" type="submit" class="danger">
        {t('rejectClip')}
      </button>
    </form>
  );
}
