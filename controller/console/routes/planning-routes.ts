// The console routes of planning: campaigns and their slots, quiet windows (and their copies) and
// air-time policies.
import type { Hono } from 'hono';
import { pageContext, type WithForm, type WithPage } from '../context.ts';
import { formClocks, formDays, weekdaysOf } from '../forms.tsx';
import { policyDeletePage, quietDeletePage, slotDeletePage } from '../pages/confirm/confirm.tsx';
import { campaignPage, campaignsPage } from '../pages/planning/campaigns.tsx';
import { dayRulesOf, inLanguage } from '../pages/planning/day-rules.tsx';
import { quietWindowsPage } from '../pages/planning/quiet.tsx';
import { reportPrintPage } from '../pages/planning/report.tsx';
import { parseTarget } from '../targets.tsx';
import { quietFields, slotFields } from './rule-forms.ts';

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
  app.post(
    '/console/campaigns/:id/slots',
    withForm(
      async (page, f, c) => {
        const slot = slotFields(page, f);
        if ('refusal' in slot) return slot.refusal;
        return page.api('POST', '/api/slots', { campaignId: c.req.param('id'), ...slot.body });
      },
      (c) => `/console/campaigns/${c.req.param('id')}`,
      (page, error, c) => campaignPage(page, c.req.param('id') as string, error),
    ),
  );
  app.post(
    '/console/campaigns/:id/relays',
    withForm(
      async (page, f, c) => {
        const dates = formDays(page, f, ['startDate', 'endDate']);
        if ('refusal' in dates) return dates.refusal;
        const times = formClocks(page, f, ['startTime', 'endTime']);
        if ('refusal' in times) return times.refusal;
        return page.api('POST', '/api/slots', {
          campaignId: c.req.param('id'),
          clipIds: f.fallbackClipId ? [f.fallbackClipId] : [],
          relay: {
            url: String(f.url ?? '').trim(),
            endTime: times.clocks.endTime,
            via: f.viaServer ? 'stream-server' : 'direct',
          },
          startTime: times.clocks.startTime,
          weekdays: weekdaysOf(f.weekdays),
          ...dates.days,
          target: parseTarget(f.target),
        });
      },
      (c) => `/console/campaigns/${c.req.param('id')}`,
      (page, error, c) => campaignPage(page, c.req.param('id') as string, error),
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
  app.post(
    '/console/quiet-windows',
    withForm(
      async (page, f) => {
        // holidays and lunar dates: what cannot be read is answered here, the rest by the API
        const days = dayRulesOf(f, page);
        if ('error' in days) return { status: 400, body: { message: days.error } };
        const quiet = quietFields(page, f);
        if ('refusal' in quiet) return quiet.refusal;
        return inLanguage(
          page,
          await page.api('POST', '/api/quiet-windows', { ...days.rules, ...quiet.body }),
        );
      },
      () => '/console/quiet-windows',
      (page, error) => quietWindowsPage(page, error),
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
  app.post(
    '/console/airtime-policies',
    withForm(
      async (page, f) => {
        const n = (v: unknown) => (v ? Number(v) : undefined);
        const days = dayRulesOf(f, page);
        if ('error' in days) return { status: 400, body: { message: days.error } };
        return inLanguage(
          page,
          await page.api('POST', '/api/airtime-policies', {
            target: parseTarget(f.target),
            policy: {
              maxSessionsPerDay: n(f.maxSessionsPerDay),
              maxMinutesPerSession: n(f.maxMinutesPerSession),
              maxDaysPerWeek: n(f.maxDaysPerWeek),
              enforcement: f.enforcement,
              ...days.rules,
            },
          }),
        );
      },
      () => '/console/quiet-windows',
      (page, error) => quietWindowsPage(page, error),
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
