// What a change of the tree does to everything that names areas, pure: rules, policies, people,
// campaigns and running bulletins; refused when a campaign would end up with slots outside its area.
import type { QuietWindow, Slot, Target } from '../../../schedules/model.ts';
import { targetKey } from '../../../schedules/targets.ts';
import type { StoredPolicy } from '../../policies/store.ts';
import { chainIn, Refusal, type Snapshot, type TreeChange } from './snapshot.ts';

type Targeted = { id: string; target: Target };
export interface Rewrite<T> {
  before: T;
  after: T;
}

export interface Effects {
  slots: Rewrite<Slot>[];
  /** Copies for the other parts of a split area. */
  newSlots: Slot[];
  quietWindows: Rewrite<QuietWindow>[];
  newQuietWindows: QuietWindow[];
  policies: Rewrite<StoredPolicy>[];
  newPolicies: StoredPolicy[];
  campaigns: { id: string; name: string; before: string | null; after: string | null }[];
  users: { id: number; username: string; before: string[]; after: string[] }[];
  /** A running bulletin to a retired area goes on to exactly the stations it reached, by name. */
  alerts: { id: string; title: string; before: Target[]; after: Target[] }[];
  /** The rule each copy was made from. */
  copiedFrom: Map<string, string>;
}

/** An alert may have at most this many targets (schedules/alerts.ts). */
const MAX_TARGETS = 500;

function retarget<T extends Targeted>(rules: T[], change: TreeChange, copiedFrom: Map<string, string>) {
  const rewrites: Rewrite<T>[] = [];
  const copies: T[] = [];
  const ids = new Set(rules.map((r) => r.id));
  for (const r of rules) {
    if (r.target.scope !== 'area') continue;
    const to = change.replaced.get(r.target.id);
    if (!to) continue;
    const [main, ...others] = to as [string, ...string[]];
    rewrites.push({ before: r, after: { ...r, target: { scope: 'area', id: main } } });
    for (const part of others) {
      let id = `${r.id}-${part}`.slice(0, 64);
      for (let n = 2; ids.has(id); n++) id = `${r.id.slice(0, 40)}-${part.slice(0, 16)}-${n}`;
      ids.add(id);
      copiedFrom.set(id, r.id);
      copies.push({ ...r, id, target: { scope: 'area', id: part } });
    }
  }
  return { rewrites, copies };
}

export function effects(s: Snapshot, change: TreeChange): Effects {
  const copiedFrom = new Map<string, string>();
  const slots = retarget(s.slots, change, copiedFrom);
  const windows = retarget(s.quietWindows, change, copiedFrom);
  const policies = retarget(s.policies, change, copiedFrom);
  const swap = (id: string) => change.replaced.get(id) ?? [id];

  const users = s.users.flatMap((u) => {
    if (!u.areas.some((a) => change.replaced.has(a))) return [];
    return [{ ...u, before: u.areas, after: [...new Set(u.areas.flatMap(swap))] }];
  });
  const campaigns = s.campaigns.flatMap((c) =>
    c.areaId && change.campaignsTo.has(c.areaId)
      ? [{ id: c.id, name: c.name, before: c.areaId, after: change.campaignsTo.get(c.areaId) ?? null }]
      : [],
  );

  const stationsUnder = (areaId: string) =>
    s.stations.filter((st) => chainIn(s.areas, st.areaId).includes(areaId)).map((st) => st.id);
  const alerts = s.alerts.flatMap((a) => {
    if (!a.targets.some((t) => t.scope === 'area' && change.replaced.has(t.id))) return [];
    const after = new Map<string, Target>();
    for (const t of a.targets) {
      const named: Target[] =
        t.scope === 'area' && change.replaced.has(t.id) && stationsUnder(t.id).length
          ? stationsUnder(t.id).map((id) => ({ scope: 'station', id }))
          : [t];
      for (const x of named) after.set(targetKey(x), x);
    }
    if (after.size > MAX_TARGETS)
      throw new Refusal(
        `bulletin '${a.id}' (${a.title}) is running for an area that would be retired and reaches ` +
          `${after.size} stations, more than a bulletin can name: wait until it ends or withdraw it first`,
        409,
      );
    return [{ id: a.id, title: a.title, before: a.targets, after: [...after.values()] }];
  });

  const out: Effects = {
    slots: slots.rewrites,
    newSlots: slots.copies,
    quietWindows: windows.rewrites,
    newQuietWindows: windows.copies,
    policies: policies.rewrites,
    newPolicies: policies.copies,
    campaigns,
    users,
    alerts,
    copiedFrom,
  };
  refuseCampaignsBroken(s, change, out);
  return out;
}

/**
 * A campaign's slots stay inside its area (as when they were saved): a change that takes one that was
 * inside out of it is refused.
 */
function refuseCampaignsBroken(s: Snapshot, change: TreeChange, fx: Effects): void {
  const before = new Map(s.campaigns.map((c) => [c.id, c.areaId]));
  const after = new Map(before);
  for (const c of fx.campaigns) after.set(c.id, c.after);
  const place =
    (areas: TreeChange['areas'], stationArea: (id: string) => string | undefined) => (t: Target) => {
      if (t.scope === 'area') return chainIn(areas, t.id);
      const station = t.scope === 'zone' ? t.station : t.scope === 'station' ? t.id : undefined;
      const area = station ? stationArea(station) : undefined;
      return area ? chainIn(areas, area) : [];
    };
  const home = new Map(s.stations.map((st) => [st.id, st.areaId]));
  const placeBefore = place(s.areas, (id) => home.get(id));
  const placeAfter = place(change.areas, (id) => change.stations.get(id) ?? home.get(id));
  const inside = (slot: Slot, campaigns: Map<string, string | null>, placeOf: (t: Target) => string[]) => {
    const area = slot.campaignId ? campaigns.get(slot.campaignId) : null;
    return !area || placeOf(slot.target).includes(area);
  };
  const rewritten = new Map(fx.slots.map((r) => [r.after.id, r.after]));
  const broken = [
    ...s.slots.filter((x) => inside(x, before, placeBefore)).map((x) => rewritten.get(x.id) ?? x),
    ...fx.newSlots,
  ].filter((slot) => !inside(slot, after, placeAfter));
  if (broken.length === 0) return;
  const named = broken
    .slice(0, 10)
    .map((x) => `${x.id} (campaign ${x.campaignId})`)
    .join(', ');
  throw new Refusal(
    `slots would lie outside their campaign's area: ${named}${broken.length > 10 ? ` and ${broken.length - 10} more` : ''}; ` +
      'move or remove them first',
    409,
  );
}
