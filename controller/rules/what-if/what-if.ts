// What a change will do to the next two weeks before it is saved: each station it reaches compiled as the
// agent compiles it (its rules, the overrides it reported, the bulletins sent to it, through the same
// precedence) without and with the change, and the difference by station, entry and cause. Nothing is stored.

import {
  type ClipRef,
  DEFAULT_TAIL_MS,
  DEFAULT_WARM_UP_MS,
  type StationInfo,
} from '../../../schedules/model.ts';
import { checkAirTime, dailyPolicy, type PolicyBreach, wholeWeeks } from '../../../schedules/policy.ts';
import type { ReasonCode } from '../../../schedules/reason-words.ts';
import { reasonText } from '../../../schedules/reason-words.ts';
import { skipReasonCode } from '../../../schedules/reasons.ts';
import { targetIncludes } from '../../../schedules/targets.ts';
import { utcToZoned } from '../../../schedules/time.ts';
import { compileTimetable } from '../../../schedules/timetable/compile.ts';
import { alertPlansFor } from '../../alerts/store.ts';
import { deliverableClipRefs } from '../../clips/store.ts';
import type { Db } from '../../db.ts';
import { HttpError } from '../../http/errors.ts';
import { overridesFor } from '../../overrides/store.ts';
import { airTimeCheck } from '../../policies/airtime.ts';
import { allStationInfos } from '../../stations/store.ts';
import type { Principal } from '../../users/roles.ts';
import { allRules, type StationRules } from '../station-rules.ts';
import { type ChangeKind, diffTimetables, type EntryChange } from './diff.ts';
import { type Named, namer } from './names.ts';
import { type Proposal, proposalOf, type WhatIfBody } from './proposal.ts';

/** The window looked at: the next two weeks. */
export const WHAT_IF_DAYS = 14;
/** Stations compiled at most (twice each); a change reaching more counts the rest. */
export const WHAT_IF_STATIONS = 1000;
/** Changes answered at most (`truncated` says when more were found). */
export const WHAT_IF_CHANGES = 2000;

const DAY_MS = 86_400_000;
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const COMPILE = { leadMs: DEFAULT_WARM_UP_MS, tailMs: DEFAULT_TAIL_MS };

/** An instant as the station's local dd/mm/yyyy HH:mm. */
export function localStampAt(at: string, timeZone: string): string {
  const { date, time } = utcToZoned(new Date(at), timeZone);
  return `${date.slice(8, 10)}/${date.slice(5, 7)}/${date.slice(0, 4)} ${time.slice(0, 5)}`;
}

export interface WhatIfChange {
  change: ChangeKind;
  /** An entry of the change itself (its slot, its bulletin) that will be kept off air. */
  own: boolean;
  stationId: string;
  stationName: string;
  entryId: string;
  entry: Named;
  startsAt: string;
  /** startsAt in the station's zone, dd/mm/yyyy HH:mm. */
  local: string;
  movedTo?: { startsAt: string; local: string };
  reason?: ReasonCode;
  reasonWords?: { vi: string; en: string };
  cause?: Named;
}

/** The change's own plays at a station over the two weeks: without it (an edit's old ones) and with it. */
export interface OwnPlaysAt {
  stationId: string;
  stationName: string;
  before: number;
  after: number;
  /** The first plays with the change, local dd/mm/yyyy HH:mm. */
  first: string[];
}

/** For a policy: a breach its limits add (or lift) at a station, over the whole weeks around the two weeks. */
export interface BreachFound {
  change: 'new' | 'gone';
  stationId: string;
  stationName: string;
  code: PolicyBreach['code'];
  localDate: string;
  limit: number;
  actual: number;
  message: string;
  messageVi: string;
}

export interface WhatIfAnswer {
  kind: Proposal['kind'];
  /** A new slot's or quiet window's id as it was tried: POST it with this id for exactly this outcome. */
  proposedId?: string;
  from: string;
  to: string;
  days: number;
  stations: { reached: number; checked: number };
  changes: WhatIfChange[];
  truncated: boolean;
  own: OwnPlaysAt[];
  /** For a slot: what the air-time policy will say when it is saved (`enforcement: 'refuse'` refuses it). */
  airTime: unknown[];
  breaches: BreachFound[];
}

const words = (code: ReasonCode) => ({ vi: reasonText('vi', code), en: reasonText('en', code) });

function reasonOf(c: EntryChange, cause: Named | undefined): ReasonCode | undefined {
  if (c.skip) return skipReasonCode(c.skip);
  if (c.change !== 'moved') return undefined;
  return cause?.kind === 'quiet-window' ? (cause.quietReason as ReasonCode) : 'overlap';
}

/** Air-time findings for a slot: warnings, or the refusal's breaches (answered, not thrown). */
function airTimeOf(db: Db, p: Proposal, now: Date): unknown[] {
  if (!p.slot) return [];
  try {
    return airTimeCheck(db, p.slot, now);
  } catch (e) {
    if (e instanceof HttpError && e.status === 409 && Array.isArray(e.details)) return e.details;
    throw e;
  }
}

