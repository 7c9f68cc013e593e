// The console routes of stations: the station list and one station's page (areas: area-routes.tsx beside it).
import type { Hono } from 'hono';
import type { WithForm, WithPage } from '../context.ts';
import { parseFilter, stationsPage } from '../pages/station-list.tsx';
import { stationPage } from '../pages/stations.tsx';

export function stationPages(app: Hono, withPage: WithPage, _withForm: WithForm): void {
  app.get(
    '/console',
    withPage((page, c) =>
      stationsPage(page, parseFilter(c.req.query('filter')), {
        q: c.req.query('q'),
        area: c.req.query('area'),
        cursor: c.req.query('cursor'),
      }),
    ),
  );
  app.get(
    '/console/stations/:id',
    withPage((page, c) =>
      stationPage(page, c.req.param('id') as string, c.req.query('week'), c.req.query('plays')),
    ),
  );
}
