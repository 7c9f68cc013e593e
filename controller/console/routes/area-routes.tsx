// The console routes of the area tree: the tree and its filter, adding and correcting areas, the levels,
// the official list's import (previewed), reorganisations (previewed, then confirmed), and placing a
// station under an area. Every change is the /api/areas or /api/stations API, called in-process.
import type { Context, Hono } from 'hono';
import { type Form, formCsrfOk, type Page, pageContext, type WithForm, type WithPage } from '../context.ts';
import { ImportResult } from '../pages/areas/area-forms.tsx';
import { areasPage } from '../pages/areas/areas.tsx';
import { operationOf, ReorganisePreview } from '../pages/areas/reorganise.tsx';
import { loadPlaces, parseTarget } from '../targets.tsx';

const one = (v: unknown) => String([v ?? ''].flat()[0] ?? '').trim();
const areaOf = (v: unknown) => {
  const t = parseTarget(one(v));
  return 'id' in t ? t.id : '';
};
const back = () => '/console/areas';
const again = (page: Page, error: string) => areasPage(page, { error });

export function areaPages(app: Hono, withPage: WithPage, withForm: WithForm): void {
  /** A form post that answers a page (a preview) rather than going back: CSRF checked as withForm does. */
  const postPage =
    (render: (page: Page, form: Form, c: Context) => Promise<unknown>) => async (c: Context) => {
      const page = await pageContext(c, app);
      if (!page) return c.redirect('/console/login', 303);
      const form = (await c.req.parseBody({ all: true })) as Form;
      if (!formCsrfOk(c, form)) return c.text('CSRF token missing or wrong', 403);
      const out = await render(page, form, c);
      return out instanceof Response ? out : c.html(out as string);
    };

  app.get(
    '/console/areas',
    withPage((page, c) =>
      areasPage(page, {
        // the filter's picker sends `area:<id>`, the tree's links the id alone
        focus:
          (c.req.query('area')?.includes(':') ? areaOf(c.req.query('area')) : c.req.query('area')) ||
          undefined,
        notice: c.req.query('applied') ? page.t('applied') : undefined,
      }),
    ),
  );
  app.post(
    '/console/areas/add',
    withForm(
      (page, f) =>
        page.api('POST', '/api/areas', {
          ...(one(f.id) ? { id: one(f.id) } : {}),
          name: one(f.name),
          code: one(f.code) || null,
          level: one(f.level),
          parentId: areaOf(f.parent) || null,
        }),
      back,
      again,
    ),
  );
  app.post(
    '/console/areas/correct',
    withForm(
      (page, f) =>
        page.api('PATCH', `/api/areas/${encodeURIComponent(areaOf(f.area))}`, {
          ...(one(f.name) ? { name: one(f.name) } : {}),
          ...(one(f.code) ? { code: one(f.code) } : {}),
        }),
      back,
      again,
    ),
  );
  app.post(
    '/console/areas/levels',
    withForm(
      (page, f) => {
        const names = [f.levelName ?? []].flat().map(String);
        const levels = [f.levelId ?? []]
          .flat()
          .map((id, i) => ({ id: String(id).trim(), name: (names[i] ?? '').trim() }))
          .filter((l) => l.id || l.name);
        return page.api('POST', '/api/areas/levels', { levels });
      },
      back,
      again,
    ),
  );
  app.post(
    '/console/areas/official',
    postPage(async (page, f, c) => {
      const r = await page.api('POST', '/api/areas/import', {
        csv: one(f.csv),
        dryRun: one(f.dryRun) !== 'false',
      });
      if (r.status >= 300) {
        c.status(r.status as 400);
        return areasPage(page, { error: importError(r.body) });
      }
      const places = await loadPlaces(page);
      return areasPage(page, { preview: <ImportResult page={page} places={places} r={r.body} /> });
    }),
  );
  app.post(
    '/console/areas/reorganise',
    postPage(async (page, f, c) => {
      const confirm = one(f.confirm) === 'yes';
      let op: Record<string, unknown>;
      try {
        op = confirm ? JSON.parse(one(f.op)) : operationOf(f, await loadPlaces(page));
      } catch {
        c.status(400);
        return areasPage(page, { error: 'op: not JSON' });
      }
      const r = await page.api('POST', `/api/areas/reorganise?dryRun=${confirm ? 'false' : 'true'}`, op);
      if (r.status >= 300) {
        c.status(r.status as 400);
        return areasPage(page, { error: importError(r.body) });
      }
      if (confirm) return c.redirect('/console/areas?applied=1', 303);
      const places = await loadPlaces(page);
      return areasPage(page, {
        preview: <ReorganisePreview page={page} places={places} p={r.body} op={op} />,
      });
    }),
  );

  // stations: the CSV import (area column) and placing one under an area
  app.post(
    '/console/areas/import',
    withForm((page, f) => page.api('POST', '/api/stations/import', { csv: one(f.csv) }), back, again),
  );
  app.post(
    '/console/areas/stations',
    withForm(
      (page, f) =>
        page.api('PATCH', `/api/stations/${encodeURIComponent(one(f.station).replace(/^station:/, ''))}`, {
          ...(one(f.name) ? { name: one(f.name) } : {}),
          areaId: areaOf(f.area),
        }),
      back,
      again,
    ),
  );
}

/** The API's reason, with the first of its details (the CSV line, the field). */
function importError(body: unknown): string {
  const b = (body ?? {}) as { message?: string; details?: unknown };
  const first = Array.isArray(b.details) ? b.details[0] : undefined;
  const detail = typeof first === 'string' ? first : first ? JSON.stringify(first) : '';
  return [b.message ?? 'error', detail && !b.message?.includes(detail) ? detail : '']
    .filter(Boolean)
    .join(': ');
}
