// The console routes of bulletins, and the cancel of a local override from a station's page.
import type { Hono } from 'hono';
import type { Form, Page, WithForm, WithPage } from '../context.ts';
import { DATE_WORDS, readStamp } from '../local-time.ts';
import { alertPage } from '../pages/alert.tsx';
import { alertsPage } from '../pages/alerts.tsx';
import { alertWithdrawPage, overrideCancelPage } from '../pages/confirm/stops.tsx';
import { readShape } from '../pages/planning/repeat-fields.tsx';
import { parseTarget } from '../targets.tsx';
import { type Asked, checkFirst, fieldRefusal } from './check-step.tsx';

export function alertPages(app: Hono, withPage: WithPage, withForm: WithForm): void {
  const param = (c: { req: { param(k: string): string | undefined } }) =>
    encodeURIComponent(c.req.param('id') as string);
  app.get(
    '/console/alerts',
    withPage((page) => alertsPage(page)),
  );
  const alertOf = (page: Page, f: Form): Asked => {
    // typed as dd/mm/yyyy HH:mm (or yyyy-mm-ddTHH:mm), read as the city's local time; empty: the default
    const typed = String(f.expiresAt ?? '').trim();
    const expiresAt = typed ? readStamp(typed) : undefined;
    if (expiresAt === null)
      return {
        refusal: {
          status: 400,
          body: { message: DATE_WORDS.badStamp[page.lang](typed), field: 'expiresAt' },
        },
      };
    const read = readShape(page, f);
    if ('refusal' in read) return read;
    const body = {
      level: f.level,
      title: f.title,
      reason: f.reason,
      clipId: f.clipId,
      targets: [f.targets ?? []].flat().map(parseTarget),
      expiresAt,
      ignoreQuietWindows: f.ignoreQuietWindows === 'on',
      ...read.shape,
    };
    return { ask: { kind: 'alert', body } };
  };
  const alertsAgain = (page: Page, error: string | undefined) => alertsPage(page, error);
  app.post(
    '/console/alerts',
    checkFirst(
      app,
      withForm(
        async (page, f) => {
          const alert = alertOf(page, f);
          return 'ask' in alert ? page.api('POST', '/api/alerts', alert.ask.body) : fieldRefusal(alert);
        },
        // straight to the new bulletin's page, to watch it arrive at the stations
        (_c, _f, answer) => `/console/alerts/${encodeURIComponent(String(answer.body.id))}`,
        alertsAgain,
      ),
      // an emergency goes at once: no step between the sender and the air (docs/console.md)
      { read: (page, f) => (f.level === 'emergency' ? { now: true } : alertOf(page, f)), again: alertsAgain },
    ),
  );
  app.get(
    '/console/alerts/:id',
    withPage((page, c) => alertPage(page, c.req.param('id') as string)),
  );
  app.get(
    '/console/alerts/:id/cancel',
    withPage((page, c) => alertWithdrawPage(page, c.req.param('id') as string)),
  );
  app.post(
    '/console/alerts/:id/cancel',
    withForm(
      (page, f, c) =>
        page.api('POST', `/api/alerts/${param(c)}/cancel`, f.reason ? { reason: String(f.reason) } : {}),
      (c) => `/console/alerts/${param(c)}`,
      (page, error, c) => alertPage(page, c.req.param('id') as string, error),
    ),
  );
  app.get(
    '/console/overrides/:id/cancel',
    withPage((page, c) => overrideCancelPage(page, c.req.param('id') as string, c.req.query('back'))),
  );
  app.post(
    '/console/overrides/:id/cancel',
    withForm(
      (page, f, c) =>
        page.api('POST', `/api/overrides/${param(c)}/cancel`, f.reason ? { reason: String(f.reason) } : {}),
      (_c, f) => (String(f.back).startsWith('/console/') ? String(f.back) : '/console'),
      async (page, error) => alertsPage(page, error),
    ),
  );
}
