// The console routes of planning: campaigns and their slots, quiet windows (and their copies) and
// air-time policies.
import type { Context, Hono } from 'hono';
import { type Form, type Page, pageContext, type WithForm, type WithPage } from '../context.ts';
import { formDays } from '../forms.tsx';
import { policyDeletePage, quietDeletePage, slotDeletePage } from '../pages/confirm/confirm.tsx';
import { campaignPage, campaignsPage } from '../pages/planning/campaigns.tsx';
import { dayRulesOf, inLanguage } from '../pages/planning/day-rules.tsx';
import { quietWindowsPage } from '../pages/planning/quiet.tsx';
import { reportPrintPage } from '../pages/planning/report.tsx';
import { parseTarget } from '../targets.tsx';
import { type Asked, checkFirst, fieldRefusal } from './check-step.tsx';
import { policyFields, quietFields, relayFields, slotFields } from './rule-forms.ts';

export function planningPages(app: Hono, withPage: WithPage, withForm: WithForm): void {
  app.get(
    '/console/campaigns',
    withPage((page) => campaignsPage(page)),
  );
  app.post(
    '/console/campaigns',
    withForm(
      async (page, f) => {
        // no area chosen: the API's default (a technician's one area, else the whole tree)
        const area = parseTarget(f.area);
        const dates = formDays(page, f, ['startDate', 'endDate']);
        if ('refusal' in dates) return dates.refusal;
        return page.api('POST', '/api/campaigns', {
          name: f.name,
          message: f.message,
          ...dates.days,
          ...('id' in area && area.id ? { areaId: area.id } : {}),
        });
      },
      () => '/console/campaigns',
      (page, error) => campaignsPage(page, error),
    ),
  );
  app.get(
    '/console/campaigns/:id',
    withPage((page, c) => campaignPage(page, c.req.param('id') as string)),
  );
  const slotOf = (page: Page, f: Form, c: Context): Asked => {
    const slot = slotFields(page, f);
    if ('refusal' in slot) return slot;
    return { ask: { kind: 'slot', body: { campaignId: c.req.param('id'), ...slot.body } } };
  };
  const campaignAgain = (page: Page, error: string | undefined, c: Context) =>
    campaignPage(page, c.req.param('id') as string, error);
  app.post(
    '/console/campaigns/:id/slots',
    checkFirst(
      app,
      withForm(
        async (page, f, c) => {
          const slot = slotOf(page, f, c);
          return 'ask' in slot ? page.api('POST', '/api/slots', slot.ask.body) : fieldRefusal(slot);
        },
        (c) => `/console/campaigns/${c.req.param('id')}`,
        campaignAgain,
      ),
      { read: slotOf, again: campaignAgain },
    ),
  );
  const relayOf = (page: Page, f: Form, c: Context): Asked => {
    const relay = relayFields(page, f);
    if ('refusal' in relay) return relay;
    return { ask: { kind: 'slot', body: { campaignId: c.req.param('id'), ...relay.body } } };
  };
  app.post(
    '/console/campaigns/:id/relays',
    checkFirst(
      app,
      withForm(
        async (page, f, c) => {
          const relay = relayOf(page, f, c);
          return 'ask' in relay ? page.api('POST', '/api/slots', relay.ask.body) : fieldRefusal(relay);
        },
        (c) => `/console/campaigns/${c.req.param('id')}`,
        campaignAgain,
      ),
      { read: relayOf, again: campaignAgain },
    ),
  );
  app.get(
    '/console/slots/:id/delete',
    withPage((page, c) => slotDeletePage(page, c.req.param('id') as string, c.req.query('back'))),
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
  // holidays and lunar dates: what cannot be read is answered here, the rest by the API
  const quietOf = (page: Page, f: Form): Asked => {
    const days = dayRulesOf(f, page);
    if ('error' in days) return { refusal: { status: 400, body: { message: days.error } } };
    const quiet = quietFields(page, f);
    if ('refusal' in quiet) return quiet;
    return { ask: { kind: 'quiet-window', body: { ...days.rules, ...quiet.body } } };
  };
  const quietAgain = (page: Page, error: string | undefined) => quietWindowsPage(page, error);
  app.post(
    '/console/quiet-windows',
    checkFirst(
      app,
      withForm(
        async (page, f) => {
          const quiet = quietOf(page, f);
          if (!('ask' in quiet)) return fieldRefusal(quiet);
          return inLanguage(page, await page.api('POST', '/api/quiet-windows', quiet.ask.body));
        },
        () => '/console/quiet-windows',
        quietAgain,
      ),
      { read: quietOf, again: quietAgain },
    ),
  );
  app.get(
    '/console/quiet-windows/:id/delete',
    withPage((page, c) => quietDeletePage(page, c.req.param('id') as string)),
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
  const policyOf = (page: Page, f: Form): Asked => {
    const policy = policyFields(page, f);
    if ('error' in policy) return { refusal: { status: 400, body: { message: policy.error } } };
    return { ask: { kind: 'policy', body: policy.body } };
  };
  app.post(
    '/console/airtime-policies',
    checkFirst(
      app,
      withForm(
        async (page, f) => {
          const policy = policyOf(page, f);
          if (!('ask' in policy)) return fieldRefusal(policy);
          return inLanguage(page, await page.api('POST', '/api/airtime-policies', policy.ask.body));
        },
        () => '/console/quiet-windows',
        quietAgain,
      ),
      { read: policyOf, again: quietAgain },
    ),
  );
  app.get(
    '/console/airtime-policies/:id/delete',
    withPage((page, c) => policyDeletePage(page, c.req.param('id') as string)),
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
}
