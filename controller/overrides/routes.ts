// /api/overrides: local overrides made by ward staff at their station (stop, pause, skip, local quiet
// window, announcement, volume), as the stations report them, and their cancellation from here.
import { z } from 'zod';
import { Id } from '../../schedules/model.ts';
import { stationArea } from '../areas/store.ts';
import type { ControllerDeps } from '../deps.ts';
import { type AnyRoute, areaById, defineRoute, idParam, withdrawal } from '../http/route.ts';
import { actorName } from '../users/roles.ts';
import { cancelOverride } from './cancel.ts';
import { getOverride, listOverrides, overrideView } from './store.ts';

const Instant = z.iso.datetime({ offset: true }).transform((s) => new Date(s).toISOString());
const ListQuery = z.strictObject({
  station: Id.optional(),
  active: z.enum(['true', 'false']).optional(),
  from: Instant.optional(),
  to: Instant.optional(),
  limit: z.coerce.number().int().min(1).max(5000).default(500),
});

export function overrideRoutes(deps: ControllerDeps): AnyRoute[] {
  const { db, clock, desired, log } = deps;
  const areaOf = areaById((id) => [stationArea(db, getOverride(db, id).station_id)]);
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
      itemArea: (o: { stationId: string }) => stationArea(db, o.stationId),
      handle: ({ query }) => {
        const now = clock.now();
        return { json: listOverrides(db, query, now).map((r) => overrideView(r, now)) };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/overrides/:id',
      tag: 'overrides',
      summary: 'One local override: what, when, who made it and why, and any cancellation',
      access: 'user',
      area: areaOf,
      handle: ({ params }) => ({ json: overrideView(getOverride(db, idParam(params)), clock.now()) }),
    }),
    defineRoute({
      method: 'post',
      path: '/api/overrides/:id/cancel',
      tag: 'overrides',
      summary:
        "Cancel a local override that has not ended: the station's desired state is published again (version + 1) " +
        'with the id in cancelledOverrides; the station ends it and reports it back cancelled',
      ...withdrawal,
      responses: { 409: 'already ended, cancelled, or cancellation already asked for' },
      area: areaOf,
      handle: ({ params, body, principal }) => {
        const now = clock.now();
        const who = actorName(principal);
        const r = cancelOverride(db, idParam(params), who, body?.reason ?? null, now);
        log.info(`override ${r.id} of ${r.station_id} cancelled by ${who}`);
        desired.sync();
        return { json: overrideView(r, now) };
      },
    }),
  ];
}
