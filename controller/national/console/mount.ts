// The national console's routes (CONTROLLER_ROLE=national): mounted instead of the province's pages.
import type { Context, Hono } from 'hono';
import { getCookie } from 'hono/cookie';
import { type Form, formCsrfOk, pageContext, type WithForm, type WithPage } from '../../console/context.ts';
import { SESSION_COOKIE } from '../../users/auth.ts';
import { itemPage, overviewPage, reportsPage } from './pages.tsx';
import { formBodies, sendPage } from './send.tsx';

export function nationalPages(app: Hono, withPage: WithPage, withForm: WithForm): void {
  const again = (page: Parameters<typeof sendPage>[0], error: string) => sendPage(page, error);
  app.get(
    '/console',
    withPage((page) => overviewPage(page)),
  );
  app.get(
    '/console/national/items/:id',
    withPage((page, c) => itemPage(page, c.req.param('id') ?? '')),
  );
  app.post(
    '/console/national/items/:id/cancel',
    withForm(
      (page, form, c) => {
        const reason = String(form.reason ?? '').trim();
        return page.api('POST', `/api/national/items/${c.req.param('id')}/cancel`, reason ? { reason } : {});
      },
      (c) => `/console/national/items/${c.req.param('id')}`,
      (page, error, c) => itemPage(page, c.req.param('id') ?? '', error),
    ),
  );
  app.get(
    '/console/national/reports',
    withPage((page) => reportsPage(page)),
  );
  app.post(
    '/console/national/reports/refresh',
    withForm(
      (page) => page.api('POST', '/api/national/reports/refresh'),
      () => '/console/national/reports',
      (page) => reportsPage(page),
    ),
  );
  app.get(
    '/console/national/send',
    withPage((page) => sendPage(page)),
  );
  // the recording goes on to the API with the person's session, once the form's CSRF field matches
  app.post('/console/national/clips', async (c: Context) => {
    const form = (await c.req.parseBody()) as Form;
    if (!formCsrfOk(c, form)) return c.text('CSRF token missing or wrong', 403);
    const up = new FormData();
    if (form.file instanceof File) up.set('file', form.file);
    up.set('title', String(form.title ?? ''));
    const res = await app.request(
      '/api/national/clips',
      {
        method: 'POST',
        headers: {
          cookie: `${SESSION_COOKIE}=${getCookie(c, SESSION_COOKIE) ?? ''}`,
          'x-csrf-token': String(form._csrf),
        },
        body: up,
      },
      c.env,
    );
    const body = (await res.json()) as { id?: string; message?: string; messageVi?: string };
    if (res.status === 401) return c.redirect('/console/login', 303);
    if (!res.ok || !body.id) {
      const page = await pageContext(c, app);
      if (!page) return c.redirect('/console/login', 303);
      c.status(res.status as 400);
      return c.html(await sendPage(page, (page.lang === 'vi' ? body.messageVi : undefined) ?? body.message));
    }
    return c.redirect(`/console/national/send?clip=${encodeURIComponent(body.id)}`, 303);
  });
  const sendForm = (path: string, make: (f: Parameters<typeof formBodies.bulletin>[0]) => object) =>
    app.post(
      `/console${path}`,
      withForm(
        (page, form) => page.api('POST', `/api${path}`, make(form)),
        (_c, _f, answer) => `/console/national/items/${(answer.body as { id: string }).id}`,
        again,
      ),
    );
  sendForm('/national/bulletins', formBodies.bulletin);
  sendForm('/national/campaigns', formBodies.campaign);
  sendForm('/national/quiet-windows', formBodies.quiet);
}
