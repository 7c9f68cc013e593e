// What stations send the controller: presence, health, as-run records, bulletin statuses and local
// overrides. Malformed messages, and messages speaking for another station, are logged and dropped.
import { errorMessage, type Logger } from '../../common/log.ts';
import { AsRunBatch, Health, Presence, parseStationTopic } from '../../schedules/protocol.ts';
import { ingestAlertStatus } from '../alerts/ingest.ts';
import type { Db } from '../db.ts';
import { ingestOverrides } from '../overrides/ingest.ts';
import { storeAsRun } from '../plays/store.ts';
import { setHealth, setPresence, stationExists } from '../stations/store.ts';

export interface StationIngest {
  /** Handles one message on a station topic; answers the as-run ids to acknowledge, if any. */
  handle(topic: string, payload: Buffer, now: Date): { stationId: string; ids: string[] } | null;
  /** Stores the bulletin statuses still queued (they are otherwise stored at the next turn of the loop). */
  flush(): void;
}

/**
 * Bulletin statuses come in floods (every station of a district within a second): those that arrive
 * in one turn of the event loop are stored in one transaction, about 15 µs each instead of 50.
 */
export function createStationIngest(db: Db, log: Logger): StationIngest {
  const queued: [string, unknown][] = [];
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    const batch = queued.splice(0);
    if (!batch.length || !db.open) return;
    try {
      db.transaction(() => {
        for (const [stationId, json] of batch) ingestAlertStatus(db, stationId, json, log);
      })();
    } catch (e) {
      log.error(`mqtt: could not store ${batch.length} alert-status message(s): ${errorMessage(e)}`);
    }
  };
  const queueStatus = (stationId: string, json: unknown) => {
    queued.push([stationId, json]);
    if (!scheduled) {
      scheduled = true;
      setImmediate(flush);
    }
  };
  return {
    handle: (topic, payload, now) => handleStationMessage(db, topic, payload, now, log, queueStatus),
    flush,
  };
}

function handleStationMessage(
  db: Db,
  topic: string,
  payload: Buffer,
  now: Date,
  log: Logger,
  queueStatus: (stationId: string, json: unknown) => void,
): { stationId: string; ids: string[] } | null {
  const t = parseStationTopic(topic);
  if (!t || t.kind === 'desired' || t.kind === 'as-run/ack') return null;
  // An empty retained message clears a topic (a station that drops its override report): nothing to store.
  if (payload.length === 0) return null;
  let json: unknown;
  try {
    json = JSON.parse(payload.toString('utf8'));
  } catch {
    log.warn(`mqtt: dropped non-JSON message on ${topic}`);
    return null;
  }
  switch (t.kind) {
    case 'presence': {
      const p = Presence.safeParse(json);
      if (!p.success) log.warn(`mqtt: dropped malformed presence on ${topic}`);
      else setPresence(db, t.stationId, p.data.online, p.data.at);
      return null;
    }
    case 'health': {
      const h = Health.safeParse(json);
      if (!h.success) log.warn(`mqtt: dropped malformed health on ${topic}`);
      else setHealth(db, t.stationId, h.data);
      return null;
    }
    case 'as-run': {
      const b = AsRunBatch.safeParse(json);
      if (!b.success) {
        log.warn(`mqtt: dropped malformed as-run batch on ${topic}: ${b.error.issues[0]?.message}`);
        return null;
      }
      // A station speaks only for itself: records naming another station are refused whole.
      if (b.data.records.some((r) => r.stationId !== t.stationId)) {
        log.warn(`mqtt: dropped as-run batch on ${topic} with records of another station`);
        return null;
      }
      if (!stationExists(db, t.stationId)) {
        log.warn(`mqtt: dropped as-run batch from unknown station '${t.stationId}'`);
        return null;
      }
      return { stationId: t.stationId, ids: storeAsRun(db, b.data.records, now) };
    }
    case 'alert-status':
      queueStatus(t.stationId, json);
      return null;
    case 'overrides':
      ingestOverrides(db, t.stationId, json, now, log);
      return null;
    default:
      return null;
  }
}
