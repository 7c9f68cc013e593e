// The campaigns table: a name, a key message, a date range and an owning area.
import type { Db } from '../db.ts';
import { notFound } from '../http/errors.ts';

export interface CampaignRow {
  id: string;
  name: string;
  message: string;
  start_date: string;
  end_date: string;
  /** The owning area; null: the whole tree. */
  area_id: string | null;
  created_at: string;
}

export const campaignView = (r: CampaignRow) => ({
  id: r.id,
  name: r.name,
  message: r.message,
  startDate: r.start_date,
  endDate: r.end_date,
  areaId: r.area_id,
  createdAt: r.created_at,
});
export type CampaignView = ReturnType<typeof campaignView>;

export const findCampaign = (db: Db, id: string) =>
  db.prepare('SELECT * FROM campaigns WHERE id = ?').get(id) as CampaignRow | undefined;

export function getCampaign(db: Db, id: string): CampaignRow {
  const r = findCampaign(db, id);
  if (!r) throw notFound('campaign', id);
  return r;
}

export const listCampaigns = (db: Db) =>
  db.prepare('SELECT * FROM campaigns ORDER BY start_date DESC').all() as CampaignRow[];

export const campaignExists = (db: Db, id: string) =>
  !!db.prepare('SELECT 1 FROM campaigns WHERE id = ?').get(id);

type Fields = Pick<CampaignView, 'name' | 'message' | 'startDate' | 'endDate' | 'areaId'>;

export function insertCampaign(db: Db, id: string, c: Fields, now: Date): void {
  db.prepare(
    'INSERT INTO campaigns (id, name, message, start_date, end_date, area_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  ).run(id, c.name, c.message, c.startDate, c.endDate, c.areaId, now.toISOString());
}

export function updateCampaign(db: Db, id: string, c: Fields): void {
  db.prepare(
    'UPDATE campaigns SET name = ?, message = ?, start_date = ?, end_date = ?, area_id = ? WHERE id = ?',
  ).run(c.name, c.message, c.startDate, c.endDate, c.areaId, id);
}

/** Deletes a campaign; its slots go with it (ON DELETE CASCADE). */
export const deleteCampaign = (db: Db, id: string) =>
  db.prepare('DELETE FROM campaigns WHERE id = ?').run(id);

/** Moves campaigns from one owning area to another (a reorganisation). */
export const setCampaignArea = (db: Db, id: string, areaId: string | null) =>
  db.prepare('UPDATE campaigns SET area_id = ? WHERE id = ?').run(areaId, id);
