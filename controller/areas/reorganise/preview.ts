// The preview of a reorganisation, pure: every area, station, rule, policy, campaign, person and running
// bulletin that changes, and how (a station's chain of names, the rules that reach it, its air-time policy).
import type { AirTimePolicy, StationInfo, Target } from '../../../schedules/model.ts';
import { effectivePolicy } from '../../../schedules/policy.ts';
import { targetIncludes } from '../../../schedules/targets.ts';
import type { AreaRow } from '../tree.ts';
import type { Effects, Rewrite } from './effects.ts';
import type { Reorganisation } from './ops.ts';
import { chainIn, type Snapshot, type TreeChange } from './snapshot.ts';

type Side = { areaId: string; path: string[] };
export interface StationChange {
  id: string;
  name: string;
  before: Side;
  after: Side;
  slots: { gained: string[]; lost: string[] };
  quietWindows: { gained: string[]; lost: string[] };
  policies: { gained: string[]; lost: string[] };
  policy: { before: AirTimePolicy | null; after: AirTimePolicy | null };
}
export interface RuleChange {
  id: string;
  /** 'copied': a new rule for another part of a split area. */
  change: 'retargeted' | 'copied';
  copyOf?: string;
  before: Target | null;
  after: Target;
  /** Stations it reaches before and after. */
  stations: { before: number; after: number };
}

const names = (areas: Map<string, AreaRow>, id: string) =>
  chainIn(areas, id).map((a) => areas.get(a)?.name ?? a);
const describe = (areas: Map<string, AreaRow>, a: AreaRow) => ({
  name: a.name,
  code: a.code,
  level: a.level,
  parentId: a.parent_id,
  path: names(areas, a.id),
});

export function preview(s: Snapshot, op: Reorganisation, change: TreeChange, fx: Effects) {
  const areaChanges = [
    ...change.created.map((id) => {
      const a = change.areas.get(id) as AreaRow;
      return { id, change: 'created', before: null, after: describe(change.areas, a) };
    }),
    ...change.changed.map((id) => ({
      id,
      change: op.operation === 'rename' ? 'renamed' : 'moved',
      before: describe(s.areas, s.areas.get(id) as AreaRow),
      after: describe(change.areas, change.areas.get(id) as AreaRow),
    })),
    ...change.retired.map((id) => ({
      id,
      change: 'retired',
      before: describe(s.areas, s.areas.get(id) as AreaRow),
      after: null,
      into: change.replaced.get(id) ?? [],
    })),
  ];

  const rulesAfter = <T extends { id: string }>(all: T[], rewrites: Rewrite<T>[], copies: T[]) => {
    const by = new Map(rewrites.map((r) => [r.after.id, r.after]));
    return [...all.map((r) => by.get(r.id) ?? r), ...copies];
  };
  const slotsAfter = rulesAfter(s.slots, fx.slots, fx.newSlots);
  const windowsAfter = rulesAfter(s.quietWindows, fx.quietWindows, fx.newQuietWindows);
  const policiesAfter = rulesAfter(s.policies, fx.policies, fx.newPolicies);

  const info = (st: Snapshot['stations'][0], areas: Map<string, AreaRow>, areaId: string): StationInfo => ({
    id: st.id,
    name: st.name,
    areaPath: chainIn(areas, areaId),
    timezone: st.timezone,
  });
  const before = new Map(s.stations.map((st) => [st.id, info(st, s.areas, st.areaId)]));
  const after = new Map(
    s.stations.map((st) => [st.id, info(st, change.areas, change.stations.get(st.id) ?? st.areaId)]),
  );

  // Stations whose chain or rules may change: under a touched area, or under the new target of a rule.
  const touched = new Set([
    ...change.created,
    ...change.changed,
    ...change.retired,
    ...change.stations.values(),
  ]);
  for (const r of [...fx.slots, ...fx.quietWindows, ...fx.policies])
    if (r.after.target.scope === 'area') touched.add(r.after.target.id);
  for (const r of [...fx.newSlots, ...fx.newQuietWindows, ...fx.newPolicies])
    if (r.target.scope === 'area') touched.add(r.target.id);
  const reaching = (rules: { id: string; target: Target }[], st: StationInfo) =>
    rules.filter((r) => targetIncludes(r.target, st)).map((r) => r.id);
  const diff = (b: string[], a: string[]) => ({
    gained: a.filter((x) => !b.includes(x)),
    lost: b.filter((x) => !a.includes(x)),
  });
  const stations: StationChange[] = [];
  for (const st of s.stations) {
    const b = before.get(st.id) as StationInfo;
    const a = after.get(st.id) as StationInfo;
    if (![...b.areaPath, ...a.areaPath].some((id) => touched.has(id))) continue;
    const c: StationChange = {
      id: st.id,
      name: st.name,
      before: { areaId: st.areaId, path: names(s.areas, st.areaId) },
      after: { areaId: a.areaPath.at(-1) as string, path: names(change.areas, a.areaPath.at(-1) as string) },
      slots: diff(reaching(s.slots, b), reaching(slotsAfter, a)),
      quietWindows: diff(reaching(s.quietWindows, b), reaching(windowsAfter, a)),
      policies: diff(reaching(s.policies, b), reaching(policiesAfter, a)),
      policy: { before: effectivePolicy(s.policies, b), after: effectivePolicy(policiesAfter, a) },
    };
    const same =
      c.before.path.join('/') === c.after.path.join('/') &&
      c.before.areaId === c.after.areaId &&
      [c.slots, c.quietWindows, c.policies].every((d) => d.gained.length + d.lost.length === 0) &&
      JSON.stringify(c.policy.before) === JSON.stringify(c.policy.after);
    if (!same) stations.push(c);
  }

  const reach = (t: Target, side: Map<string, StationInfo>) => {
    let n = 0;
    for (const st of side.values()) if (targetIncludes(t, st)) n++;
    return n;
  };
  const ruleChanges = (
    rewrites: Rewrite<{ id: string; target: Target }>[],
    copies: { id: string; target: Target }[],
  ) => [
    ...rewrites.map(
      (r): RuleChange => ({
        id: r.before.id,
        change: 'retargeted',
        before: r.before.target,
        after: r.after.target,
        stations: { before: reach(r.before.target, before), after: reach(r.after.target, after) },
      }),
    ),
    ...copies.map(
      (r): RuleChange => ({
        id: r.id,
        change: 'copied',
        copyOf: fx.copiedFrom.get(r.id) ?? '',
        before: null,
        after: r.target,
        stations: { before: 0, after: reach(r.target, after) },
      }),
    ),
  ];
  const out = {
    operation: op,
    areas: areaChanges,
    stations,
    slots: ruleChanges(fx.slots, fx.newSlots),
    quietWindows: ruleChanges(fx.quietWindows, fx.newQuietWindows),
    policies: ruleChanges(fx.policies, fx.newPolicies),
    campaigns: fx.campaigns,
    users: fx.users.map((u) => ({ username: u.username, before: u.before, after: u.after })),
    bulletins: fx.alerts,
  };
  return {
    ...out,
    counts: {
      areas: out.areas.length,
      stations: out.stations.length,
      slots: out.slots.length,
      quietWindows: out.quietWindows.length,
      policies: out.policies.length,
      campaigns: out.campaigns.length,
      users: out.users.length,
      bulletins: out.bulletins.length,
    },
  };
}
export type Preview = ReturnType<typeof preview>;
