// The national level's SQL: the items, their outbox rows per province (waiting with the next try, accepted
// with the province's id, refused with its reason), and the link state of each province.
import type { Db } from '../db.ts';
import type { ItemKind, ItemRow } from './items.ts';
import type { ClipCopies } from './steps.ts';

export interface SendRow {
  item_id: string;
  province_id: string;
  urgent: number;
  state: 'waiting' | 'accepted' | 'refused' | 'cancelled';
  steps: string;
  remote_id: string | null;
  attempts: number;
  next_at: string;
  first_sent_at: string | null;
  answered_at: string | null;
  error: string | null;
  error_vi: string | null;
}

/** An item and one waiting row per province, in one transaction. */
export function addItem(
  db: Db,
  item: Omit<ItemRow, 'created_at'> & { kind: ItemKind },
  provinces: readonly string[],
  urgent: boolean,
  now: string,
): void {
  const ins = db.prepare(
    'INSERT INTO national_items (id, kind, level, title, body, clip_id, created_by, created_at) VALUES (@id, @kind, @level, @title, @body, @clip_id, @created_by, @created_at)',
  );
  const send = db.prepare(
    "INSERT INTO national_sends (item_id, province_id, urgent, state, next_at) VALUES (?, ?, ?, 'waiting', ?)",
  );
  db.transaction(() => {
    ins.run({ ...item, created_at: now });
    for (const p of provinces) send.run(item.id, p, urgent ? 1 : 0, now);
  })();
}

export const getItem = (db: Db, id: string) =>
  db.prepare('SELECT * FROM national_items WHERE id = ?').get(id) as ItemRow | undefined;

export const listItems = (db: Db, limit: number) =>
  db
    .prepare('SELECT * FROM national_items ORDER BY created_at DESC, id DESC LIMIT ?')
    .all(limit) as ItemRow[];

/** Waiting rows due at `now`, emergencies first. */
export const dueSends = (db: Db, now: string, limit: number) =>
  db
    .prepare(
      "SELECT * FROM national_sends WHERE state = 'waiting' AND next_at <= ? ORDER BY urgent DESC, next_at LIMIT ?",
    )
    .all(now, limit) as SendRow[];

export const nextDueAt = (db: Db) =>
  (
    db.prepare("SELECT MIN(next_at) AS at FROM national_sends WHERE state = 'waiting'").get() as {
      at: string | null;
    }
  ).at;

export const sendRow = (db: Db, itemId: string, provinceId: string) =>
  db.prepare('SELECT * FROM national_sends WHERE item_id = ? AND province_id = ?').get(itemId, provinceId) as
    | SendRow
    | undefined;

export const sendsOf = (db: Db, itemId: string) =>
  db.prepare('SELECT * FROM national_sends WHERE item_id = ? ORDER BY province_id').all(itemId) as SendRow[];

export const saveSteps = (db: Db, itemId: string, provinceId: string, steps: object) =>
  db
    .prepare('UPDATE national_sends SET steps = ? WHERE item_id = ? AND province_id = ?')
    .run(JSON.stringify(steps), itemId, provinceId);

/**
 * Withdraws an item: every row not refused is due again, first (the sender withdraws what the province
 * made, or stops a row never made there); answers false when it was withdrawn already.
 */
export function cancelItem(db: Db, id: string, reason: string | null, now: string): boolean {
  return db.transaction(() => {
    const r = db
      .prepare(
        'UPDATE national_items SET cancelled_at = ?, cancel_reason = ? WHERE id = ? AND cancelled_at IS NULL',
      )
      .run(now, reason, id);
    if (!r.changes) return false;
    db.prepare(
      "UPDATE national_sends SET state = 'waiting', urgent = 1, next_at = ? WHERE item_id = ? AND state IN ('waiting', 'accepted')",
    ).run(now, id);
    return true;
  })();
}

type Outcome =
  | { state: 'cancelled'; remoteId: string | null }
  | { state: 'accepted'; remoteId: string }
  | { state: 'refused'; error: string; errorVi: string }
  | { state: 'waiting'; nextAt: string; error: string; errorVi: string };

export function recordOutcome(db: Db, r: Pick<SendRow, 'item_id' | 'province_id'>, o: Outcome, now: string) {
  db.prepare(
    `UPDATE national_sends SET state = @state, remote_id = coalesce(@remoteId, remote_id), attempts = attempts + 1,
       next_at = coalesce(@nextAt, next_at), first_sent_at = coalesce(first_sent_at, @now),
       answered_at = CASE WHEN @state = 'waiting' THEN answered_at ELSE @now END,
       error = @error, error_vi = @errorVi
     WHERE item_id = @item AND province_id = @province`,
  ).run({
    state: o.state,
    remoteId: o.state === 'accepted' || o.state === 'cancelled' ? o.remoteId : null,
    nextAt: o.state === 'waiting' ? o.nextAt : null,
    error: 'error' in o ? o.error : null,
    errorVi: 'errorVi' in o ? o.errorVi : null,
    now,
    item: r.item_id,
    province: r.province_id,
  });
}

export interface LinkState {
  province_id: string;
  last_success_at: string | null;
  last_error: string | null;
  last_error_vi: string | null;
  last_error_at: string | null;
}

export function noteLink(db: Db, provinceId: string, now: string, error?: { en: string; vi: string }) {
  db.prepare(
    `INSERT INTO national_links (province_id, last_success_at, last_error, last_error_vi, last_error_at)
     VALUES (@p, @ok, @en, @vi, @errAt)
     ON CONFLICT(province_id) DO UPDATE SET
       last_success_at = coalesce(excluded.last_success_at, last_success_at),
       last_error = CASE WHEN excluded.last_error_at IS NULL THEN last_error ELSE excluded.last_error END,
       last_error_vi = CASE WHEN excluded.last_error_at IS NULL THEN last_error_vi ELSE excluded.last_error_vi END,
       last_error_at = coalesce(excluded.last_error_at, last_error_at)`,
  ).run({
    p: provinceId,
    ok: error ? null : now,
    en: error?.en ?? null,
    vi: error?.vi ?? null,
    errAt: error ? now : null,
  });
}

export const linkStates = (db: Db) =>
  new Map((db.prepare('SELECT * FROM national_links').all() as LinkState[]).map((l) => [l.province_id, l]));

/** Waiting rows per province (the backlog the console shows beside each province). */
export const waitingByProvince = (db: Db) =>
  new Map(
    (
      db
        .prepare(
          "SELECT province_id, COUNT(*) AS n FROM national_sends WHERE state = 'waiting' GROUP BY province_id",
        )
        .all() as { province_id: string; n: number }[]
    ).map((r) => [r.province_id, r.n]),
  );

/** The recordings' copies at the provinces (steps.ts, copyClip). */
export function clipCopies(db: Db): ClipCopies {
  const get = db.prepare(
    'SELECT remote_id, approved FROM national_clip_copies WHERE clip_id = ? AND province_id = ?',
  );
  const set = db.prepare(
    `INSERT INTO national_clip_copies (clip_id, province_id, remote_id, approved) VALUES (?, ?, ?, ?)
     ON CONFLICT(clip_id, province_id) DO UPDATE SET remote_id = excluded.remote_id, approved = excluded.approved`,
  );
  return {
    get: (clipId, provinceId) => {
      const r = get.get(clipId, provinceId) as { remote_id: string; approved: number } | undefined;
      return r && { remoteId: r.remote_id, approved: r.approved === 1 };
    },
    set: (clipId, provinceId, remoteId, approved) => {
      set.run(clipId, provinceId, remoteId, approved ? 1 : 0);
    },
  };
}