const breachKey = (b: PolicyBreach) =>
  `${b.code}|${b.localDate}|${b.code === 'minutes-per-session' ? b.sessionStart : ''}`;

function breachesAt(p: Proposal, st: StationInfo, rules: StationRules, from: Date, to: Date): BreachFound[] {
  if (!p.policies) return [];
  const range = wholeWeeks(from, to, st.timezone);
  const entries = compileTimetable(rules, { ...range, ...COMPILE });
  const of = (list: typeof p.policies.before) => {
    const daily = dailyPolicy(list, st);
    return daily ? checkAirTime(entries, daily, st.timezone) : [];
  };
  const before = of(p.policies.before);
  const after = of(p.policies.after);
  const was = new Set(before.map(breachKey));
  const is = new Set(after.map(breachKey));
  const at = { stationId: st.id, stationName: st.name };
  const shown = (change: BreachFound['change']) => (b: PolicyBreach) => ({
    change,
    ...at,
    code: b.code,
    localDate: b.localDate,
    limit: b.limit,
    actual: b.actual,
    message: b.message,
    messageVi: b.messageVi,
  });
  return [
    ...after.filter((b) => !was.has(breachKey(b))).map(shown('new')),
    ...before.filter((b) => !is.has(breachKey(b))).map(shown('gone')),
  ];
}

/** What the change asked about will do over the next two weeks at the stations it reaches. */
export function whatIf(db: Db, asked: WhatIfBody, principal: Principal | null, now: Date): WhatIfAnswer {
  // the clips a new slot may play, read once if a station needs one it does not have yet
  let refs: Map<string, ClipRef> | null = null;
  const clipRefs = () => {
    if (!refs) refs = new Map(deliverableClipRefs(db).map((c) => [c.id, c]));
    return refs;
  };
  const p = proposalOf({ db, principal, now, clipRefs }, asked);
  const from = now;
  const to = new Date(now.getTime() + WHAT_IF_DAYS * DAY_MS);
  const reached = allStationInfos(db).filter((s) => p.targets.some((t) => targetIncludes(t, s)));
  const checked = reached.slice(0, WHAT_IF_STATIONS);
  const rulesOf = allRules(db);
  const names = namer(db, p);
  const changes: WhatIfChange[] = [];
  const own: OwnPlaysAt[] = [];
  const breaches: BreachFound[] = [];
  for (const st of checked) {
    const rules = {
      ...rulesOf(st),
      overrides: overridesFor(db, st.id, from, to),
      alerts: alertPlansFor(db, st, from, to),
    };
    if (p.policies) {
      breaches.push(...breachesAt(p, st, rules, from, to));
      continue;
    }
    const before = compileTimetable(rules, { from, to, ...COMPILE });
    const changed = { ...rules, ...p.apply(rules), alerts: [...rules.alerts, ...p.alerts(st)] };
    const after = compileTimetable(changed, { from, to, ...COMPILE });
    const diff = diffTimetables(before, after, p.isOwn);
    const local = (at: string) => localStampAt(at, st.timezone);
    const { before: had, after: has, starts } = diff.own;
    if (had || has)
      own.push({
        stationId: st.id,
        stationName: st.name,
        before: had,
        after: has,
        first: starts.slice(0, 3).map(local),
      });
    for (const c of diff.changes) {
      // what lets an entry play again is the rule as it was (an edit's old version)
      const cause = c.cause ? names.cause(c.cause, c.change === 'plays-again') : undefined;
      const reason = reasonOf(c, cause);
      changes.push({
        change: c.change,
        own: c.own,
        stationId: st.id,
        stationName: st.name,
        entryId: c.entry.id,
        entry: names.entry(c.entry),
        startsAt: c.entry.startsAt,
        local: local(c.entry.startsAt),
        ...(c.movedTo ? { movedTo: { startsAt: c.movedTo, local: local(c.movedTo) } } : {}),
        ...(reason ? { reason, reasonWords: words(reason) } : {}),
        ...(cause ? { cause } : {}),
      });
    }
  }
  changes.sort((a, b) => cmp(a.startsAt, b.startsAt) || cmp(a.stationName, b.stationName));
  return {
    kind: p.kind,
    ...(p.proposedId ? { proposedId: p.proposedId } : {}),
    from: from.toISOString(),
    to: to.toISOString(),
    days: WHAT_IF_DAYS,
    stations: { reached: reached.length, checked: checked.length },
    changes: changes.slice(0, WHAT_IF_CHANGES),
    truncated: changes.length > WHAT_IF_CHANGES,
    own,
    airTime: airTimeOf(db, p, now).map((b) => {
      const at = (b as { stationId: string }).stationId;
      return { ...(b as object), stationName: reached.find((s) => s.id === at)?.name ?? at };
    }),
    breaches,
  };
}
