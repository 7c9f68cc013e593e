// /api/overrides: local overrides made by ward staff at their station (stop, pause, skip, local quiet
// window, announcement, volume), as the stations report them, and their cancellation from here.
import { z } from 'zod';
import { Id } from '../schedules/model.ts';
import { type Override, OverrideReport } from '../schedules/overrides.ts';
import type { Db } from './db.ts';
import type { ControllerDeps, Logger } from './deps.ts';
import { conflict, notFound } from './errors.ts';
import { type AnyRoute, defineRoute } from './routes.ts';
import { stationArea } from './scope.ts';

interface OverrideRow {
  id: string;
  station_id: string;
  kind: string;
  starts_at: string;
  ends_at: string;
  cancelled_at: string | null;
  body: string;
  first_reported_at: string;
  reported_at: string;
  cancel_requested_at: string | null;
  cancel_requested_by: string | null;
  cancel_reason: string | null;
}
type Joined = OverrideRow & { district: string | null; ward: string | null; station_name: string | null };

/** Stores a station's retained override report: upserted by id, kept after they leave the report. */
export function ingestOverrides(db: Db, stationId: string, json: unknown, now: Date, log: Logger): number {
  const r = OverrideReport.safeParse(json);
  if (!r.success) {
    log.warn(`mqtt: dropped malformed overrides report from ${stationId}: ${r.error.issues[0]?.message}`);
    return 0;
  }
  if (r.data.overrides.some((o) => o.stationId !== stationId)) {
    log.warn(`mqtt: dropped overrides report from ${stationId} naming another station`);
    return 0;
  }
  if (!db.prepare('SELECT 1 FROM stations WHERE id = ?').get(stationId)) {
    log.warn(`mqtt: dropped overrides report from unknown station '${stationId}'`);
    return 0;
  }
  const owner = db.prepare('SELECT station_id FROM overrides WHERE id = ?');
  const upsert = db.prepare(
    `INSERT INTO overrides (id, station_id, kind, starts_at, ends_at, cancelled_at, body, first_reported_at, reported_at)
     VALUES (@id, @stationId, @kind, @startsAt, @endsAt, @cancelledAt, @body, @at, @at)
     ON CONFLICT(id) DO UPDATE SET kind = excluded.kind, starts_at = excluded.starts_at, ends_at = excluded.ends_at,
       cancelled_at = excluded.cancelled_at, body = excluded.body, reported_at = excluded.reported_at`,
  );
  let stored = 0;
  const at = now.toISOString();
  db.transaction(() => {
    for (const o of r.data.overrides) {
      const held = owner.get(o.id) as { station_id: string } | undefined;
      if (held && held.station_id !== stationId) {
        log.warn(`mqtt: ${stationId} reported override '${o.id}', which belongs to ${held.station_id}`);
        continue;
      }
      upsert.run({ ...o, body: JSON.stringify(o), at });
      stored++;
    }
  })();
  return stored;
}

const view = (r: Joined, now: Date) => {
  const o = JSON.parse(r.body) as Override;
  const at = now.toISOString();
  return {
    ...o,
    stationName: r.station_name,
    district: r.district,
    ward: r.ward,
    /** Not ended and not cancelled at the station (it may start later). */
    active: r.cancelled_at === null && r.ends_at > at,
    firstReportedAt: r.first_reported_at,
    reportedAt: r.reported_at,
    cancelRequestedAt: r.cancel_requested_at,
    cancelRequestedBy: r.cancel_requested_by,
    cancelReason: r.cancel_reason,
  };
};

const SELECT = `SELECT o.*, s.district, s.ward, s.name AS station_name FROM overrides o
  LEFT JOIN stations s ON s.id = o.station_id`;

/**
 * A station's overrides overlapping [from - 1 day, to + 1 day), for its timetable preview. One cancelled
 * here but not yet confirmed by the station counts as cancelled: the station ends it on its next state.
 */
export function overridesFor(db: Db, stationId: string, from: Date, to: Date): Override[] {
  const rows = db
    .prepare(
      'SELECT * FROM overrides WHERE station_id = ? AND ends_at > ? AND starts_at < ? ORDER BY starts_at, id',
    )
    .all(
      stationId,
      new Date(from.getTime() - 86_400_000).toISOString(),
      new Date(to.getTime() + 86_400_000).toISOString(),
    ) as OverrideRow[];
  return rows.map((r) => {
    const o = JSON.parse(r.body) as Override;
    return o.cancelledAt === null && r.cancel_requested_at
      ? { ...o, cancelledAt: r.cancel_requested_at, cancelledBy: `controller:${r.cancel_requested_by}` }
      : o;
  });
}

