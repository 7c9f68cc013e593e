// The station list one page at a time, filtered on the server by area (any depth), status and text, in
// the caller's area scope, in name order: the first page of 10,000 stations reads about 50 rows.
import { z } from 'zod';
import { Id } from '../../schedules/model.ts';
import type { UserScope } from '../areas/scope.ts';
import type { Db } from '../db.ts';
import {
  containsPattern,
  decodeCursor,
  fold,
  PAGE_DEFAULT,
  PAGE_MAX,
  PageQuery,
  pageOf,
  registerFold,
} from '../http/page.ts';
import { type StationRow, stationView } from './store.ts';

export const STATION_STATUSES = ['online', 'offline', 'out-of-sync', 'missed'] as const;

export const StationListQuery = z.strictObject({
  ...PageQuery,
  limit: z.coerce.number().int().min(1).max(PAGE_MAX).default(PAGE_DEFAULT),
  area: Id.optional().describe('only stations in or under this area'),
  status: z
    .enum(STATION_STATUSES)
    .optional()
    .describe('online, offline, out-of-sync (behind its desired state) or missed (a missed entry today)'),
});
export type StationListQuery = z.output<typeof StationListQuery>;

/**
 * SQL: `column` names an area in or under one of the areas a JSON array parameter lists (itself and its
 * live descendants, walked in SQL on `areas_parent`): no tree loaded per request.
 */
export const inSubtreeSql = (column: string, param: string) =>
  `${column} IN (WITH RECURSIVE sub(id) AS (SELECT value FROM json_each(@${param})
     UNION SELECT a.id FROM areas a JOIN sub ON a.parent_id = sub.id WHERE a.retired_at IS NULL)
   SELECT id FROM sub)`;

export interface ListContext {
  scope: UserScope;
  /** Where "today" starts for the missed filter (the province's local midnight). */
  todayStart: string;
}

/** One page of stations with each one's last as-run record. */
export function stationPage(db: Db, query: StationListQuery, ctx: ListContext) {
  registerFold(db);
  const where: string[] = [];
  const args: Record<string, unknown> = { limit: query.limit + 1 };
  const inAreas = (name: string, areaIds: string[]) => {
    where.push(inSubtreeSql('s.area_id', name));
    args[name] = JSON.stringify(areaIds);
  };
  if (ctx.scope.kind === 'areas') inAreas('scope', ctx.scope.ids);
  if (query.area) inAreas('area', [query.area]);
  if (query.status === 'online') where.push('s.online = 1');
  if (query.status === 'offline') where.push('s.online = 0');
  if (query.status === 'out-of-sync')
    where.push("s.desired_version > COALESCE(json_extract(s.health_json, '$.desiredVersion'), 0)");
  if (query.status === 'missed') {
    where.push(`EXISTS (SELECT 1 FROM plays p WHERE p.station_id = s.id AND p.scheduled_at >= @today
                 AND p.outcome = 'missed')`);
    args.today = ctx.todayStart;
  }
  if (query.q) {
    where.push("(vn_fold(s.name) LIKE @q ESCAPE '\\' OR s.id LIKE @q ESCAPE '\\')");
    args.q = containsPattern(fold(query.q));
  }
  const after = decodeCursor(query.cursor, 2);
  if (after) {
    where.push('(s.name, s.id) > (@afterName, @afterId)');
    [args.afterName, args.afterId] = after;
  }
  const rows = db
    .prepare(
      `SELECT s.*, (SELECT json_object('scheduledAt', p.scheduled_at, 'outcome', p.outcome, 'reason', p.reason)
                      FROM plays p WHERE p.station_id = s.id ORDER BY p.scheduled_at DESC LIMIT 1) AS last_play
       FROM stations s ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY s.name, s.id LIMIT @limit`,
    )
    .all(args) as (StationRow & { last_play: string | null })[];
  const chains = chainsOf(db, [...new Set(rows.map((r) => r.area_id))]);
  const tree = { chain: (id: string) => chains.get(id) ?? [] };
  return pageOf(
    rows,
    query.limit,
    (r) => [r.name, r.id],
    (r) => ({
      ...stationView(r, tree),
      lastPlay: r.last_play
        ? (JSON.parse(r.last_play) as { scheduledAt: string; outcome: string; reason: string | null })
        : null,
    }),
  );
}

/** The chains (root first) of the areas of one page, in one query. */
function chainsOf(db: Db, areaIds: string[]): Map<string, string[]> {
  const rows = db
    .prepare(
      `WITH RECURSIVE up(start, id, parent_id, depth) AS (
         SELECT a.id, a.id, a.parent_id, 0 FROM json_each(?) j JOIN areas a ON a.id = j.value
         UNION ALL SELECT up.start, a.id, a.parent_id, up.depth + 1 FROM areas a JOIN up ON a.id = up.parent_id
           WHERE up.depth < 64)
       SELECT start, id FROM up ORDER BY start, depth DESC`,
    )
    .all(JSON.stringify(areaIds)) as { start: string; id: string }[];
  const out = new Map<string, string[]>();
  for (const r of rows) out.set(r.start, [...(out.get(r.start) ?? []), r.id]);
  return out;
}
