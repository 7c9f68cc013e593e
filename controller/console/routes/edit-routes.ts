// The console routes that change a slot or a quiet window in place: the edit page (GET) and its save (a
// PATCH of the API, POST from the form); refused, the page comes back as typed.
import type { Hono } from 'hono';
import type { WithForm, WithPage } from '../context.ts';
import { formClocks, formDayList, formDays, weekdaysOf } from '../forms.tsx';
import { DATE_WORDS } from '../local-time.ts';
import { quietEditPage, slotEditPage } from '../pages/planning/edit.tsx';
import { parseTarget } from '../targets.tsx';

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
        const dates = formDays(page, f, ['startDate', 'endDate']);
        if ('refusal' in dates) return dates.refusal;
        const times = formClocks(page, f, ['startTime'], ['flexibleUntil']);
        if ('refusal' in times) return times.refusal;
        const saved = await page.api('PATCH', `/api/slots/${encodeURIComponent(id(c))}`, {
          clipIds: [f.clipId],
          startTime: times.clocks.startTime,
          flexibleUntil: times.clocks.flexibleUntil ?? null,
          weekdays: weekdaysOf(f.weekdays),
          ...dates.days,
          target: parseTarget(f.target),
        });
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
        const dates = formDays(page, f, ['startDate', 'endDate']);
        if ('refusal' in dates) return dates.refusal;
        const times = formClocks(page, f, ['startTime', 'endTime']);
        if ('refusal' in times) return times.refusal;
        const except = formDayList(f.exceptDates);
        if ('bad' in except)
          return {
            status: 400,
            body: { message: DATE_WORDS.badDay[page.lang](except.bad), field: 'exceptDates' },
          };
        return page.api('PATCH', `/api/quiet-windows/${encodeURIComponent(id(c))}`, {
          reason: f.reason,
          ...times.clocks,
          ...dates.days,
          weekdays: weekdaysOf(f.weekdays),
          target: parseTarget(f.target),
          exceptDates: except.days,
          note: String(f.note ?? ''),
        });
      },
      () => '/console/quiet-windows',
      (page, error, c) => quietEditPage(page, id(c), error),
    ),
  );
}
