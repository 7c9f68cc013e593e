// A change asked about before it is saved: a slot, a quiet window, an air-time policy or a bulletin, new or
// (for rules and policies) replacing a stored one. Validated and checked exactly as its save would be, so a
// what-if that answers is a save that will pass (the air-time policy's refusal of a slot excepted: it is
// answered as a finding, not thrown).
import { z } from 'zod';
import type { Alert } from '../../../schedules/alerts.ts';
import {
  type ClipRef,
  Id,
  type QuietWindow,
  type Slot,
  type StationInfo,
  type Target,
  type TimetableEntry,
} from '../../../schedules/model.ts';
import type { AlertPlan } from '../../../schedules/precedence/precedence.ts';
import { targetIncludes } from '../../../schedules/targets.ts';
import { AlertCreate as AlertBody, type AlertCreate, prepareAlert } from '../../alerts/issue.ts';
import { type Db, newId } from '../../db.ts';
import { badRequest, forbidden, fromZod } from '../../http/errors.ts';
import { changedPolicy, newPolicy, PolicyCreate, PolicyPatch } from '../../policies/airtime.ts';
import { getPolicy, loadPolicies, type StoredPolicy } from '../../policies/store.ts';
import { actorName, type Principal, type Role, userOf } from '../../users/roles.ts';
import { checkedRule, getRule, QUIET_WINDOW, type RuleKind, SLOT } from '../kinds.ts';
import type { StationRules } from '../station-rules.ts';

export const WhatIfKind = z.enum(['slot', 'quiet-window', 'policy', 'alert']);
export type WhatIfKind = z.infer<typeof WhatIfKind>;

export const WhatIfBody = z.strictObject({
  kind: WhatIfKind,
  /** As POST of its kind takes it; with `replaces`, as its PATCH takes it. */
  body: z.record(z.string(), z.unknown()),
  /** The stored slot, quiet window or policy this one replaces (an edit); not for bulletins. */
  replaces: Id.optional(),
});
export type WhatIfBody = z.infer<typeof WhatIfBody>;

/** The id a new air-time policy or bulletin is tried under (it has none before it is saved). */
export const PROPOSED_ID = 'what-if';

export interface Proposal {
  kind: WhatIfKind;
  /** Targets whose stations the change reaches: the new one's, and the replaced one's. */
  targets: Target[];
  /** A station's rules with the change made. */
  apply(rules: StationRules): StationRules;
  /** Bulletins the station would have besides those sent: the one proposed. */
  alerts(station: StationInfo): AlertPlan[];
  /** An entry of the change itself (its slot, its bulletin). */
  isOwn(e: TimetableEntry): boolean;
  /** Ids of what the change makes (a slot, a quiet window, a bulletin), as entries and skips name them. */
  ownIds: Set<string>;
  /**
   * A new slot's or quiet window's id, minted here when the body has none: entries that start together at
   * equal priority are ordered by slot id, so only a save under this id does exactly what was answered.
   */
  proposedId?: string;
  slot?: Slot;
  quiet?: QuietWindow;
  /** The stored rule an edit replaces, as it is now. */
  replaced?: Slot | QuietWindow;
  alert?: Alert;
  /** For a policy: the policies in force without and with the change. */
  policies?: { before: StoredPolicy[]; after: StoredPolicy[] };
}

type Readers = { db: Db; principal: Principal | null; now: Date; clipRefs: () => Map<string, ClipRef> };

const parsed = <T>(schema: z.ZodType<T>, raw: unknown, noun: string): T => {
  const r = schema.safeParse(raw);
  if (!r.success) throw fromZod(r.error, noun);
  return r.data;
};

/** The rule a create or patch body makes: checked as saving it would be (its campaign, clips, target). */
function ruleOf<T extends { id: string; target: Target }>(db: Db, kind: RuleKind<T>, w: WhatIfBody) {
  if (!w.replaces) {
    const body = parsed(kind.createBody, w.body, kind.noun);
    return { rule: checkedRule(db, kind, { ...body, id: body.id ?? newId(kind.idPrefix) }, true), old: null };
  }
  const old = getRule(db, kind, w.replaces);
  const patch = parsed(kind.patch.schema, w.body, kind.noun);
  return { rule: checkedRule(db, kind, kind.patch.apply(old, patch), false), old };
}

const without = <T extends { id: string }>(list: T[], id: string | undefined) =>
  id ? list.filter((x) => x.id !== id) : list;

function slotProposal(r: Readers, w: WhatIfBody): Proposal {
  const { rule, old } = ruleOf(r.db, SLOT, w);
  return {
    kind: 'slot',
    targets: old ? [rule.target, old.target] : [rule.target],
    apply: (rules) => {
      const slots = without(rules.slots, old?.id);
      const reaches = targetIncludes(rule.target, rules.station);
      const known = new Set(rules.clips.map((c) => c.id));
      const refs = r.clipRefs();
      const extra = rule.clipIds.flatMap((id) =>
        known.has(id) || !refs.get(id) ? [] : [refs.get(id) as ClipRef],
      );
      return reaches
        ? { ...rules, slots: [...slots, rule], clips: [...rules.clips, ...extra] }
        : { ...rules, slots };
    },
    alerts: () => [],
    isOwn: (e) => e.slotId === rule.id && !e.source,
    ownIds: new Set([rule.id]),
    slot: rule,
    ...(old ? { replaced: old } : { proposedId: rule.id }),
  };
}

