// What stations send the controller: presence, health, as-run records, bulletin statuses and local
// overrides. Malformed messages, and messages speaking for another station, are logged and dropped.
import type { Clock } from '../../common/clock.ts';
import { errorMessage, type Logger } from '../../common/log.ts';
import { AsRunBatch, Health, Presence, parseStationTopic } from '../../schedules/protocol.ts';
import { ingestAlertStatus } from '../alerts/ingest.ts';
import type { Db } from '../db.ts';
import { ingestOverrides } from '../overrides/ingest.ts';
import { storeAsRun } from '../plays/store.ts';
import { setHealth, setPresence } from '../stations/store.ts';
import type { IngestKind, LoadMetrics } from './load.ts';

export interface StationIngest {
  /** Queues one message on a station topic; it is stored with the others of this turn of the event loop. */
  receive(topic: string, payload: Buffer): void;
  /** Stores what is queued now (otherwise stored at the next turn of the loop). */
  flush(): void;
}

export interface IngestDeps {
  db: Db;
  clock: Clock;
  log: Logger;
  /**
   * Called once a turn is committed, once per station (or per 500 ids), with the as-run ids of the turn it
   * may forget. Never before the commit: an acknowledged record is a stored record.
   */
  ack(stationId: string, ids: string[]): void;
  metrics?: LoadMetrics;
}

/** An acknowledgement names at most this many ids (AsRunAck in schedules/protocol.ts): longer ones are split. */
const MAX_ACK_IDS = 500;

interface Queued {
  topic: string;
  payload: Buffer;
  /** performance.now() at arrival. */
  at: number;
}

/**
 * Messages that arrive in one turn of the event loop (a flood of bulletin statuses, a fleet's as-run
 * batches) are stored in one transaction, each message in a savepoint of its own so that one that fails
 * loses nothing else, and the as-run records of a turn are acknowledged together, one message a station.
 * A crash before the commit loses only unacknowledged records, which their station sends again; the
 * insert ignores a record already stored, so none is stored twice.
 */
export function createStationIngest(deps: IngestDeps): StationIngest {
  const { db, clock, log } = deps;
  const queued: Queued[] = [];
  let scheduled = false;
  // Prepared once: the ingest asks it for every as-run batch.
  const known = db.prepare('SELECT 1 FROM stations WHERE id = ?').pluck();
  const stationKnown = (id: string) => known.get(id) !== undefined;
  const one = db.transaction((m: Queued, now: Date) => store(db, m, now, log, stationKnown));

  const flush = () => {
    scheduled = false;
    const batch = queued.splice(0);
    if (!batch.length || !db.open) return;
    const now = clock.now();
    const acks = new Map<string, string[]>();
    const kinds = new Map<IngestKind, number>();
    let records = 0;
    try {
      db.transaction(() => {
        for (const m of batch) {
          try {
            const r = one(m, now);
            if (!r) continue;
            kinds.set(r.kind, (kinds.get(r.kind) ?? 0) + 1);
            if (!r.ids) continue;
            records += r.ids.length;
            const ids = acks.get(r.stationId);
            if (ids) ids.push(...r.ids);
            else acks.set(r.stationId, r.ids);
          } catch (e) {
            log.error(`mqtt: could not store a message on ${m.topic}: ${errorMessage(e)}`);
          }
        }
      })();
    } catch (e) {
      // Nothing of the turn is acknowledged: the stations keep their records and send them again.
      log.error(`mqtt: could not store ${batch.length} message(s): ${errorMessage(e)}`);
      return;
    }
    for (const [stationId, ids] of acks)
      for (let i = 0; i < ids.length; i += MAX_ACK_IDS) deps.ack(stationId, ids.slice(i, i + MAX_ACK_IDS));
    deps.metrics?.ingested({ messages: kinds, records, lagMs: performance.now() - (batch[0] as Queued).at });
  };
  return {
    receive: (topic, payload) => {
      queued.push({ topic, payload, at: performance.now() });
      if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    },
    flush,
  };
}

/** Stores one message; answers its kind and, for as-run, the ids to acknowledge. Null: dropped or not ours. */
function store(
  db: Db,
  { topic, payload }: Queued,
  now: Date,
  log: Logger,
  stationKnown: (id: string) => boolean,
): { kind: IngestKind; stationId: string; ids?: string[] } | null {
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
  const { stationId } = t;
  switch (t.kind) {
    case 'presence': {
      const p = Presence.safeParse(json);
      if (!p.success) log.warn(`mqtt: dropped malformed presence on ${topic}`);
      else setPresence(db, stationId, p.data.online, p.data.at);
      return p.success ? { kind: t.kind, stationId } : null;
    }
    case 'health': {
      const h = Health.safeParse(json);
      if (!h.success) log.warn(`mqtt: dropped malformed health on ${topic}`);
      else setHealth(db, stationId, h.data);
      return h.success ? { kind: t.kind, stationId } : null;
    }
    case 'as-run': {
      const b = AsRunBatch.safeParse(json);
      if (!b.success) {
        log.warn(`mqtt: dropped malformed as-run batch on ${topic}: ${b.error.issues[0]?.message}`);
        return null;
      }
      // A station speaks only for itself: records naming another station are refused whole.
      if (b.data.records.some((r) => r.stationId !== stationId)) {
        log.warn(`mqtt: dropped as-run batch on ${topic} with records of another station`);
        return null;
      }
      if (!stationKnown(stationId)) {
        log.warn(`mqtt: dropped as-run batch from unknown station '${stationId}'`);
        return null;
      }
      return { kind: t.kind, stationId, ids: storeAsRun(db, b.data.records, now) };
    }
    case 'alert-status':
      ingestAlertStatus(db, stationId, json, log);
      return { kind: t.kind, stationId };
    case 'overrides':
      ingestOverrides(db, stationId, json, now, log);
      return { kind: t.kind, stationId };
    default:
      return null;
  }
}
