// The console routes that change a slot or a quiet window in place: the edit page (GET) and its save (a
// PATCH of the API, POST from the form); refused, the page comes back as typed.
import type { Context, Hono } from 'hono';
import type { Form, Page, WithForm, WithPage } from '../context.ts';
import { quietEditPage, slotEditPage } from '../pages/planning/edit.tsx';
import { type Asked, checkFirst, fieldRefusal } from './check-step.tsx';
import { quietFields, slotFields } from './rule-forms.ts';

export function editPages(app: Hono, withPage: WithPage, withForm: WithForm): void {
  const id = (c: { req: { param(k: string): string | undefined } }) => c.req.param('id') as string;
  app.get(
    '/console/slots/:id/edit',
    withPage((page, c) => slotEditPage(page, id(c))),
  );
  // checked first (check-step.tsx): the what-if of the slot as changed, replacing the stored one
  const slotOf = (page: Page, f: Form, c: Context): Asked => {
    const slot = slotFields(page, f);
    return 'refusal' in slot ? slot : { ask: { kind: 'slot', replaces: id(c), body: slot.body } };
  };
  const slotAgain = (page: Page, error: string | undefined, c: Context) => slotEditPage(page, id(c), error);
  app.post(
    '/console/slots/:id/edit',
    checkFirst(
      app,
      withForm(
        async (page, f, c) => {
          const slot = slotOf(page, f, c);
          if (!('ask' in slot)) return fieldRefusal(slot);
          return page.api('PATCH', `/api/slots/${encodeURIComponent(id(c))}`, slot.ask.body);
        },
        (_c, _f, answer) => `/console/campaigns/${encodeURIComponent(String(answer.body?.campaignId ?? ''))}`,
        slotAgain,
      ),
      { read: slotOf, again: slotAgain },
    ),
  );
  app.get(
    '/console/quiet-windows/:id/edit',
    withPage((page, c) => quietEditPage(page, id(c))),
  );
  const quietOf = (page: Page, f: Form, c: Context): Asked => {
    const quiet = quietFields(page, f);
    return 'refusal' in quiet ? quiet : { ask: { kind: 'quiet-window', replaces: id(c), body: quiet.body } };
  };
  const quietAgain = (page: Page, error: string | undefined, c: Context) => quietEditPage(page, id(c), error);
  app.post(
    '/console/quiet-windows/:id/edit',
    checkFirst(
      app,
      withForm(
        async (page, f, c) => {
          const quiet = quietOf(page, f, c);
          if (!('ask' in quiet)) return fieldRefusal(quiet);
          return page.api('PATCH', `/api/quiet-windows/${encodeURIComponent(id(c))}`, quiet.ask.body);
        },
        () => '/console/quiet-windows',
        quietAgain,
      ),
      { read: quietOf, again: quietAgain },
    ),
  );
}
