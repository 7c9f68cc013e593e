// Air-time policy per area (Hanoi 2021: two sessions a day, five days a week, 15 minutes a session in
// urban wards): stored rules, the check when a slot is saved, and the breaches shown with a preview.
import { z } from 'zod';
import { compileTimetable } from '../schedules/compile.ts';
import {
  AirTimePolicy,
  DEFAULT_TAIL_MS,
  DEFAULT_WARM_UP_MS,
  Id,
  type Slot,
  Target,
} from '../schedules/model.ts';
import {
  type AreaPolicy,
  checkAirTime,
  checkSlotAirTime,
  effectivePolicy,
  wholeWeeks,
} from '../schedules/policy.ts';
import { targetIncludes } from '../schedules/targets.ts';
import type { Db } from './db.ts';
import type { ControllerDeps } from './deps.ts';
import { allRulesFor, liveRules } from './desired.ts';
import { badRequest, HttpError, notFound } from './errors.ts';
import { type AnyRoute, defineRoute } from './routes.ts';
import { newId } from './rules.ts';
import { stationArea, targetArea } from './scope.ts';

const PolicyCreate = z.strictObject({ id: Id.optional(), target: Target, policy: AirTimePolicy });
type StoredPolicy = AreaPolicy & { id: string };

export function loadPolicies(db: Db): StoredPolicy[] {
  return (db.prepare('SELECT body FROM airtime_policies ORDER BY id').all() as { body: string }[]).map(
    (r) => JSON.parse(r.body) as StoredPolicy,
  );
}

/** How far ahead a slot is checked when saved: two weeks keeps a city-wide save quick. */
const SAVE_HORIZON_DAYS = 14;

/**
 * Breaches a slot would add at the stations it reaches. Refused (409, with the breaches) when a policy
 * in force there says so; otherwise answered as warnings beside the saved slot.
 */
export function airTimeCheck(db: Db, slot: Slot, now: Date): unknown[] {
  const policies = loadPolicies(db);
  if (policies.length === 0) return [];
  const stations = db
    .prepare('SELECT id, name, district, ward, timezone FROM stations ORDER BY id')
    .all() as {
    id: string;
    name: string;
    district: string;
    ward: string;
    timezone: string;
  }[];
  const out: { stationId: string; enforcement: string; code: string; message: string; localDate: string }[] =
    [];
  let refuse = false;
  const rulesOf = liveRules(db, now);
  for (const st of stations.filter((s) => targetIncludes(slot.target, s))) {
    const policy = effectivePolicy(policies, st);
    if (!policy) continue;
    const breaches = checkSlotAirTime(rulesOf(st), slot, policy, {
      now,
      horizonDays: SAVE_HORIZON_DAYS,
    });
    if (breaches.length && policy.enforcement === 'refuse') refuse = true;
    for (const b of breaches) {
      out.push({
        stationId: st.id,
        enforcement: policy.enforcement,
        code: b.code,
        message: b.message,
        localDate: b.localDate,
      });
    }
  }
  if (refuse) {
    const first = out.find((b) => b.enforcement === 'refuse');
    throw new HttpError(
      409,
      'air_time_policy',
      `refused by the air-time policy: ${first?.stationId}: ${first?.message}`,
      out,
    );
  }
  return out;
}

const Range = z.strictObject({
  from: z.iso.datetime({ offset: true }),
  to: z.iso.datetime({ offset: true }),
});

export function policyRoutes(deps: ControllerDeps): AnyRoute[] {
  const { db, clock } = deps;
  const get = (id: string): StoredPolicy => {
    const r = db.prepare('SELECT body FROM airtime_policies WHERE id = ?').get(id) as
      | { body: string }
      | undefined;
    if (!r) throw notFound('air-time policy', id);
    return JSON.parse(r.body) as StoredPolicy;
  };
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
      handle: ({ body }) => {
        const p: StoredPolicy = { id: body.id ?? newId('policy'), target: body.target, policy: body.policy };
        if (db.prepare('SELECT 1 FROM airtime_policies WHERE id = ?').get(p.id))
          throw badRequest(`policy '${p.id}' exists`);
        db.prepare('INSERT INTO airtime_policies (id, body, created_at) VALUES (?, ?, ?)').run(
          p.id,
          JSON.stringify(p),
          clock.now().toISOString(),
        );
        return { status: 201, json: p };
      },
    }),
    defineRoute({
      method: 'delete',
      path: '/api/airtime-policies/:id',
      tag: 'air-time policies',
      summary: 'Remove an air-time policy',
      access: 'user',
      roles: ['technician'],
      area: ({ params }) => [targetArea(db, get(params.id as string).target)],
      handle: ({ params }) => {
        db.prepare('DELETE FROM airtime_policies WHERE id = ?').run(params.id);
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
      area: ({ params }) => [stationArea(db, params.id as string)],
      handle: ({ params, query }) => {
        const rules = allRulesFor(db, params.id as string);
        const policy = effectivePolicy(loadPolicies(db), rules.station);
        if (!policy) return { json: { policy: null, breaches: [] } };
        const tz = rules.station.timezone;
        const range = wholeWeeks(new Date(query.from), new Date(query.to), tz);
        if (range.to.getTime() - range.from.getTime() > 70 * 86_400_000)
          throw badRequest('at most 62 days at a time');
        const entries = compileTimetable(rules, {
          ...range,
          leadMs: DEFAULT_WARM_UP_MS,
          tailMs: DEFAULT_TAIL_MS,
        });
        return { json: { policy, breaches: checkAirTime(entries, policy, tz) } };
      },
    }),
  ];
}
