// The check before saving: a form marked `CheckFirst` (pages/confirm/check.tsx) posts here first; the change
// it reads is asked of POST /api/what-if and answered as the "Kiểm tra trước khi lưu" page. From that page
// "Lưu" (`_step=save`) runs the form's own save; "Sửa lại" (`_step=edit`) shows the form again as typed. A
// post without a step (a script, an older page) saves at once, as before.
import type { Context, Hono } from 'hono';
import { type Form, formCsrfOk, type Page, pageContext } from '../context.ts';
import { CheckPage, typedFields, type WhatIf } from '../pages/confirm/check.tsx';
import { inLanguage } from '../pages/planning/day-rules.tsx';
import { faultOf } from '../refused-form.tsx';

type Refusal = { status: number; body: { message: string; field?: string } };
/** What a form asks: a change for the what-if, a refusal of what was typed, or nothing to check (save now). */
export type Asked =
  | { ask: { kind: string; body: Record<string, unknown>; replaces?: string } }
  | { refusal: Refusal }
  | { now: true };

/** A form that could not be read, answered as the API would answer it (the save's refusal). */
export const fieldRefusal = (a: Exclude<Asked, { ask: unknown }>) =>
  'refusal' in a ? a.refusal : { status: 400, body: { message: 'nothing to save' } };

export interface CheckStep {
  /** The form read as the API takes it (the same reading as its save). */
  read(page: Page, form: Form, c: Context): Asked | Promise<Asked>;
  /** The page of the form, shown again as typed; `error` when the what-if refused it. */
  again(page: Page, error: string | undefined, c: Context): Promise<unknown>;
}

/** Wraps a form's save (a withForm handler) with the check page. */
export function checkFirst(app: Hono, save: (c: Context) => Promise<Response>, step: CheckStep) {
  return async (c: Context): Promise<Response> => {
    const form = (await c.req.parseBody({ all: true })) as Form;
    if (form._step !== 'check' && form._step !== 'edit') return save(c);
    const page = await pageContext(c, app);
    if (!page) return c.redirect('/console/login', 303);
    if (!formCsrfOk(c, form)) return c.text('CSRF token missing or wrong', 403);
    const typed = typedFields(form);
    if (form._step === 'edit') {
      page.refused = { action: c.req.path, form: typed };
      return c.html((await step.again(page, undefined, c)) as string);
    }
    const asked = await step.read(page, form, c);
    // what cannot be read is refused by the save itself, as typed and with the field marked
    if (!('ask' in asked)) return save(c);
    const res = inLanguage(page, await page.api('POST', '/api/what-if', asked.ask));
    if (res.status >= 300) {
      c.status(res.status as 400);
      const fault = faultOf(res.body, page);
      page.refused = { action: c.req.path, form: typed, fault };
      const known = fault && fault.message !== page.t('fieldInvalid') ? fault.message : undefined;
      return c.html(
        (await step.again(page, known ?? res.body?.message ?? `HTTP ${res.status}`, c)) as string,
      );
    }
    const answer = res.body as WhatIf;
    // saved under the id it was tried under, so ties between entries fall as the page says
    const carried = answer.proposedId ? { ...typed, id: answer.proposedId } : typed;
    return c.html(<CheckPage page={page} answer={answer} form={carried} action={c.req.path} />);
  };
}
