// The console routes of stations and areas: the station list and pages, the area tree, CSV import and
// moving a station.
import type { Hono } from 'hono';
import type { WithForm, WithPage } from './context.ts';
import { areasPage } from './pages/areas.tsx';
import { parseFilter, stationPage, stationsPage } from './pages/stations.tsx';

export function stationPages(app: Hono, withPage: WithPage, withForm: WithForm): void {
  app.get(
    '/console',
    withPage((page, c) => stationsPage(page, parseFilter(c.req.query('filter')))),
  );
  app.get(
    '/console/stations/:id',
    withPage((page, c) => stationPage(page, c.req.param('id') as string, c.req.query('week'))),
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
}
