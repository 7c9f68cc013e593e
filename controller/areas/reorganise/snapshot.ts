// What a reorganisation reads, once, before planning: the areas, levels, stations, rules, people,
// campaigns and running bulletins; and what a plan is.
import type { QuietWindow, Slot, Target } from '../../../schedules/model.ts';
import { type AlertRow, targetsOf } from '../../alerts/store.ts';
import type { Db } from '../../db.ts';
import type { StoredPolicy } from '../../policies/store.ts';
import { loadPolicies } from '../../policies/store.ts';
import { allQuietWindows, allSlots } from '../../rules/store.ts';
import { type AreaRow, type Level, listLevels } from '../tree.ts';

export interface Snapshot {
  at: string;
  levels: Level[];
  areas: Map<string, AreaRow>;
  stations: { id: string; name: string; areaId: string; timezone: string }[];
  slots: Slot[];
  quietWindows: QuietWindow[];
  policies: StoredPolicy[];
  campaigns: { id: string; name: string; areaId: string | null }[];
  users: { id: number; username: string; areas: string[] }[];
  /** Bulletins neither cancelled nor expired: their targets must keep reaching the same stations. */
  alerts: { id: string; title: string; targets: Target[] }[];
}

export function loadSnapshot(db: Db, now: Date): Snapshot {
  const at = now.toISOString();
  const areas = db.prepare('SELECT * FROM areas').all() as AreaRow[];
  return {
    at,
    levels: listLevels(db),
    areas: new Map(areas.map((a) => [a.id, a])),
    stations: (
      db.prepare('SELECT id, name, area_id, timezone FROM stations ORDER BY id').all() as {
        id: string;
        name: string;
        area_id: string;
        timezone: string;
      }[]
    ).map((s) => ({ id: s.id, name: s.name, areaId: s.area_id, timezone: s.timezone })),
    slots: allSlots(db),
    quietWindows: allQuietWindows(db),
    policies: loadPolicies(db),
    campaigns: (
      db.prepare('SELECT id, name, area_id FROM campaigns ORDER BY id').all() as {
        id: string;
        name: string;
        area_id: string | null;
      }[]
    ).map((c) => ({ id: c.id, name: c.name, areaId: c.area_id })),
    users: (
      db.prepare('SELECT id, username, areas FROM users ORDER BY username').all() as {
        id: number;
        username: string;
        areas: string;
      }[]
    ).map((u) => ({ id: u.id, username: u.username, areas: JSON.parse(u.areas) as string[] })),
    alerts: (
      db
        .prepare('SELECT * FROM alerts WHERE cancelled_at IS NULL AND expires_at > ? ORDER BY id')
        .all(at) as AlertRow[]
    ).map((r) => ({ id: r.id, title: r.title, targets: targetsOf(r) })),
  };
}

/** The tree as it is after the operation, and what it did to areas and stations. */
export interface TreeChange {
  /** Every area after the operation (retired ones included). */
  areas: Map<string, AreaRow>;
  created: string[];
  /** Renamed, moved or given a new code: a new version of each in its history. */
  changed: string[];
  retired: string[];
  /** Stations that hang from another area: station id -> area id. */
  stations: Map<string, string>;
  /** Retired areas and what takes their place for rules, people and campaigns (the first one first). */
  replaced: Map<string, string[]>;
  /** Where a retired area's campaigns go (a split sends them up to the parent). */
  campaignsTo: Map<string, string | null>;
}

/** Why an operation is refused; `status` 409 for a conflict with what exists, else 400. */
export class Refusal extends Error {
  constructor(
    message: string,
    readonly status: 400 | 404 | 409 = 400,
  ) {
    super(message);
  }
}

/** The chain of ids from the root down to `id` in a map of areas. */
export function chainIn(areas: Map<string, AreaRow>, id: string): string[] {
  const out: string[] = [];
  for (
    let cur = areas.get(id);
    cur && out.length < 64;
    cur = cur.parent_id ? areas.get(cur.parent_id) : undefined
  )
    out.unshift(cur.id);
  return out;
}