/** Per station, the overrides cancelled here that the station has not ended yet (for its desired state). */
export function cancelledOverrides(db: Db, now: Date): Map<string, string[]> {
  const rows = db
    .prepare(
      `SELECT station_id, id FROM overrides WHERE cancel_requested_at IS NOT NULL AND cancelled_at IS NULL
       AND ends_at > ? ORDER BY station_id, id`,
    )
    .all(now.toISOString()) as { station_id: string; id: string }[];
  const out = new Map<string, string[]>();
  for (const r of rows) out.set(r.station_id, [...(out.get(r.station_id) ?? []), r.id]);
  return out;
}

const Instant = z.iso.datetime({ offset: true }).transform((s) => new Date(s).toISOString());
const ListQuery = z.strictObject({
  station: Id.optional(),
  active: z.enum(['true', 'false']).optional(),
  from: Instant.optional(),
  to: Instant.optional(),
  limit: z.coerce.number().int().min(1).max(5000).default(500),
});
const CancelBody = z.strictObject({ reason: z.string().trim().min(1).max(500).optional() });

export function overrideRoutes(deps: ControllerDeps): AnyRoute[] {
  const { db, clock, desired, log } = deps;
  const getRow = (id: string) => {
    const r = db.prepare(`${SELECT} WHERE o.id = ?`).get(id) as Joined | undefined;
    if (!r) throw notFound('override', id);
    return r;
  };
  const id = (params: Record<string, string>) => params.id as string;
  return [
    defineRoute({
      method: 'get',
      path: '/api/overrides',
      tag: 'overrides',
      summary:
        'Local overrides reported by stations, newest start first (those of your area). active=true: not ended ' +
        'and not cancelled (including ones that start later); from/to: overlapping that period',
      access: 'user',
      query: ListQuery,
      itemArea: (o: { district: string | null; ward: string | null }) => ({
        district: o.district,
        ward: o.ward,
      }),
      handle: ({ query }) => {
        const now = clock.now().toISOString();
        const where: string[] = [];
        const args: Record<string, unknown> = { limit: query.limit, now };
        if (query.station) where.push('o.station_id = @station');
        if (query.station) args.station = query.station;
        if (query.active === 'true') where.push('o.cancelled_at IS NULL AND o.ends_at > @now');
        if (query.active === 'false') where.push('(o.cancelled_at IS NOT NULL OR o.ends_at <= @now)');
        if (query.from) where.push('o.ends_at > @from');
        if (query.from) args.from = query.from;
        if (query.to) where.push('o.starts_at < @to');
        if (query.to) args.to = query.to;
        const rows = db
          .prepare(
            `${SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
             ORDER BY o.starts_at DESC, o.id LIMIT @limit`,
          )
          .all(args) as Joined[];
        return { json: rows.map((r) => view(r, clock.now())) };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/overrides/:id',
      tag: 'overrides',
      summary: 'One local override: what, when, who made it and why, and any cancellation',
      access: 'user',
      area: ({ params }) => [stationArea(db, getRow(id(params)).station_id)],
      handle: ({ params }) => ({ json: view(getRow(id(params)), clock.now()) }),
    }),
    defineRoute({
      method: 'post',
      path: '/api/overrides/:id/cancel',
      tag: 'overrides',
      summary:
        "Cancel a local override that has not ended: the station's desired state is published again (version + 1) " +
        'with the id in cancelledOverrides; the station ends it and reports it back cancelled',
      access: 'user',
      roles: ['technician', 'ward'],
      body: CancelBody,
      bodyOptional: true,
      responses: { 409: 'already ended, cancelled, or cancellation already asked for' },
      area: ({ params }) => [stationArea(db, getRow(id(params)).station_id)],
      handle: ({ params, body, principal }) => {
        const now = clock.now();
        const r = getRow(id(params));
        if (r.cancelled_at) throw conflict(`override '${r.id}' was already cancelled at ${r.cancelled_at}`);
        if (r.ends_at <= now.toISOString())
          throw conflict(`override '${r.id}' already ended at ${r.ends_at}`);
        if (r.cancel_requested_at)
          throw conflict(`override '${r.id}' was already cancelled here at ${r.cancel_requested_at}`);
        const who = principal?.kind === 'user' ? principal.username : 'system';
        db.prepare(
          'UPDATE overrides SET cancel_requested_at = ?, cancel_requested_by = ?, cancel_reason = ? WHERE id = ?',
        ).run(now.toISOString(), who, body?.reason ?? null, r.id);
        log.info(`override ${r.id} of ${r.station_id} cancelled by ${who}`);
        desired.sync();
        return { json: view(getRow(r.id), now) };
      },
    }),
  ];
}
