// The console routes that change a slot or a quiet window in place: the edit page (GET) and its save (a
// PATCH of the API, POST from the form); refused, the page comes back as typed.
import type { Hono } from 'hono';
import type { WithForm, WithPage } from '../context.ts';
import { quietEditPage, slotEditPage } from '../pages/planning/edit.tsx';
import { quietFields, slotFields } from './rule-forms.ts';

export function editPages(app: Hono, withPage: WithPage, withForm: WithForm): void {
  const id = (c: { req: { param(k: string): string | undefined } }) => c.req.param('id') as string;
  app.get(
    '/console/slots/:id/edit',
    withPage((page, c) => slotEditPage(page, id(c))),
  );
  app.post(
    '/console/slots/:id/edit',
    withForm(
      async (page, f, c) => {
        const slot = slotFields(page, f);
        if ('refusal' in slot) return slot.refusal;
        const saved = await page.api('PATCH', `/api/slots/${encodeURIComponent(id(c))}`, slot.body);
        return saved;
      },
      (_c, _f, answer) => `/console/campaigns/${encodeURIComponent(String(answer.body?.campaignId ?? ''))}`,
      (page, error, c) => slotEditPage(page, id(c), error),
    ),
  );
  app.get(
    '/console/quiet-windows/:id/edit',
    withPage((page, c) => quietEditPage(page, id(c))),
  );
  app.post(
    '/console/quiet-windows/:id/edit',
    withForm(
      async (page, f, c) => {
        const quiet = quietFields(page, f);
        if ('refusal' in quiet) return quiet.refusal;
        return page.api('PATCH', `/api/quiet-windows/${encodeURIComponent(id(c))}`, quiet.body);
      },
      () => '/console/quiet-windows',
      (page, error, c) => quietEditPage(page, id(c), error),
    ),
  );
}
