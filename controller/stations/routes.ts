// /api/stations and /api/enrol: the ward and commune radio stations, their credentials, CSV import and
// timetable preview.
import { z } from 'zod';
import type { FailureLimiter } from '../../common/backoff.ts';
import { DEFAULT_TIMEZONE, Id } from '../../schedules/model.ts';
import { utcToZoned, zonedToUtc } from '../../schedules/time.ts';
import { stationArea } from '../areas/store.ts';
import { loadTree } from '../areas/tree.ts';
import type { Db } from '../db.ts';
import type { ControllerDeps } from '../deps.ts';
import { type AnyRoute, areaById, defineRoute, idParam } from '../http/route.ts';
import { buildDesiredState } from '../rules/station-rules.ts';
import { relayListenUrl } from '../stream/service.ts';
import { enrol, issueEnrolmentCode, issueSecret } from './credentials.ts';
import { importStations } from './import.ts';
import { StationListQuery, stationPage } from './list.ts';
import { changeStation, registerStation, StationCreate, StationPatch } from './registry.ts';
import {
  deleteStation,
  getStationRow,
  listStationRows,
  revokeSecret,
  type StationView,
  stationView,
} from './store.ts';
import { previewTimetable } from './timetable.ts';

/** A station's area for scope checks; 404 before anything else if it does not exist. */
const areaOf = (db: Db, id: string) => stationArea(db, getStationRow(db, id).id);
const viewOf = (db: Db, id: string) => stationView(getStationRow(db, id), loadTree(db));

const Range = z.strictObject({
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
});
const Enrol = z.strictObject({ stationId: Id, code: z.string().min(6).max(40) });
const ImportBody = z.strictObject({ csv: z.string().min(1).max(2_000_000) });

