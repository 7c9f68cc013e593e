// The answer to a station's hello (docs/protocol.md, "Hello and roll call"): its desired state again when
// the version it applied differs, the active bulletins it lacks and the end of those it holds that were
// withdrawn, each sent to this station only, so that no station depends on a retained copy kept by the
// broker node it reached; a mobile unit's own copies too.
import type { Logger } from '../../common/log.ts';
import { Hello, protocolTopics } from '../../schedules/protocol.ts';
import { targetIncludes } from '../../schedules/targets.ts';
import { alertPayload, targetsOf, unclearedAlerts } from '../alerts/store.ts';
import type { Db } from '../db.ts';
import { copiesForHello } from '../mobile/deliver.ts';
import { stationPlace } from '../stations/store.ts';

export interface HelloDeps {
  db: Db;
  log: Logger;
  /** Publishes QoS 1 (the link signs bulletins on their way out). */
  publish(topic: string, payload: string, retain: boolean): void;
  /** Publishes the station's current desired state again, retained, on its root. */
  resendDesired(stationId: string): void;
}

/** What the answer sent: whether the desired state went again, and the bulletins sent and ended. */
export interface HelloAnswer {
  desired: boolean;
  sent: string[];
  ended: string[];
}

export function createHelloAnswer(deps: HelloDeps) {
  const { db, log } = deps;
  const versionOf = db.prepare('SELECT desired_version FROM stations WHERE id = ?').pluck();

  return function answer(stationId: string, root: string, payload: Buffer, now: Date): HelloAnswer | null {
    let json: unknown;
    try {
      json = JSON.parse(payload.toString('utf8'));
    } catch {
      log.warn(`mqtt: dropped non-JSON hello from ${stationId}`);
      return null;
    }
    const hello = Hello.safeParse(json);
    if (!hello.success) {
      const i = hello.error.issues[0];
      log.warn(`mqtt: dropped invalid hello from ${stationId} (${i?.path.join('.')}: ${i?.message})`);
      return null;
    }
    const place = stationPlace(db, stationId);
    if (!place) {
      log.warn(`mqtt: dropped hello from unknown station '${stationId}'`);
      return null;
    }
    const version = versionOf.get(stationId) as number;
    const desired = version !== hello.data.desiredVersion;
    if (desired) deps.resendDesired(stationId);

    // On the station's own bulletin topic, not retained: it reaches this station only and leaves nothing
    // on the broker; the agent ends it at its expiresAt as it ends the original.
    const topics = protocolTopics(root);
    const to = (alertId: string) => topics.alert({ scope: 'station', id: stationId }, alertId);
    const holds = new Set(hello.data.alerts);
    const sent: string[] = [];
    const ended: string[] = [];
    // a mobile unit's own copies of bulletins of areas it passes through: answered as they stand for it
    const copies = copiesForHello(db, stationId, holds, now);
    for (const [id, copy] of copies) {
      deps.publish(to(id), copy.payload, false);
      (copy.ended ? ended : sent).push(id);
    }
    const open = new Map(unclearedAlerts(db, now, false).map((r) => [r.id, r]));
    for (const r of open.values()) {
      if (r.cancelled_at || holds.has(r.id)) continue;
      if (!targetsOf(r).some((t) => targetIncludes(t, place))) continue;
      deps.publish(to(r.id), JSON.stringify(alertPayload(r)), false);
      sent.push(r.id);
    }
    for (const id of holds) {
      if (copies.has(id)) continue;
      const r = open.get(id);
      if (r && !r.cancelled_at) continue;
      // withdrawn: the bulletin as it stands says so; gone or expired here: an empty message
      deps.publish(to(id), r ? JSON.stringify(alertPayload(r)) : '', false);
      ended.push(id);
    }
    if (desired || sent.length || ended.length)
      log.info(
        `mqtt: hello from ${stationId} (v${hello.data.desiredVersion}): ${desired ? `desired state v${version} sent again; ` : ''}${sent.length} bulletin(s) sent, ${ended.length} ended`,
      );
    return { desired, sent, ended };
  };
}
