// The slots, slot_clips and quiet_windows tables: the rules stations compile their timetables from.
import type { QuietWindow, Slot } from '../../schedules/model.ts';
import type { Db } from '../db.ts';

export type RuleTable = 'slots' | 'quiet_windows';

const bodies = <T>(rows: unknown[]) => (rows as { body: string }[]).map((r) => JSON.parse(r.body) as T);

export const allSlots = (db: Db) => bodies<Slot>(db.prepare('SELECT body FROM slots ORDER BY id').all());

export const allQuietWindows = (db: Db) =>
  bodies<QuietWindow>(db.prepare('SELECT body FROM quiet_windows ORDER BY id').all());

/**
 * The place a rule's target is filed under: the area or station it names, '*' for the whole tree (the
 * version before the tree's `city`). The same expression is indexed (db.ts) and computed by `placeOf`.
 */
const PLACE = "coalesce(json_extract(body, '$.target.id'), json_extract(body, '$.target.station'), '*')";

/** The rules whose target is filed under one of these places (areas, a station) or the whole tree; by id. */
export const rulesAt = <T>(db: Db, table: RuleTable, places: readonly string[]) =>
  bodies<T>(
    db
      .prepare(`SELECT body FROM ${table} WHERE ${PLACE} IN (SELECT value FROM json_each(?)) ORDER BY id`)
      .all(JSON.stringify(['*', ...places])),
  );

export const slotsOfCampaign = (db: Db, campaignId: string) =>
  bodies<Slot>(db.prepare('SELECT body FROM slots WHERE campaign_id = ? ORDER BY id').all(campaignId));

export const listRules = <T>(db: Db, table: RuleTable) =>
  bodies<T>(db.prepare(`SELECT body FROM ${table} ORDER BY id`).all());

export function findRule<T>(db: Db, table: RuleTable, id: string): T | undefined {
  const r = db.prepare(`SELECT body FROM ${table} WHERE id = ?`).get(id) as { body: string } | undefined;
  return r ? (JSON.parse(r.body) as T) : undefined;
}

export const ruleExists = (db: Db, table: RuleTable, id: string) =>
  !!db.prepare(`SELECT 1 FROM ${table} WHERE id = ?`).get(id);

export const deleteRule = (db: Db, table: RuleTable, id: string) =>
  db.prepare(`DELETE FROM ${table} WHERE id = ?`).run(id);

/** Saves a slot and the clips it plays, in order, in one transaction. */
export function saveSlot(db: Db, slot: Slot, now: string, isNew: boolean): void {
  db.transaction(() => {
    if (isNew) {
      db.prepare('INSERT INTO slots (id, campaign_id, body, created_at) VALUES (?, ?, ?, ?)').run(
        slot.id,
        slot.campaignId,
        JSON.stringify(slot),
        now,
      );
    } else {
      db.prepare('UPDATE slots SET campaign_id = ?, body = ? WHERE id = ?').run(
        slot.campaignId,
        JSON.stringify(slot),
        slot.id,
      );
      db.prepare('DELETE FROM slot_clips WHERE slot_id = ?').run(slot.id);
    }
    const link = db.prepare('INSERT INTO slot_clips (slot_id, position, clip_id) VALUES (?, ?, ?)');
    for (const [i, clipId] of slot.clipIds.entries()) link.run(slot.id, i, clipId);
  })();
}

export function saveQuietWindow(db: Db, qw: QuietWindow, now: string, isNew: boolean): void {
  if (isNew) insertQuietWindows(db, [qw], now);
  else db.prepare('UPDATE quiet_windows SET body = ? WHERE id = ?').run(JSON.stringify(qw), qw.id);
}

/** New quiet windows, all or none. */
export function insertQuietWindows(db: Db, windows: QuietWindow[], now: string): void {
  const insert = db.prepare('INSERT INTO quiet_windows (id, body, created_at) VALUES (?, ?, ?)');
  db.transaction(() => {
    for (const qw of windows) insert.run(qw.id, JSON.stringify(qw), now);
  })();
}
