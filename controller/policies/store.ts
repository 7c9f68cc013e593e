// The airtime_policies table: limits on air time per area.
import type { AreaPolicy } from '../../schedules/policy.ts';
import type { Db } from '../db.ts';
import { notFound } from '../http/errors.ts';

export type StoredPolicy = AreaPolicy & { id: string };

export function loadPolicies(db: Db): StoredPolicy[] {
  return (db.prepare('SELECT body FROM airtime_policies ORDER BY id').all() as { body: string }[]).map(
    (r) => JSON.parse(r.body) as StoredPolicy,
  );
}

export function getPolicy(db: Db, id: string): StoredPolicy {
  const r = db.prepare('SELECT body FROM airtime_policies WHERE id = ?').get(id) as
    | { body: string }
    | undefined;
  if (!r) throw notFound('air-time policy', id);
  return JSON.parse(r.body) as StoredPolicy;
}

export const policyExists = (db: Db, id: string) =>
  !!db.prepare('SELECT 1 FROM airtime_policies WHERE id = ?').get(id);

export function insertPolicy(db: Db, p: StoredPolicy, now: Date): void {
  db.prepare('INSERT INTO airtime_policies (id, body, created_at) VALUES (?, ?, ?)').run(
    p.id,
    JSON.stringify(p),
    now.toISOString(),
  );
}

export function updatePolicy(db: Db, p: StoredPolicy): void {
  db.prepare('UPDATE airtime_policies SET body = ? WHERE id = ?').run(JSON.stringify(p), p.id);
}

export const deletePolicy = (db: Db, id: string) =>
  db.prepare('DELETE FROM airtime_policies WHERE id = ?').run(id);
