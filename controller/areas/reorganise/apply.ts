// Carrying a planned reorganisation out: every write in one transaction, with the areas' and stations'
// history, and a record of who did what and when.
import { setAlertTargets } from '../../alerts/store.ts';
import { setCampaignArea } from '../../campaigns/store.ts';
import type { Db } from '../../db.ts';
import { insertPolicy, updatePolicy } from '../../policies/store.ts';
import { saveQuietWindow, saveSlot } from '../../rules/store.ts';
import { stationMover } from '../../stations/store.ts';
import { setUserAreas } from '../../users/store.ts';
import { endVersions, newVersion } from '../history.ts';
import { type AreaRow, insertArea, retireArea, updateArea } from '../tree.ts';
import type { Effects } from './effects.ts';
import type { Reorganisation } from './ops.ts';
import type { Snapshot, TreeChange } from './snapshot.ts';

/** Applies the plan; answers the id of its record in area_reorganisations. */
export function applyPlan(
  db: Db,
  s: Snapshot,
  op: Reorganisation,
  change: TreeChange,
  fx: Effects,
  record: { actor: string; summary: unknown },
): number {
  const at = s.at;
  const row = (id: string) => change.areas.get(id) as AreaRow;
  return db.transaction(() => {
    // retired first: their codes are free for the areas made now
    for (const id of change.retired) {
      retireArea(db, id, at);
      endVersions(db, id, at);
    }
    for (const id of change.created) {
      insertArea(db, row(id));
      newVersion(db, row(id), at);
    }
    for (const id of change.changed) {
      updateArea(db, row(id));
      newVersion(db, row(id), at);
    }
    const move = stationMover(db, at);
    for (const [station, area] of change.stations) move(station, area);
    for (const r of fx.slots) saveSlot(db, r.after, at, false);
    for (const x of fx.newSlots) saveSlot(db, x, at, true);
    for (const r of fx.quietWindows) saveQuietWindow(db, r.after, at, false);
    for (const x of fx.newQuietWindows) saveQuietWindow(db, x, at, true);
    for (const r of fx.policies) updatePolicy(db, r.after);
    for (const x of fx.newPolicies) insertPolicy(db, x, new Date(at));
    for (const c of fx.campaigns) setCampaignArea(db, c.id, c.after);
    for (const u of fx.users) setUserAreas(db, u.id, u.after);
    for (const a of fx.alerts) setAlertTargets(db, a.id, a.after);
    const r = db
      .prepare('INSERT INTO area_reorganisations (at, actor, operation, summary) VALUES (?, ?, ?, ?)')
      .run(at, record.actor, JSON.stringify(op), JSON.stringify(record.summary));
    return Number(r.lastInsertRowid);
  })();
}
