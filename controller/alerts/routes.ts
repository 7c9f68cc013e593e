// /api/alerts: bulletins at the three levels of Circular 39/2020/TT-BTTTT, sent to areas of any level,
// stations or zones, followed per station, withdrawn by their sender.
import { z } from 'zod';
import { targetArea } from '../areas/store.ts';
import type { ControllerDeps } from '../deps.ts';
import { type AnyRoute, defineRoute, idParam, withdrawal } from '../http/route.ts';
import { CAP_MIME } from './cap/export.ts';
import { capAnswer, capClips, capDocument, wantsCap } from './cap/routes.ts';
import { AlertCreate, cancelAlert, sendAlert } from './issue.ts';
import { getAlertRow, targetsOf } from './store.ts';
import { alertAsSent, alertDetail, listAlerts } from './views.ts';

const ListQuery = z.strictObject({
  status: z.enum(['active', 'cancelled', 'expired']).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

export function alertRoutes(deps: ControllerDeps): AnyRoute[] {
  const { db, clock } = deps;
  const clips = capClips(deps);
  return [
    defineRoute({
      method: 'get',
      path: '/api/alerts',
      tag: 'alerts',
      summary:
        'Bulletins, newest first, with counts of target stations per state (those of your area); filter by status',
      access: 'user',
      query: ListQuery,
      handle: ({ query, principal }) => ({ json: listAlerts(db, principal, query, clock.now()) }),
    }),
    defineRoute({
      method: 'post',
      path: '/api/alerts',
      tag: 'alerts',
      summary:
        'Send a bulletin (normal, priority, emergency) to targets: published at once, retained, one message per ' +
        'target. normal/priority need an approved clip; emergency also takes a processed draft (upload with ' +
        'POST /api/clips?wait=true first). Technicians within their areas; ward staff normal bulletins within theirs.',
      access: 'user',
      roles: ['technician', 'ward'],
      body: AlertCreate,
      otherBodies: {
        [CAP_MIME]: 'a CAP 1.2 alert: Alert issues, Update replaces, Cancel withdraws (docs/cap.md)',
      },
      responses: {
        201: 'sent: the bulletin with its target station count',
        400: 'a target reaching no station, an unknown or unapproved clip, a bad expiry, ignoreQuietWindows on a non-emergency',
        403: 'a target outside your area, or a level your role may not send',
        404: 'CAP: an Update or Cancel referencing no bulletin here',
        409: 'CAP: the alert was already imported, or the bulletin it references has ended',
        413: 'CAP: a document over 256 KB',
      },
      // a CAP document is read by its handler, which checks the areas it names itself
      area: ({ body }) => (body ? body.targets.map((t) => targetArea(db, t)) : []),
      handle: async (input) => {
        if (!input.body) return capAnswer(deps, clips, input, await input.c.req.text());
        return {
          status: 201,
          json: alertAsSent(db, sendAlert(deps, input.body, input.principal), clock.now()),
        };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/alerts/:id',
      tag: 'alerts',
      summary:
        'One bulletin with every target station of your area: {stationId, name, areaId, areaName, state, at, ' +
        'startedAt (relay on), soundingAt (first sample), reason, detail, online}, and counts per state; ' +
        'with Accept: application/cap+xml, the bulletin as a CAP 1.2 document (docs/cap.md)',
      access: 'user',
      handle: ({ c, params, principal }) => {
        const detail = alertDetail(db, idParam(params), principal, clock.now());
        return wantsCap(c) ? capDocument(deps, c, detail.id) : { json: detail };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/alerts/:id/cancel',
      tag: 'alerts',
      summary:
        'Withdraw a bulletin: published again with cancelledAt (stations stop it or do not play it), cleared at expiry',
      ...withdrawal,
      responses: { 409: 'already cancelled or expired' },
      area: ({ params }) => targetsOf(getAlertRow(db, idParam(params))).map((t) => targetArea(db, t)),
      handle: ({ params, body, principal }) => ({
        json: alertAsSent(
          db,
          cancelAlert(deps, idParam(params), principal, body?.reason ?? null),
          clock.now(),
        ),
      }),
    }),
  ];
}
