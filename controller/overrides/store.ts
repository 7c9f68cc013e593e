// The overrides table: local overrides as stations report them, and their cancellation from here.
import type { Override } from '../../schedules/overrides.ts';
import type { Db } from '../db.ts';
import { notFound } from '../http/errors.ts';

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
/** An override with its station's place and name. */
export type OverrideJoined = OverrideRow & {
  area_id: string | null;
  station_name: string | null;
};

export const overrideView = (r: OverrideJoined, now: Date) => {
  const o = JSON.parse(r.body) as Override;
  const at = now.toISOString();
  return {
    ...o,
    stationName: r.station_name,
    /** The area the station hangs from. */
    areaId: r.area_id,
    /** Not ended and not cancelled at the station (it may start later). */
    active: r.cancelled_at === null && r.ends_at > at,
    firstReportedAt: r.first_reported_at,
    reportedAt: r.reported_at,
    cancelRequestedAt: r.cancel_requested_at,
    cancelRequestedBy: r.cancel_requested_by,
    cancelReason: r.cancel_reason,
  };
};

const SELECT = `SELECT o.*, s.area_id, s.name AS station_name FROM overrides o
  LEFT JOIN stations s ON s.id = o.station_id`;

export function getOverride(db: Db, id: string): OverrideJoined {
  const r = db.prepare(`${SELECT} WHERE o.id = ?`).get(id) as OverrideJoined | undefined;
  if (!r) throw notFound('override', id);
  return r;
}

export interface OverrideFilter {
  station?: string;
  active?: 'true' | 'false';
  from?: string;
  to?: string;
  limit: number;
}

/** Newest start first; `active`: not ended and not cancelled at `now`; from/to: overlapping that period. */
export function listOverrides(db: Db, query: OverrideFilter, now: Date): OverrideJoined[] {
  const where: string[] = [];
  const args: Record<string, unknown> = { limit: query.limit, now: now.toISOString() };
  if (query.station) where.push('o.station_id = @station');
  if (query.station) args.station = query.station;
  if (query.active === 'true') where.push('o.cancelled_at IS NULL AND o.ends_at > @now');
  if (query.active === 'false') where.push('(o.cancelled_at IS NOT NULL OR o.ends_at <= @now)');
  if (query.from) where.push('o.ends_at > @from');
  if (query.from) args.from = query.from;
  if (query.to) where.push('o.starts_at < @to');
  if (query.to) args.to = query.to;
  return db
    .prepare(
      `${SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY o.starts_at DESC, o.id LIMIT @limit`,
    )
    .all(args) as OverrideJoined[];
}

/** Upserts a station's reported overrides by id, one transaction; an id held by another station is skipped. */
export function upsertReported(
  db: Db,
  stationId: string,
  overrides: Override[],
  now: Date,
  onForeign: (o: Override, owner: string) => void,
): number {
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
    for (const o of overrides) {
      const held = owner.get(o.id) as { station_id: string } | undefined;
      if (held && held.station_id !== stationId) {
        onForeign(o, held.station_id);
        continue;
      }
      upsert.run({ ...o, body: JSON.stringify(o), at });
      stored++;
    }
  })();
  return stored;
}

export function requestCancel(db: Db, id: string, by: string, reason: string | null, now: Date): void {
  db.prepare(
    'UPDATE overrides SET cancel_requested_at = ?, cancel_requested_by = ?, cancel_reason = ? WHERE id = ?',
  ).run(now.toISOString(), by, reason, id);
}

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
