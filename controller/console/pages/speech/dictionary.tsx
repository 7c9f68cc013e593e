// "Từ điển đọc viết tắt": the province's own abbreviations (list, add, change, remove), the built-in ones
// beside them, and the words recent text clips spelled out or left unknown, each ready to add.
import type { Hono } from 'hono';
import type { Page, WithForm, WithPage } from '../../context.ts';
import { Csrf } from '../../forms.tsx';
import { DataTable, ErrorBox, Layout } from '../../layout.tsx';
import { localStamp } from '../../local-time.ts';

interface Entry {
  written: string;
  spoken: string;
  changedBy: string | null;
  changedAt: string;
}
interface Candidate {
  word: string;
  kind: 'spelled' | 'unknownCapital';
  clips: number;
  lastAt: string;
}
interface Dictionary {
  entries: Entry[];
  builtIn: { written: string; spoken: string }[];
  candidates: Candidate[];
}

const HERE = '/console/speech/dictionary';

/** One entry's form: its written form fixed (or typed, for a new one) and its spoken form to change. */
function EntryForm({
  page,
  written,
  spoken,
  add,
}: {
  page: Page;
  written: string;
  spoken: string;
  add?: boolean;
}) {
  const { t } = page;
  return (
    <form method="post" action={HERE} class="inline" data-entry={written || undefined}>
      <Csrf page={page} />
      {add ? (
        <input
          name="written"
          value={written}
          required
          maxlength={40}
          aria-label={t('dictWritten')}
          placeholder={t('dictWritten')}
        />
      ) : (
        <input type="hidden" name="written" value={written} />
      )}
      <input
        name="spoken"
        value={spoken}
        required
        maxlength={200}
        aria-label={t('dictSpoken')}
        placeholder={t('dictSpoken')}
        size={40}
      />
      <button type="submit">{add ? t('dictAdd') : t('dictSave')}</button>
    </form>
  );
}

async function dictionaryPage(page: Page, error?: string) {
  const { t } = page;
  const r = await page.api('GET', '/api/speech/dictionary');
  const d = (r.status === 200 ? r.body : { entries: [], builtIn: [], candidates: [] }) as Dictionary;
  const mayChange = page.me.role === 'admin' || page.me.role === 'technician';
  const own = new Set(d.entries.map((e) => e.written));
  const typed = page.refused?.form ?? {};
  return (
    <Layout page={page} title={t('dictTitle')}>
      <ErrorBox message={error ?? (r.status === 200 ? null : r.body?.message)} />
      <p>{t('dictIntro')}</p>
      <h2>{t('dictProvince')}</h2>
      {d.entries.length ? (
        <DataTable heads={[t('dictWritten'), t('dictSpoken'), t('dictChangedBy'), t('dictChangedAt'), '']}>
          {d.entries.map((e) => (
            <tr>
              <td>
                <b>{e.written}</b>
              </td>
              <td>
                {mayChange ? <EntryForm page={page} written={e.written} spoken={e.spoken} /> : e.spoken}
              </td>
              <td>{e.changedBy ?? '-'}</td>
              <td>{localStamp(e.changedAt)}</td>
              <td>
                {mayChange ? (
                  <form method="post" action={`${HERE}/remove`} class="inline">
                    <Csrf page={page} />
                    <input type="hidden" name="written" value={e.written} />
                    <button type="submit" class="danger">
                      {t('dictRemove')}
                    </button>
                  </form>
                ) : null}
              </td>
            </tr>
          ))}
        </DataTable>
      ) : (
        <p class="muted">{t('dictNone')}</p>
      )}
      {mayChange ? (
        <p id="dict-add">
          <EntryForm
            page={page}
            written={String(typed.written ?? '')}
            spoken={String(typed.spoken ?? '')}
            add
          />
        </p>
      ) : null}
      <h2>{t('dictCandidates')}</h2>
      <p class="muted">{t('dictCandidatesIntro')}</p>
      {d.candidates.length ? (
        <DataTable heads={[t('dictWritten'), '', t('dictInClips'), t('dictChangedAt'), t('dictSpoken')]}>
          {d.candidates.map((c) => (
            <tr data-candidate={c.word}>
              <td>
                <b>{c.word}</b>
              </td>
              <td>{c.kind === 'spelled' ? t('dictSpelled') : t('dictUnknownCapital')}</td>
              <td>{c.clips}</td>
              <td>{localStamp(c.lastAt)}</td>
              <td>{mayChange ? <EntryForm page={page} written={c.word} spoken="" /> : null}</td>
            </tr>
          ))}
        </DataTable>
      ) : (
        <p class="muted">{t('dictNoCandidates')}</p>
      )}
      <details>
        <summary>
          {t('dictBuiltIn')} ({d.builtIn.length})
        </summary>
        <DataTable heads={[t('dictWritten'), t('dictSpoken')]}>
          {d.builtIn.map((b) => (
            <tr class={own.has(b.written) ? 'muted' : undefined}>
              <td>{b.written}</td>
              <td>
                {b.spoken}
                {own.has(b.written) ? ` (${t('dictReplaced')})` : ''}
              </td>
            </tr>
          ))}
        </DataTable>
      </details>
    </Layout>
  );
}

/** The API's refusal in the person's language (its details carry both). */
type Answer = Awaited<ReturnType<Page['api']>>;
const inLanguage = (page: Page, r: Answer): Answer => {
  const said = (r.body as { details?: Record<string, unknown> } | null)?.details?.[page.lang];
  return r.status >= 300 && typeof said === 'string' ? { ...r, body: { ...r.body, message: said } } : r;
};
const writtenPath = (f: Record<string, unknown>) =>
  `/api/speech/dictionary/${encodeURIComponent(String(f.written ?? '').trim() || ' ')}`;

export function dictionaryPages(app: Hono, withPage: WithPage, withForm: WithForm): void {
  app.get(
    HERE,
    withPage((page) => dictionaryPage(page)),
  );
  app.post(
    HERE,
    withForm(
      async (page, f) =>
        inLanguage(page, await page.api('PUT', writtenPath(f), { spoken: String(f.spoken ?? '') })),
      () => HERE,
      (page, error) => dictionaryPage(page, error),
    ),
  );
  app.post(
    `${HERE}/remove`,
    withForm(
      async (page, f) => inLanguage(page, await page.api('DELETE', writtenPath(f))),
      () => HERE,
      (page, error) => dictionaryPage(page, error),
    ),
  );
}
