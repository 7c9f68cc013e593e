// Bulletins on the broker: one retained QoS 1 message per target and spoken root (not per station),
// republished while active whenever the controller's link connects, and cleared once expired.
import type { Logger } from '../../common/log.ts';
import { protocolTopics, TOPIC_ROOT } from '../../schedules/protocol.ts';
import type { Db } from '../db.ts';
import type { MessageBus } from '../deps.ts';
import { type AlertRow, alertPayload, clearedMarker, targetsOf, unclearedAlerts } from './store.ts';

/**
 * The alert's topics, one per distinct target on each root: a controller speaking v1 and v2 sends a
 * bulletin on both (one message per target, cheap), whichever protocol its stations speak.
 */
export const alertTopics = (r: AlertRow, roots: readonly string[] = [TOPIC_ROOT]) => {
  const targets = targetsOf(r);
  return [...new Set(roots.flatMap((root) => targets.map((t) => protocolTopics(root).alert(t, r.id))))];
};

/** Publishes the alert as it stands (with cancelledAt once withdrawn) on every target's topic, retained. */
export function publishAlert(bus: MessageBus, r: AlertRow): void {
  const payload = JSON.stringify(alertPayload(r));
  for (const topic of alertTopics(r, bus.roots)) bus.publish(topic, payload, { retain: true });
}

/**
 * Clears the retained messages of alerts that expired (cancelled or not), once: a station coming
 * online later gets nothing. Returns how many alerts were cleared.
 */
export function sweepExpiredAlerts(db: Db, bus: MessageBus, now: Date, log: Logger): number {
  const at = now.toISOString();
  const due = unclearedAlerts(db, now, true);
  const mark = clearedMarker(db);
  for (const r of due) {
    for (const topic of alertTopics(r, bus.roots)) bus.publish(topic, '', { retain: true });
    mark(r.id, at);
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
  const open = unclearedAlerts(db, now, false);
  for (const r of open) publishAlert(bus, r);
  if (open.length) log.info(`republished ${open.length} alert(s)`);
  sweepExpiredAlerts(db, bus, now, log);
  return open.length;
}
