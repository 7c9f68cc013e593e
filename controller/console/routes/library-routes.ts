// The console routes of the clip library (and its review) and the audit trail.
import type { Hono } from 'hono';
import type { WithForm, WithPage } from '../context.ts';
import { auditPage } from '../pages/audit.tsx';
import { clipsPage } from '../pages/library.tsx';

export function libraryPages(app: Hono, withPage: WithPage, withForm: WithForm): void {
  app.get(
    '/console/clips',
    withPage((page) => clipsPage(page)),
  );
  app.post(
    '/console/clips/:id/review',
    withForm(
      async (page, f, c) => {
        const id = encodeURIComponent(c.req.param('id') as string);
        // the reviewer's note goes with either decision: an approval's note, a rejection's reason
        const note = String(f.note ?? '').trim();
        if (f.decision === 'approve')
          return page.api('POST', `/api/clips/${id}/approve`, note ? { note } : {});
        if (!note) return { status: 400, body: { message: page.t('reviewNoteNeeded'), field: 'note' } };
        return page.api('POST', `/api/clips/${id}/reject`, { reason: note });
      },
      () => '/console/clips',
      (page, error) => clipsPage(page, error),
    ),
  );
  app.get(
    '/console/audit',
    withPage((page, c) =>
      auditPage(page, c.req.query('object'), { q: c.req.query('q'), cursor: c.req.query('cursor') }),
    ),
  );
}
