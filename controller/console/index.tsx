// The technician's web console under /console: sign-in, language, and the page routes of each part, every
// page a client of the /api routes.
import type { Context, Hono } from 'hono';
import { deleteCookie, setCookie } from 'hono/cookie';
import type { ControllerConfig } from '../config.ts';
import { nationalPages } from '../national/console/mount.ts';
import type { AirTimeWarning } from '../policies/airtime.ts';
import { SESSION_COOKIE } from '../users/auth.ts';
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
import { translator } from './i18n.ts';
import { LoginPage } from './layout.tsx';
import { mobilePages } from './pages/areas/mobile.tsx';
import { backupPages } from './pages/backups.tsx';
import { livePages } from './pages/live.tsx';
import { provincePages } from './pages/province/province.tsx';
import { dictionaryPages } from './pages/speech/dictionary.tsx';
import { stationsPage } from './pages/station-list.tsx';
import { faultOf } from './refused-form.tsx';
import { alertPages } from './routes/alert-routes.ts';
import { areaPages } from './routes/area-routes.tsx';
import { editPages } from './routes/edit-routes.ts';
import { libraryPages } from './routes/library-routes.ts';
import { planningPages } from './routes/planning-routes.ts';
import { stationPages } from './routes/station-routes.ts';
import { problemText } from './say/problems.ts';
import { mountStyle } from './style.ts';

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
    const warnings = (r.body as { airTimeWarnings?: AirTimeWarning[] }).airTimeWarnings;
    if (r.status < 300 && warnings?.length) {
      // Saved, but the person must see what the air-time policy says about it.
      const list = warnings
        .map((w) => `${w.stationName}: ${page.lang === 'vi' ? w.messageVi : w.message}`)
        .join('; ');
      return c.html((await again(page, `${page.t('savedWithWarnings')}: ${list}`, c)) as string);
    }
    if (r.status < 300) return c.redirect(back(c, form, r), 303);
    c.status(r.status as 400);
    const fault = faultOf(r.body, page);
    page.refused = { action: c.req.path, form, fault };
    // a reason the console knows in the person's language says it at the top too; else the API's own
    const known = fault && fault.message !== page.t('fieldInvalid') ? fault.message : undefined;
    return c.html((await again(page, known ?? r.body?.message ?? `HTTP ${r.status}`, c)) as string);
  };

  app.get('/', (c) => c.redirect('/console', 302));
  mountStyle(app);
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
      const lang = langOf(c);
      c.status(res.status === 429 ? 429 : 401);
      return c.html(
        <LoginPage
          lang={lang}
          error={res.status === 429 ? problemText(lang, 429, body) : translator(lang)('wrongLogin')}
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

  // A national controller has its own pages and none of a province's (docs/national.md).
  if (config.role === 'national') {
    nationalPages(app, withPage, withForm);
    return;
  }
  stationPages(app, withPage, withForm);
  areaPages(app, withPage, withForm);
  planningPages(app, withPage, withForm);
  editPages(app, withPage, withForm);
  libraryPages(app, withPage, withForm);
  alertPages(app, withPage, withForm);
  livePages(app, withPage);
  mobilePages(app, withPage);
  backupPages(app, withPage, withForm);
  dictionaryPages(app, withPage, withForm);
  provincePages(app, withPage);
}
