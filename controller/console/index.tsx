// The technician's web console: server-rendered pages under /console, each a client of the /api routes.
import type { Context, Hono } from 'hono';
import { deleteCookie, setCookie } from 'hono/cookie';
import type { ControllerConfig } from '../config.ts';
import { SESSION_COOKIE } from '../routes.ts';
import { alertPages } from './alert-routes.ts';
import { areasPage } from './areas.tsx';
import { campaignPage, campaignsPage, reportPrintPage } from './campaigns.tsx';
import {
  CSRF_COOKIE,
  type Form,
  formCsrfOk,
  LANG_COOKIE,
  langOf,
  pageContext,
  type WithForm,
  type WithPage,
} from './context.ts';
import { parseTarget, weekdaysOf } from './forms.tsx';
import { translator } from './i18n.ts';
import { LoginPage } from './layout.tsx';
import { auditPage, clipsPage } from './library.tsx';
import { quietWindowsPage } from './quiet.tsx';
import { parseFilter, stationPage, stationsPage } from './stations.tsx';

export function mountConsole(app: Hono, config: ControllerConfig): void {
  const cookieOpts = { httpOnly: true, sameSite: 'Strict' as const, secure: config.cookieSecure, path: '/' };

  /** Runs a page for a signed-in person, or sends them to sign in. */
  const withPage: WithPage = (render) => async (c: Context) => {
    const page = await pageContext(c, app);
    if (!page) return c.redirect('/console/login', 303);
    return c.html((await render(page, c)) as string);
  };

  /**
   * A form post: check its CSRF field, call the API, then go back to the page (303) or show the page
   * again with the API's reason.
   */
  const withForm: WithForm = (act, back, again) => async (c: Context) => {
    const page = await pageContext(c, app);
    if (!page) return c.redirect('/console/login', 303);
    const form = (await c.req.parseBody({ all: true })) as Form;
    if (!formCsrfOk(c, form)) return c.text('CSRF token missing or wrong', 403);
    const r = await act(page, form, c);
    const warnings = (r.body as { airTimeWarnings?: { stationId: string; message: string }[] })
      .airTimeWarnings;
    if (r.status < 300 && warnings?.length) {
      // Saved, but the person must see what the air-time policy says about it.
      const list = warnings.map((w) => `${w.stationId}: ${w.message}`).join('; ');
      return c.html((await again(page, `${page.t('savedWithWarnings')}: ${list}`, c)) as string);
    }
    if (r.status < 300) return c.redirect(back(c, form, r), 303);
    c.status(r.status as 400);
    return c.html((await again(page, r.body?.message ?? `HTTP ${r.status}`, c)) as string);
  };

  app.get('/', (c) => c.redirect('/console', 302));
  app.get('/console/login', (c) => c.html(<LoginPage lang={langOf(c)} />));
  app.post('/console/login', async (c) => {
    const form = await c.req.parseBody();
    const res = await app.request(
      '/api/auth/session',
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: form.username, password: form.password }),
      },
      c.env,
    );
    if (!res.ok) {
      const body = (await res.json()) as { message?: string };
      c.status(res.status === 429 ? 429 : 401);
      return c.html(
        <LoginPage
          lang={langOf(c)}
          error={res.status === 429 ? body.message : translator(langOf(c))('wrongLogin')}
        />,
      );
    }
    const { csrfToken, expiresAt } = (await res.json()) as { csrfToken: string; expiresAt: string };
    const session = /loa_session=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')?.[1] ?? '';
    setCookie(c, SESSION_COOKIE, session, { ...cookieOpts, expires: new Date(expiresAt) });
    setCookie(c, CSRF_COOKIE, csrfToken, { ...cookieOpts, expires: new Date(expiresAt) });
    return c.redirect('/console', 303);
  });
  app.post(
    '/console/logout',
    withForm(
      (page) => page.api('POST', '/api/auth/logout'),
      (c) => {
        deleteCookie(c, SESSION_COOKIE, { path: '/' });
        deleteCookie(c, CSRF_COOKIE, { path: '/' });
        return '/console/login';
      },
      async (page) => stationsPage(page, 'all'),
    ),
  );
  app.get('/console/lang/:lang', (c) => {
    setCookie(c, LANG_COOKIE, c.req.param('lang') === 'en' ? 'en' : 'vi', {
      path: '/',
      sameSite: 'Lax',
      maxAge: 365 * 86_400,
    });
    const back = c.req.header('referer');
    return c.redirect(
      back && new URL(back).pathname.startsWith('/console')
        ? new URL(back).pathname + new URL(back).search
        : '/console',
      303,
    );
  });

  app.get(
    '/console',
    withPage((page, c) => stationsPage(page, parseFilter(c.req.query('filter')))),
  );
  app.get(
    '/console/stations/:id',
    withPage((page, c) => stationPage(page, c.req.param('id') as string, c.req.query('week'))),
  );

  app.get(
    '/console/campaigns',
    withPage((page) => campaignsPage(page)),
  );
  app.post(
    '/console/campaigns',
    withForm(
      (page, f) =>
        page.api('POST', '/api/campaigns', {
          name: f.name,
          message: f.message,
          startDate: f.startDate,
          endDate: f.endDate,
        }),
      () => '/console/campaigns',
      (page, error) => campaignsPage(page, error),
    ),
  );
  app.get(
    '/console/campaigns/:id',
    withPage((page, c) => campaignPage(page, c.req.param('id') as string)),
  );
  app.post(
    '/console/campaigns/:id/slots',
    withForm(
      (page, f, c) =>
        page.api('POST', '/api/slots', {
          campaignId: c.req.param('id'),
          clipIds: [f.clipId],
          startTime: f.startTime,
          flexibleUntil: f.flexibleUntil ? f.flexibleUntil : undefined,
          weekdays: weekdaysOf(f.weekdays),
          startDate: f.startDate,
          endDate: f.endDate,
          target: parseTarget(f.target),
        }),
      (c) => `/console/campaigns/${c.req.param('id')}`,
      (page, error, c) => campaignPage(page, c.req.param('id') as string, error),
    ),
  );
  app.post(
    '/console/slots/:id/delete',
    withForm(
      (page, _f, c) => page.api('DELETE', `/api/slots/${encodeURIComponent(c.req.param('id') as string)}`),
      (_c, f) => (String(f.back).startsWith('/console/') ? String(f.back) : '/console/campaigns'),
      (page, error) => campaignsPage(page, error),
    ),
  );
  app.get(
    '/console/campaigns/:id/report',
    withPage((page, c) => reportPrintPage(page, c.req.param('id') as string)),
  );
  app.get('/console/campaigns/:id/report.csv', async (c) => {
    const page = await pageContext(c, app);
    if (!page) return c.redirect('/console/login', 303);
    const res = await app.request(
      `/api/reports/campaigns/${encodeURIComponent(c.req.param('id'))}/plays.csv`,
      { headers: { cookie: c.req.header('cookie') ?? '' } },
      c.env,
    );
    return new Response(res.body, { status: res.status, headers: res.headers });
  });

  app.get(
    '/console/quiet-windows',
    withPage((page) => quietWindowsPage(page)),
  );
  app.post(
    '/console/quiet-windows',
    withForm(
      (page, f) =>
        page.api('POST', '/api/quiet-windows', {
          weekdays: weekdaysOf(f.weekdays),
          startTime: f.startTime,
          endTime: f.endTime,
          startDate: f.startDate,
          endDate: f.endDate,
          reason: f.reason,
          note: f.note ?? '',
          exceptDates: String(f.exceptDates ?? '')
            .split(/[\s,;]+/)
            .filter(Boolean),
          target: parseTarget(f.target),
        }),
      () => '/console/quiet-windows',
      (page, error) => quietWindowsPage(page, error),
    ),
  );
  app.post(
    '/console/quiet-windows/:id/delete',
    withForm(
      (page, _f, c) =>
        page.api('DELETE', `/api/quiet-windows/${encodeURIComponent(c.req.param('id') as string)}`),
      () => '/console/quiet-windows',
      (page, error) => quietWindowsPage(page, error),
    ),
  );

  app.get(
    '/console/areas',
    withPage((page) => areasPage(page)),
  );
  app.post(
    '/console/areas/import',
    withForm(
      (page, f) => page.api('POST', '/api/stations/import', { csv: String(f.csv ?? '') }),
      () => '/console/areas',
      (page, error) => areasPage(page, error),
    ),
  );
  app.post(
    '/console/areas/stations/:id',
    withForm(
      (page, f, c) =>
        page.api('PATCH', `/api/stations/${encodeURIComponent(c.req.param('id') as string)}`, {
          name: f.name,
          district: f.district,
          ward: f.ward,
        }),
      () => '/console/areas',
      (page, error) => areasPage(page, error),
    ),
  );
  app.post(
    '/console/quiet-windows/:id/copy',
    withForm(
      (page, f, c) =>
        page.api('POST', `/api/quiet-windows/${encodeURIComponent(c.req.param('id') as string)}/copy`, {
          targets: [f.targets ?? []].flat().map(parseTarget),
        }),
      () => '/console/quiet-windows',
      (page, error) => quietWindowsPage(page, error),
    ),
  );
  app.post(
    '/console/airtime-policies',
    withForm(
      (page, f) => {
        const n = (v: unknown) => (v ? Number(v) : undefined);
        return page.api('POST', '/api/airtime-policies', {
          target: parseTarget(f.target),
          policy: {
            maxSessionsPerDay: n(f.maxSessionsPerDay),
            maxMinutesPerSession: n(f.maxMinutesPerSession),
            maxDaysPerWeek: n(f.maxDaysPerWeek),
            enforcement: f.enforcement,
          },
        });
      },
      () => '/console/quiet-windows',
      (page, error) => quietWindowsPage(page, error),
    ),
  );
  app.post(
    '/console/airtime-policies/:id/delete',
    withForm(
      (page, _f, c) =>
        page.api('DELETE', `/api/airtime-policies/${encodeURIComponent(c.req.param('id') as string)}`),
      () => '/console/quiet-windows',
      (page, error) => quietWindowsPage(page, error),
    ),
  );
  app.get(
    '/console/clips',
    withPage((page) => clipsPage(page)),
  );
  app.post(
    '/console/clips/:id/review',
    withForm(
      (page, f, c) => {
        const id = encodeURIComponent(c.req.param('id') as string);
        return f.decision === 'approve'
          ? page.api('POST', `/api/clips/${id}/approve`)
          : page.api('POST', `/api/clips/${id}/reject`, { reason: String(f.reason ?? '') });
      },
      () => '/console/clips',
      (page, error) => clipsPage(page, error),
    ),
  );
  app.get(
    '/console/audit',
    withPage((page, c) => auditPage(page, c.req.query('object'))),
  );
  alertPages(app, withPage, withForm);
}
