// /api/airtime-policies: limits on air time per area, and a station's breaches of the one in force.
import { z } from 'zod';
import { stationArea, targetArea } from '../areas/store.ts';
import type { ControllerDeps } from '../deps.ts';
import { type AnyRoute, areaById, defineRoute, idParam } from '../http/route.ts';
import { changePolicy, createPolicy, PolicyCreate, PolicyPatch, stationAirTime } from './airtime.ts';
import { deletePolicy, getPolicy, loadPolicies, type StoredPolicy } from './store.ts';

const Range = z.strictObject({
  from: z.iso.datetime({ offset: true }),
  to: z.iso.datetime({ offset: true }),
});

export function policyRoutes(deps: ControllerDeps): AnyRoute[] {
  const { db, clock } = deps;
  const areaOfId = areaById((id) => [targetArea(db, getPolicy(db, id).target)]);
  return [
    defineRoute({
      method: 'get',
      path: '/api/airtime-policies',
      tag: 'air-time policies',
      summary: 'Air-time policies per area (those of your area)',
      access: 'user',
      itemArea: (p: StoredPolicy) => targetArea(db, p.target),
      handle: () => ({ json: loadPolicies(db) }),
    }),
    defineRoute({
      method: 'post',
      path: '/api/airtime-policies',
      tag: 'air-time policies',
      summary: 'Set limits for an area: sessions a day, minutes a session, days a week; warn or refuse',
      access: 'user',
      roles: ['technician'],
      body: PolicyCreate,
      area: ({ body }) => [targetArea(db, body.target)],
      responses: { 201: 'created' },
      handle: ({ body }) => ({ status: 201, json: createPolicy(db, body, clock.now()) }),
    }),
    defineRoute({
      method: 'patch',
      path: '/api/airtime-policies/:id',
      tag: 'air-time policies',
      summary: 'Change the area or some limits of a policy (null lifts a limit); slots saved already stay',
      access: 'user',
      roles: ['technician'],
      body: PolicyPatch.schema,
      area: (input) => [
        ...areaOfId(input),
        ...(input.body.target ? [targetArea(db, input.body.target)] : []),
      ],
      handle: ({ params, body }) => ({ json: changePolicy(db, idParam(params), body) }),
    }),
    defineRoute({
      method: 'delete',
      path: '/api/airtime-policies/:id',
      tag: 'air-time policies',
      summary: 'Remove an air-time policy',
      access: 'user',
      roles: ['technician'],
      area: areaOfId,
      handle: ({ params }) => {
        deletePolicy(db, idParam(params));
        return { status: 204, json: null };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/stations/:id/airtime',
      tag: 'stations',
      summary:
        "Air-time policy in force at a station and its timetable's breaches in whole weeks around from-to",
      access: 'user',
      query: Range,
      area: ({ params }) => [stationArea(db, idParam(params))],
      handle: ({ params, query }) => ({ json: stationAirTime(db, idParam(params), query) }),
    }),
  ];
}
