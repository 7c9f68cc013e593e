// The national view as the API answers it: the provinces and their link state, the items sent with their
// state at each province, a bulletin's counts over time, and the table of the provinces' days.
import type { Db } from '../db.ts';
import type { ItemRow } from './items.ts';
import type { NationalSettings } from './settings.ts';
import { linkStates, type SendRow, sendsOf, waitingByProvince } from './store.ts';

export function provincesView(db: Db, s: NationalSettings) {
  const links = linkStates(db);
  const waiting = waitingByProvince(db);
  return s.provinces.map((p) => {
    const l = links.get(p.id);
    return {
      id: p.id,
      name: p.name,
      baseUrl: p.baseUrl,
      lastSuccessAt: l?.last_success_at ?? null,
      lastError: l?.last_error_at
        ? { at: l.last_error_at, message: l.last_error, messageVi: l.last_error_vi }
        : null,
      /** Up: the last exchange succeeded (or none failed yet). */
      up: !l?.last_error_at || (l.last_success_at ?? '') > l.last_error_at,
      waiting: waiting.get(p.id) ?? 0,
    };
  });
}

const sendView = (r: SendRow, names: Map<string, string>) => ({
  provinceId: r.province_id,
  provinceName: names.get(r.province_id) ?? r.province_id,
  /**
   * waiting: not yet answered (`sent` once tried; `nextTryAt`); accepted: `remoteId` is the item there;
   * cancelled: withdrawn there (or never sent, `remoteId` null).
   */
  state: r.state,
  sent: r.attempts > 0,
  attempts: r.attempts,
  nextTryAt: r.state === 'waiting' ? r.next_at : null,
  firstSentAt: r.first_sent_at,
  answeredAt: r.answered_at,
  remoteId: r.remote_id,
  reason: r.error,
  reasonVi: r.error_vi,
});

export function itemView(db: Db, s: NationalSettings, item: ItemRow) {
  const names = new Map(s.provinces.map((p) => [p.id, p.name]));
  const sends = sendsOf(db, item.id);
  const counts = item.kind === 'bulletin' ? latestCounts(db, item.id) : new Map();
  return {
    id: item.id,
    kind: item.kind,
    level: item.level,
    title: item.title,
    createdAt: item.created_at,
    createdBy: item.created_by,
    cancelledAt: item.cancelled_at ?? null,
    cancelReason: item.cancel_reason ?? null,
    body: JSON.parse(item.body) as unknown,
    provinces: sends.map((r) => ({ ...sendView(r, names), stations: counts.get(r.province_id) ?? null })),
  };
}

function latestCounts(db: Db, itemId: string) {
  const rows = db
    .prepare(
      `SELECT province_id, stations, reached, started, max(at) AS at FROM national_alert_counts
       WHERE item_id = ? GROUP BY province_id`,
    )
    .all(itemId) as { province_id: string; stations: number; reached: number; started: number; at: string }[];
  return new Map(
    rows.map((r) => [r.province_id, { total: r.stations, reached: r.reached, started: r.started, at: r.at }]),
  );
}

/** A bulletin's counts at each province over time, as read (a row when they changed): the benchmark's hook. */
export const countsOverTime = (db: Db, itemId: string) =>
  db
    .prepare(
      'SELECT province_id AS provinceId, at, stations, reached, started FROM national_alert_counts WHERE item_id = ? ORDER BY at, province_id',
    )
    .all(itemId) as { provinceId: string; at: string; stations: number; reached: number; started: number }[];

export function reportTable(db: Db, s: NationalSettings, from: string, to: string) {
  const names = new Map(s.provinces.map((p) => [p.id, p.name]));
  const rows = db
    .prepare('SELECT * FROM national_report_days WHERE day >= ? AND day <= ? ORDER BY day DESC, province_id')
    .all(from, to) as {
    province_id: string;
    day: string;
    stations: number;
    played: number;
    missed: number;
    records: number;
    minutes_on_air: number;
    read_at: string;
  }[];
  return rows.map((r) => ({
    provinceId: r.province_id,
    provinceName: names.get(r.province_id) ?? r.province_id,
    day: r.day,
    stations: r.stations,
    played: r.played,
    missed: r.missed,
    records: r.records,
    minutesOnAir: r.minutes_on_air,
    readAt: r.read_at,
  }));
}
