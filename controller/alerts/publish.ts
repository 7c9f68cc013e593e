// Bulletins on the broker: one retained QoS 1 message per target (not per station), republished while
// active whenever the controller's link connects, and cleared once expired.
import { topics } from '../../schedules/protocol.ts';
import type { Db } from '../db.ts';
import type { Logger, MessageBus } from '../deps.ts';
import { type AlertRow, alertPayload, targetsOf } from './store.ts';

/** The alert's topics, one per distinct target. */
export const alertTopics = (r: AlertRow) => [...new Set(targetsOf(r).map((t) => topics.alert(t, r.id)))];

/** Publishes the alert as it stands (with cancelledAt once withdrawn) on every target's topic, retained. */
export function publishAlert(bus: MessageBus, r: AlertRow): void {
  const payload = JSON.stringify(alertPayload(r));
  for (const topic of alertTopics(r)) bus.publish(topic, payload, { retain: true });
}

/**
 * Clears the retained messages of alerts that expired (cancelled or not), once: a station coming
 * online later gets nothing. Returns how many alerts were cleared.
 */
export function sweepExpiredAlerts(db: Db, bus: MessageBus, now: Date, log: Logger): number {
  const at = now.toISOString();
  const due = db
    .prepare('SELECT * FROM alerts WHERE cleared_at IS NULL AND expires_at <= ? ORDER BY expires_at')
    .all(at) as AlertRow[];
  const mark = db.prepare('UPDATE alerts SET cleared_at = ? WHERE id = ?');
  for (const r of due) {
    for (const topic of alertTopics(r)) bus.publish(topic, '', { retain: true });
    mark.run(at, r.id);
    log.info(`alert ${r.id}: expired at ${r.expires_at}; retained messages cleared`);
  }
  return due.length;
}

/**
 * At every (re)connect of the controller's link: the broker may have lost its retained messages
 * (aedes keeps them in memory only), so every alert not yet expired is published again, and those
 * that expired meanwhile are cleared.
 */
export function republishAlerts(db: Db, bus: MessageBus, now: Date, log: Logger): number {
  const open = db
    .prepare('SELECT * FROM alerts WHERE cleared_at IS NULL AND expires_at > ? ORDER BY issued_at')
    .all(now.toISOString()) as AlertRow[];
  for (const r of open) publishAlert(bus, r);
  if (open.length) log.info(`republished ${open.length} alert(s)`);
  sweepExpiredAlerts(db, bus, now, log);
  return open.length;
}

/** The next instant an alert expires that has not been cleared yet, or null. */
export function nextExpiry(db: Db): Date | null {
  const r = db.prepare('SELECT MIN(expires_at) AS at FROM alerts WHERE cleared_at IS NULL').get() as {
    at: string | null;
  };
  return r.at ? new Date(r.at) : null;
}
