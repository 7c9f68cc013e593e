// The audit trail (admins read everyone's, others their own): each entry a sentence saying who changed
// what and when, in local time, people and objects by name (the ids on hover and in each object's link),
// 100 entries a page.

import type { Page } from '../context.ts';
import { DataTable, ErrorBox, Layout } from '../layout.tsx';
import { localStampSeconds } from '../local-time.ts';
import { auditNames } from '../names.ts';
import { auditOutcome, auditSentence, inSentence } from '../say/audit.ts';

interface AuditRow {
  at: string;
  actor: string;
  action: string;
  object_type: string;
  object_id: string | null;
  status: number;
}

export async function auditPage(
  page: Page,
  objectId: string | undefined,
  list: { q?: string; cursor?: string } = {},
) {
  const { t, api } = page;
  const q = new URLSearchParams({ cursor: list.cursor ?? '', limit: '100' });
  if (objectId) q.set('objectId', objectId);
  if (list.q) q.set('q', list.q);
  const res = await api('GET', `/api/audit?${q}`);
  const { items: rows, nextCursor } = (res.status === 200 ? res.body : { items: [], nextCursor: null }) as {
    items: AuditRow[];
    nextCursor: string | null;
  };
  const names = await auditNames(
    page,
    rows.map((r) => ({ type: r.object_type, id: r.object_id })),
    rows.map((r) => r.actor),
  );
  const here = (cursor?: string) =>
    `/console/audit?${new URLSearchParams(
      Object.entries({ object: objectId, q: list.q, cursor }).filter(([, v]) => v) as [string, string][],
    )}`;
  return (
    <Layout page={page} title={t('audit')}>
      <ErrorBox message={res.status === 200 ? null : res.body?.message} />
      <form method="get" action="/console/audit" class="filters">
        {objectId ? <input type="hidden" name="object" value={objectId} /> : null}
        <input
          type="search"
          name="q"
          value={list.q ?? ''}
          placeholder={t('searchAudit')}
          aria-label={t('search')}
        />
        <button type="submit">{t('search')}</button>
      </form>
      <DataTable heads={[t('when'), t('action'), t('status')]}>
        {rows.map((r) => (
          <tr>
            <td>{localStampSeconds(r.at)}</td>
            <td title={`${r.actor} · ${r.action}`}>
              {auditSentence(page.lang, {
                actor: names.actor(r.actor),
                action: r.action,
                status: r.status,
              })}{' '}
              {r.object_id ? (
                <a href={`/console/audit?object=${encodeURIComponent(r.object_id)}`} title={r.object_id}>
                  {inSentence(names.object(r.object_type, r.object_id))}
                </a>
              ) : null}
            </td>
            <td>{auditOutcome(page.lang, r.status)}</td>
          </tr>
        ))}
      </DataTable>
      <p class="pager">
        {list.cursor ? <a href={here()}>« {t('firstPage')}</a> : null}{' '}
        {nextCursor ? (
          <a rel="next" href={here(nextCursor)}>
            {t('nextPage')} »
          </a>
        ) : null}
      </p>
    </Layout>
  );
}
