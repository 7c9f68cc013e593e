// Stations: the ward and commune radio stations, their credentials and their timetable preview.
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { compileTimetable } from '../schedules/compile.ts';
import {
  DEFAULT_TAIL_MS,
  DEFAULT_TIMEZONE,
  DEFAULT_WARM_UP_MS,
  Id,
  type StationInfo,
} from '../schedules/model.ts';
import { alertPlansFor } from './alerts/store.ts';
import { issueSecret } from './credentials.ts';
import type { Db } from './db.ts';
import type { ControllerDeps } from './deps.ts';
import { allRulesFor, buildDesiredState } from './desired.ts';
import { badRequest, conflict, notFound } from './errors.ts';
import { overridesFor } from './overrides.ts';
import { defineRoute } from './routes.ts';
import type { Area } from './scope.ts';

const TimeZone = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, 'unknown IANA time zone');

const StationFields = z.strictObject({
  name: z.string().trim().min(1).max(200),
  district: Id,
  ward: Id,
  timezone: TimeZone.default(DEFAULT_TIMEZONE),
});
export const StationCreate = StationFields.extend({ id: Id.optional() });
const StationPatch = StationFields.partial();

interface StationRow {
  id: string;
  name: string;
  district: string;
  ward: string;
  timezone: string;
  desired_version: number;
  online: number;
  presence_at: string | null;
  health_json: string | null;
}

const view = (r: StationRow) => ({
  id: r.id,
  name: r.name,
  district: r.district,
  ward: r.ward,
  timezone: r.timezone,
  desiredVersion: r.desired_version,
  online: r.online === 1,
  presenceAt: r.presence_at,
  health: r.health_json ? JSON.parse(r.health_json) : null,
});

export function stationInfo(db: Db, id: string): StationInfo {
  const r = db.prepare('SELECT id, name, district, ward, timezone FROM stations WHERE id = ?').get(id) as
    | StationInfo
    | undefined;
  if (!r) throw notFound('station', id);
  return r;
}

const getRow = (db: Db, id: string) => {
  const r = db.prepare('SELECT * FROM stations WHERE id = ?').get(id) as StationRow | undefined;
  if (!r) throw notFound('station', id);
  return r;
};

/** A station's area for scope checks; 404 before anything else if it does not exist. */
const areaOf = (db: Db, id: string): Area => {
  const r = getRow(db, id);
  return { district: r.district, ward: r.ward };
};

const Range = z.strictObject({
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
});

export function stationRoutes(deps: ControllerDeps) {
  const { db, clock, desired } = deps;
  return [
    defineRoute({
      method: 'get',
      path: '/api/stations',
      tag: 'stations',
      summary: 'List stations with presence and desired-state version (those in your area)',
      access: 'user',
      itemArea: (st: { district: string; ward: string }) => ({ district: st.district, ward: st.ward }),
      handle: () => ({
        json: (db.prepare('SELECT * FROM stations ORDER BY id').all() as StationRow[]).map(view),
      }),
    }),
    defineRoute({
      method: 'post',
      path: '/api/stations',
      tag: 'stations',
      summary: 'Register a station; answers its secret once (MQTT password and clip download token)',
      access: 'admin',
      body: StationCreate,
      responses: { 201: 'created, with the secret', 409: 'a station with this id exists' },
      handle: ({ body }) => {
        const id = body.id ?? `st-${randomBytes(4).toString('hex')}`;
        if (db.prepare('SELECT 1 FROM stations WHERE id = ?').get(id))
          throw conflict(`station '${id}' already exists`);
        // A placeholder hash until the real secret is issued in the same transaction.
        const secret = db.transaction(() => {
          db.prepare(
            `INSERT INTO stations (id, name, district, ward, timezone, secret_hash, created_at)
             VALUES (?, ?, ?, ?, ?, ?, ?)`,
          ).run(
            id,
            body.name,
            body.district,
            body.ward,
            body.timezone,
            `pending-${id}`,
            clock.now().toISOString(),
          );
          return issueSecret(db, id);
        })();
        desired.sync();
        return { status: 201, json: { station: view(getRow(db, id)), secret } };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/stations/:id',
      tag: 'stations',
      summary: 'One station',
      access: 'user',
      area: ({ params }) => [areaOf(db, params.id as string)],
      handle: ({ params }) => ({ json: view(getRow(db, params.id as string)) }),
    }),
    defineRoute({
      method: 'patch',
      path: '/api/stations/:id',
      tag: 'stations',
      summary: 'Rename or move a station to another ward/district',
      access: 'admin',
      body: StationPatch,
      handle: ({ params, body }) => {
        const cur = getRow(db, params.id as string);
        const next = { ...cur, ...body };
        db.prepare('UPDATE stations SET name = ?, district = ?, ward = ?, timezone = ? WHERE id = ?').run(
          next.name,
          next.district,
          next.ward,
          next.timezone,
          cur.id,
        );
        desired.sync();
        return { json: view(getRow(db, cur.id)) };
      },
    }),
    defineRoute({
      method: 'delete',
      path: '/api/stations/:id',
      tag: 'stations',
      summary: 'Remove a station (its as-run log is kept)',
      access: 'admin',
      handle: ({ params }) => {
        getRow(db, params.id as string);
        db.prepare('DELETE FROM stations WHERE id = ?').run(params.id);
        return { status: 204, json: null };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/stations/:id/desired',
      tag: 'stations',
      summary: 'The desired state last published to the station',
      access: 'user',
      area: ({ params }) => [areaOf(db, params.id as string)],
      handle: ({ params }) => {
        const row = getRow(db, params.id as string);
        return { json: { version: row.desired_version, ...buildDesiredState(db, row.id, clock.now()) } };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/stations/:id/timetable',
      tag: 'stations',
      summary: "Preview the station's timetable (default: the next 7 days), computed like the agent does",
      access: 'user',
      area: ({ params }) => [areaOf(db, params.id as string)],
      query: Range,
      handle: ({ params, query }) => {
        const rules = allRulesFor(db, params.id as string);
        const from = query.from ? new Date(query.from) : clock.now();
        const to = query.to ? new Date(query.to) : new Date(from.getTime() + 7 * 86_400_000);
        if (to <= from) throw badRequest('"to" must be after "from"');
        if (to.getTime() - from.getTime() > 62 * 86_400_000)
          throw badRequest('preview at most 62 days at a time');
        // What the station reported (local overrides) and the bulletins sent to it go through the same
        // precedence as on the station.
        const input = {
          ...rules,
          overrides: overridesFor(db, rules.station.id, from, to),
          alerts: alertPlansFor(db, rules.station, from, to),
        };
        // The agent's default warm-up and tail count as on-air time, so the preview skips what it skips.
        return {
          json: compileTimetable(input, { from, to, leadMs: DEFAULT_WARM_UP_MS, tailMs: DEFAULT_TAIL_MS }),
        };
      },
    }),
  ];
}
