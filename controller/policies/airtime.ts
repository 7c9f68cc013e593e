// Air-time policy per area (Hanoi 2021: two sessions a day, five days a week, 15 minutes a session in
// urban wards): the check when a slot is saved, and the breaches of a station's timetable.
import { z } from 'zod';
import {
  AirTimePolicy,
  DEFAULT_TAIL_MS,
  DEFAULT_WARM_UP_MS,
  Id,
  type Slot,
  Target,
} from '../../schedules/model.ts';
import {
  breachRefused,
  checkAirTime,
  checkSlotAirTime,
  dailyPolicy,
  effectivePolicy,
  wholeWeeks,
} from '../../schedules/policy.ts';
import { targetIncludes } from '../../schedules/targets.ts';
import { compileTimetable } from '../../schedules/timetable/compile.ts';
import { toTreeTarget } from '../areas/legacy.ts';
import { targetProblem } from '../areas/store.ts';
import { type Db, newId } from '../db.ts';
import { badRequest, fromZod, HttpError } from '../http/errors.ts';
import { resourcePatch } from '../http/patch.ts';
import { checkDayRules } from '../rules/day-rules.ts';
import { allRulesFor, liveRules } from '../rules/station-rules.ts';
import { allStationInfos } from '../stations/store.ts';
import {
  getPolicy,
  insertPolicy,
  loadPolicies,
  policyExists,
  type StoredPolicy,
  updatePolicy,
} from './store.ts';

const PolicyFields = z.strictObject({ target: Target, policy: AirTimePolicy });
export const PolicyCreate = PolicyFields.extend({ id: Id.optional() });
/** A cap named with null is lifted; caps not named stay as they are. */
export const PolicyPatch = resourcePatch(PolicyFields);

/** How far ahead a slot is checked when saved: two weeks keeps a city-wide save quick. */
const SAVE_HORIZON_DAYS = 14;

/** A breach at a station as a save answers it: the station by id and name, the reason in English and Vietnamese. */
export interface AirTimeWarning {
  stationId: string;
  stationName: string;
  enforcement: 'refuse' | 'warn';
  code: string;
  message: string;
  messageVi: string;
  localDate: string;
}

/**
 * Breaches a slot would add at the stations it reaches. Refused (409, with the breaches) when a policy
 * in force there says so; otherwise answered as warnings beside the saved slot.
 */
export function airTimeCheck(db: Db, slot: Slot, now: Date): AirTimeWarning[] {
  const policies = loadPolicies(db);
  if (policies.length === 0) return [];
  const out: AirTimeWarning[] = [];
  let refuse = false;
  const rulesOf = liveRules(db, now);
  for (const st of allStationInfos(db).filter((s) => targetIncludes(slot.target, s))) {
    // day by day: a policy may hold only at Tết, or spare it
    const policy = dailyPolicy(policies, st);
    if (!policy) continue;
    const breaches = checkSlotAirTime(rulesOf(st), slot, policy, {
      now,
      horizonDays: SAVE_HORIZON_DAYS,
    });
    for (const b of breaches) {
      const enforcement = breachRefused(b, policy) ? 'refuse' : 'warn';
      if (enforcement === 'refuse') refuse = true;
      out.push({
        stationId: st.id,
        stationName: st.name,
        enforcement,
        code: b.code,
        message: b.message,
        messageVi: b.messageVi,
        localDate: b.localDate,
      });
    }
  }
  if (refuse) {
    const first = out.find((b) => b.enforcement === 'refuse');
    throw new HttpError(
      409,
      'air_time_policy',
      [
        `refused by the air-time policy: ${first?.stationId}: ${first?.message}`,
        `Vượt giới hạn thời lượng phát tại ${first?.stationName}. ${first?.messageVi}.`,
      ],
      out,
    );
  }
  return out;
}

/** The policy in force at a station and its timetable's breaches in whole weeks around from-to. */
export function stationAirTime(db: Db, stationId: string, query: { from: string; to: string }) {
  const rules = allRulesFor(db, stationId);
  const policies = loadPolicies(db);
  const daily = dailyPolicy(policies, rules.station);
  // the policy of an ordinary day is shown; each day is checked against its own (holidays)
  const policy = effectivePolicy(policies, rules.station);
  if (!daily) return { policy: null, breaches: [] };
  const tz = rules.station.timezone;
  const range = wholeWeeks(new Date(query.from), new Date(query.to), tz);
  if (range.to.getTime() - range.from.getTime() > 70 * 86_400_000)
    throw badRequest(['at most 62 days at a time', 'Mỗi lần chỉ xem được tối đa 62 ngày.']);
  const entries = compileTimetable(rules, { ...range, leadMs: DEFAULT_WARM_UP_MS, tailMs: DEFAULT_TAIL_MS });
  return { policy, breaches: checkAirTime(entries, daily, tz) };
}

/** A policy's target as stored: the tree's form, naming something that exists. */
function policyTarget(db: Db, target: Target): Target {
  const t = toTreeTarget(db, target);
  const problem = targetProblem(db, t);
  if (problem) throw badRequest(problem, { field: 'target' });
  return t;
}

/** A new policy checked (target, id free, day rules), not stored: what createPolicy stores, what a what-if tries. */
export function newPolicy(db: Db, body: z.output<typeof PolicyCreate>): StoredPolicy {
  const p: StoredPolicy = {
    id: body.id ?? newId('policy'),
    target: policyTarget(db, body.target),
    policy: body.policy,
  };
  if (policyExists(db, p.id))
    throw badRequest([
      `policy '${p.id}' exists`,
      `Mã «${p.id}» đã được dùng cho một giới hạn thời lượng phát khác.`,
    ]);
  checkDayRules(p.policy, null, 'air-time policy', 'policy.');
  return p;
}

export function createPolicy(db: Db, body: z.output<typeof PolicyCreate>, now: Date): StoredPolicy {
  const p = newPolicy(db, body);
  insertPolicy(db, p, now);
  return p;
}

/** A policy as changed by a patch, validated whole and checked, not stored. */
export function changedPolicy(
  db: Db,
  policyId: string,
  body: z.output<typeof PolicyPatch.schema>,
): StoredPolicy {
  const { id, ...stored } = getPolicy(db, policyId);
  const whole = PolicyFields.safeParse(PolicyPatch.apply(stored, body));
  if (!whole.success) throw fromZod(whole.error, 'air-time policy');
  const p: StoredPolicy = { id, ...whole.data, target: policyTarget(db, whole.data.target) };
  checkDayRules(p.policy, null, 'air-time policy', 'policy.');
  return p;
}

export function changePolicy(
  db: Db,
  policyId: string,
  body: z.output<typeof PolicyPatch.schema>,
): StoredPolicy {
  const p = changedPolicy(db, policyId, body);
  updatePolicy(db, p);
  return p;
}