function quietProposal(r: Readers, w: WhatIfBody): Proposal {
  const { rule, old } = ruleOf(r.db, QUIET_WINDOW, w);
  return {
    kind: 'quiet-window',
    targets: old ? [rule.target, old.target] : [rule.target],
    apply: (rules) => {
      const quietWindows = without(rules.quietWindows, old?.id);
      const reaches = targetIncludes(rule.target, rules.station);
      return { ...rules, quietWindows: reaches ? [...quietWindows, rule] : quietWindows };
    },
    alerts: () => [],
    isOwn: () => false,
    ownIds: new Set([rule.id]),
    quiet: rule,
    ...(old ? { replaced: old } : { proposedId: rule.id }),
  };
}

function policyProposal(r: Readers, w: WhatIfBody): Proposal {
  const before = loadPolicies(r.db);
  const old = w.replaces ? getPolicy(r.db, w.replaces) : null;
  const p = old
    ? changedPolicy(r.db, old.id, parsed(PolicyPatch.schema, w.body, 'air-time policy'))
    : newPolicy(r.db, { ...parsed(PolicyCreate, w.body, 'air-time policy'), id: PROPOSED_ID });
  return {
    kind: 'policy',
    targets: old ? [p.target, old.target] : [p.target],
    apply: (rules) => rules,
    alerts: () => [],
    isOwn: () => false,
    ownIds: new Set([p.id]),
    policies: { before, after: [...without(before, old?.id), p] },
  };
}

function alertProposal(r: Readers, w: WhatIfBody): Proposal {
  if (w.replaces)
    throw badRequest(
      [
        'a bulletin is not edited: withdraw it and send another',
        'Bản tin đã phát thì không sửa được: hãy thu hồi rồi phát bản tin khác.',
      ],
      { field: 'replaces' },
    );
  const body: AlertCreate = parsed(AlertBody, w.body, 'alert');
  const prepared = prepareAlert(r.db, body, r.principal, r.now);
  const { clipId: _clip, targets: _targets, expiresAt: _expires, ...rest } = body;
  const c = prepared.clip;
  const alert: Alert = {
    ...rest,
    id: PROPOSED_ID,
    clip: { id: c.id, sha256: c.sha256, durationMs: c.duration_ms, bytes: c.bytes },
    targets: prepared.targets,
    issuedAt: r.now.toISOString(),
    issuedBy: actorName(r.principal),
    expiresAt: prepared.expires.toISOString(),
    cancelledAt: null,
  };
  const reached = new Set(prepared.stations.map((s) => s.id));
  const plan: AlertPlan = { alert, receivedAt: r.now.toISOString(), startedAt: null };
  return {
    kind: 'alert',
    targets: prepared.targets,
    apply: (rules) => rules,
    alerts: (station) => (reached.has(station.id) ? [plan] : []),
    isOwn: (e) => e.source?.kind === 'alert' && e.source.alertId === PROPOSED_ID,
    ownIds: new Set([PROPOSED_ID]),
    alert,
  };
}

/** The target of the stored rule or policy a what-if replaces (its area is checked too), or null. */
export function replacedTarget(db: Db, w: WhatIfBody): Target | null {
  if (!w.replaces) return null;
  if (w.kind === 'slot') return getRule(db, SLOT, w.replaces).target;
  if (w.kind === 'quiet-window') return getRule(db, QUIET_WINDOW, w.replaces).target;
  if (w.kind === 'policy') return getPolicy(db, w.replaces).target;
  return null;
}

/** Who may ask: those who may save it (slots and policies technicians; quiet windows and bulletins ward staff too). */
const ASKERS: Record<WhatIfKind, Role[]> = {
  slot: SLOT.writers,
  'quiet-window': QUIET_WINDOW.writers,
  policy: ['technician'],
  alert: ['technician', 'ward'],
};

/** The change a what-if body asks about, validated and checked as saving it would be. */
export function proposalOf(r: Readers, w: WhatIfBody): Proposal {
  const role = userOf(r.principal)?.role;
  if (role && role !== 'admin' && !ASKERS[w.kind].includes(role))
    throw forbidden([
      `your role may not save a ${w.kind === 'alert' ? 'bulletin' : w.kind}`,
      'Vai trò của bạn không được lưu mục này.',
    ]);
  if (w.kind === 'slot') return slotProposal(r, w);
  if (w.kind === 'quiet-window') return quietProposal(r, w);
  if (w.kind === 'policy') return policyProposal(r, w);
  return alertProposal(r, w);
}
