// /api/plays and /api/reports: the as-run log queried by station, campaign and time, and campaign reports.
import { z } from 'zod';
import { Id } from '../../schedules/model.ts';
import { Outcome } from '../../schedules/protocol.ts';
import { areaPlace, stationArea } from '../areas/store.ts';
import { getAreaRow } from '../areas/tree.ts';
import { areaOfCampaign } from '../campaigns/campaigns.ts';
import { getCampaign } from '../campaigns/store.ts';
import type { ControllerDeps } from '../deps.ts';
import { containsPattern, decodeCursor, fold, PageQuery, pageOf, registerFold } from '../http/page.ts';
import { type AnyRoute, areaById, defineRoute, idParam } from '../http/route.ts';
import { areaReport } from './area-report.ts';
import { areaDaysCsv, campaignPlaysCsv } from './csv.ts';
import { campaignReport } from './report.ts';
import { stationReport } from './station-report.ts';
import { listPlays, playView } from './store.ts';

const Instant = z.iso.datetime({ offset: true }).transform((s) => new Date(s).toISOString());

const PlayQuery = z.strictObject({
  station: Id.optional(),
  campaign: Id.optional(),
  outcome: Outcome.optional(),
  from: Instant.optional(),
  to: Instant.optional(),
  limit: z.coerce.number().int().min(1).max(5000).default(500),
  ...PageQuery,
  area: Id.optional().describe('only stations in or under this area'),
  status: Outcome.optional().describe('the outcome (as `outcome`)'),
});

export function playRoutes(deps: ControllerDeps): AnyRoute[] {
  const { db } = deps;
  return [
    defineRoute({
      method: 'get',
      path: '/api/plays',
      tag: 'as-run',
      summary:
        'As-run log: what each station played or skipped and why (newest first; from inclusive, to exclusive). ' +
        'Name `cursor` (empty for the first page) to get `{ items, nextCursor }`; q looks in station names and ids',
      access: 'user',
      query: PlayQuery,
      responses: {
        200: 'the whole list; with `cursor`, one page: { items, nextCursor } (null on the last page)',
      },
      itemArea: (p: { stationId: string }) => stationArea(db, p.stationId),
      handle: ({ query, principal }) => {
        const { cursor, area, status, q, ...rest } = query;
        const areaSets = [
          ...(area ? [[area]] : []),
          ...(principal?.kind === 'user' && principal.scope.kind === 'areas' ? [principal.scope.ids] : []),
        ];
        if (q) registerFold(db);
        const filter = {
          ...rest,
          outcome: rest.outcome ?? status,
          areaSets,
          stationText: q ? containsPattern(fold(q)) : undefined,
        };
        if (cursor === undefined) return { json: listPlays(db, filter).map(playView) };
        const rows = listPlays(db, { ...filter, limit: rest.limit + 1, after: decodeCursor(cursor, 3) });
        return { json: pageOf(rows, rest.limit, (r) => [r.scheduled_at, r.station_id, r.id], playView) };
      },
    }),
  ];
}

const ReportQuery = z.strictObject({ area: Id.optional(), level: Id.optional() });
const AreaReportQuery = z.strictObject({ from: Instant, to: Instant, level: Id.optional() });

export function reportRoutes(deps: ControllerDeps): AnyRoute[] {
  const { db, clock } = deps;
  const areaOf = areaById((id) => [areaOfCampaign(db, getCampaign(db, id).area_id)]);
  return [
    defineRoute({
      method: 'get',
      path: '/api/reports/campaigns/:id',
      tag: 'reports',
      summary:
        'Campaign report: planned, played, skipped by reason, failed, missed, minutes on air; per area (as named ' +
        'then; area= only under one area, level= grouped by the areas of a level), per day; stations that never confirmed',
      access: 'user',
      roles: ['technician', 'reviewer', 'viewer'],
      query: ReportQuery,
      area: areaOf,
      handle: ({ params, principal, query }) => ({
        json: campaignReport(db, idParam(params), principal, clock.now(), query),
      }),
    }),
    defineRoute({
      method: 'get',
      path: '/api/reports/areas/:id',
      tag: 'reports',
      summary:
        "An area's as-run records in [from, to) at the stations that lay under it at the time, by area as the " +
        'areas were named then (level= groups by the areas of a level); an area merged away still has its report',
      access: 'user',
      roles: ['technician', 'reviewer', 'viewer', 'ward'],
      query: AreaReportQuery,
      area: areaById((id) => [areaPlace(db, getAreaRow(db, id).id)]),
      handle: ({ params, query }) => ({ json: areaReport(db, idParam(params), query) }),
    }),
    defineRoute({
      method: 'get',
      path: '/api/reports/areas/:id/days.csv',
      tag: 'reports',
      summary:
        "An area's period as CSV, a line per station and local day (what was played, skipped, failed, missed, " +
        'cut, minutes on air), from the day summaries, so it covers years whose rows are archived',
      access: 'user',
      roles: ['technician', 'reviewer', 'viewer', 'ward'],
      query: AreaReportQuery.omit({ level: true }),
      area: areaById((id) => [areaPlace(db, getAreaRow(db, id).id)]),
      handle: ({ c, params, query }) => {
        c.header('content-disposition', `attachment; filename="bao-cao-${params.id}-theo-ngay.csv"`);
        return c.body(areaDaysCsv(db, idParam(params), query), 200, {
          'content-type': 'text/csv; charset=utf-8',
        });
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/reports/stations/:id',
      tag: 'reports',
      summary:
        "A station's as-run records in [from, to), counted by local day (a year reads its day summaries); ends " +
        'among rows already archived are widened to whole days, and `from`/`to` say what was counted',
      access: 'user',
      roles: ['technician', 'reviewer', 'viewer', 'ward'],
      query: AreaReportQuery.omit({ level: true }),
      area: areaById((id) => [stationArea(db, id)]),
      handle: ({ params, query }) => ({ json: stationReport(db, idParam(params), query) }),
    }),
    defineRoute({
      method: 'get',
      path: '/api/reports/campaigns/:id/plays.csv',
      tag: 'reports',
      summary: "The campaign's as-run records as CSV (the rows of /api/plays?campaign=ID, within your area)",
      access: 'user',
      roles: ['technician', 'reviewer', 'viewer'],
      area: areaOf,
      handle: ({ c, params, principal }) => {
        c.header('content-disposition', `attachment; filename="bao-cao-${params.id}.csv"`);
        return c.body(campaignPlaysCsv(db, idParam(params), principal), 200, {
          'content-type': 'text/csv; charset=utf-8',
        });
      },
    }),
  ];
}