export function stationRoutes(deps: ControllerDeps, enrolments: FailureLimiter): AnyRoute[] {
  const { db, clock, desired, log } = deps;
  const inScope = areaById((id) => [areaOf(db, id)]);
  return [
    defineRoute({
      method: 'get',
      path: '/api/stations',
      tag: 'stations',
      summary:
        'List stations with presence and desired-state version (those in your area). Name `cursor` (empty ' +
        'for the first page) to get `{ items, nextCursor }` in name order, each with its last as-run record; ' +
        'without it, every station matching the filters, as before',
      access: 'user',
      query: StationListQuery,
      responses: {
        200: 'the whole list; with `cursor`, one page: { items, nextCursor } (null on the last page)',
      },
      itemArea: (st: StationView) => ({ path: st.areaPath, name: st.name }),
      handle: ({ query, principal }) => {
        const paged = query.cursor !== undefined;
        if (!paged && !query.area && !query.status && !query.q) {
          const tree = loadTree(db);
          return { json: listStationRows(db).map((r) => stationView(r, tree)) };
        }
        const now = clock.now();
        const page = stationPage(db, paged ? query : { ...query, limit: Number.MAX_SAFE_INTEGER - 1 }, {
          scope: principal?.kind === 'user' ? principal.scope : { kind: 'all' },
          todayStart: zonedToUtc(
            utcToZoned(now, DEFAULT_TIMEZONE).date,
            '00:00',
            DEFAULT_TIMEZONE,
          ).toISOString(),
        });
        return { json: paged ? page : page.items.map(({ lastPlay: _, ...st }) => st) };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/stations',
      tag: 'stations',
      summary:
        'Register a station in an area (areaId; as before the area tree, district and ward are still taken); answers its secret once',
      access: 'admin',
      body: StationCreate,
      responses: { 201: 'created, with the secret', 409: 'a station with this id exists' },
      handle: ({ body }) => {
        const { id, secret } = registerStation(db, body, clock.now());
        desired.sync({ stations: [id] });
        return { status: 201, json: { station: viewOf(db, id), secret } };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/stations/:id',
      tag: 'stations',
      summary: 'One station',
      access: 'user',
      area: inScope,
      handle: ({ params }) => ({ json: viewOf(db, idParam(params)) }),
    }),
    defineRoute({
      method: 'patch',
      path: '/api/stations/:id',
      tag: 'stations',
      summary: 'Rename a station, move it to another area (any level), or change its zones',
      access: 'admin',
      body: StationPatch.schema,
      handle: ({ params, body }) => {
        const id = changeStation(db, idParam(params), body, clock.now());
        desired.sync({ stations: [id] });
        return { json: viewOf(db, id) };
      },
    }),
    defineRoute({
      method: 'delete',
      path: '/api/stations/:id',
      tag: 'stations',
      summary: 'Remove a station (its as-run log is kept)',
      access: 'admin',
      handle: ({ params }) => {
        deleteStation(db, getStationRow(db, idParam(params)).id, clock.now());
        return { status: 204, json: null };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/stations/:id/desired',
      tag: 'stations',
      summary: 'The desired state last published to the station',
      access: 'user',
      area: inScope,
      handle: ({ params }) => {
        const row = getStationRow(db, idParam(params));
        return {
          json: {
            version: row.desired_version,
            ...buildDesiredState(db, row.id, clock.now(), deps.stream && relayListenUrl(deps.stream)),
          },
        };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/stations/:id/timetable',
      tag: 'stations',
      summary: "Preview the station's timetable (default: the next 7 days), computed like the agent does",
      access: 'user',
      area: inScope,
      query: Range,
      handle: ({ params, query }) => ({ json: previewTimetable(db, idParam(params), query, clock.now()) }),
    }),
    defineRoute({
      method: 'post',
      path: '/api/stations/:id/enrolment',
      tag: 'stations',
      summary:
        'Issue a one-time enrolment code (valid 72 h) to type or scan at install; it replaces any earlier code',
      access: 'user',
      roles: ['technician'],
      area: inScope,
      handle: ({ params }) => ({ status: 201, json: issueEnrolmentCode(db, idParam(params), clock.now()) }),
    }),
    defineRoute({
      method: 'post',
      path: '/api/enrol',
      tag: 'stations',
      summary:
        'A station exchanges its enrolment code for its long-lived secret (once); 429 after repeated failures',
      access: 'public',
      body: Enrol,
      responses: { 401: 'unknown, used or expired code', 429: 'too many failed attempts' },
      handle: ({ c, body }) => {
        const secret = enrol(db, c, enrolments, body, clock.now());
        deps.stationLinks?.disconnect(body.stationId);
        log.info(`station ${body.stationId} enrolled`);
        // the keys its desired states and bulletins are signed with (docs/security.md#signed-messages)
        const signingKeys = deps.signing?.trusted() ?? [];
        return { json: { stationId: body.stationId, secret, signingKeys } };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/stations/:id/secret',
      tag: 'stations',
      summary: 'Rotate the station secret; the old one stops working at once and its connection is closed',
      access: 'admin',
      area: inScope,
      handle: ({ params }) => {
        const secret = issueSecret(db, idParam(params));
        deps.stationLinks?.disconnect(idParam(params));
        return { json: { stationId: params.id, secret } };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/stations/:id/revoke',
      tag: 'stations',
      summary: 'Revoke the station secret (a stolen Pi): logins and clip downloads refused until re-enrolled',
      access: 'user',
      roles: ['technician'],
      area: inScope,
      handle: ({ params }) => {
        revokeSecret(db, idParam(params));
        deps.stationLinks?.disconnect(idParam(params));
        log.warn(`station ${params.id}: credentials revoked`);
        return { status: 204, json: null };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/stations/import',
      tag: 'stations',
      summary:
        'Create or update stations from CSV text: a header line id,name,area[,timezone] (area: an area id or official code), ' +
        'or as before the area tree id,name,district,ward[,timezone]; all rows or none. New stations enrol with a code.',
      access: 'admin',
      body: ImportBody,
      responses: { 200: 'created and updated ids' },
      handle: ({ body }) => {
        const result = importStations(db, body.csv, clock.now());
        desired.sync({ stations: [...result.created, ...result.updated] });
        return { json: result };
      },
    }),
  ];
}
