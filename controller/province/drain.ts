// Sending the outbox to the province: in order per station (a station's next message waits for the one
// before it), many stations at once; a message delivered leaves the outbox and its key is kept, so it is
// never sent again; an outage stops the pass with everything still waiting; a message the province
// refuses (4xx) is kept aside with its reason.
import type { Clock } from '../../common/clock.ts';
import type { Db } from '../db.ts';
import { type ProvinceClient, ProvinceFailure } from './client.ts';
import type { ProvinceSettings } from './settings.ts';
import { markAttempt, markDelivered, markRefused, type OutboxRow, pendingAfter } from './store.ts';

export interface DrainResult {
  sent: number;
  refused: number;
  /** The failure that stopped the pass (the province is down or refuses our login), or null. */
  outage: ProvinceFailure | null;
}

/** Rows read at a time; what one page delivered is recorded in one transaction. */
const PAGE = 2000;

/** One pass over the outbox, until it is empty or the province fails. */
export async function drainOutbox(
  db: Db,
  client: ProvinceClient,
  s: ProvinceSettings,
  clock: Clock,
): Promise<DrainResult> {
  const out: DrainResult = { sent: 0, refused: 0, outage: null };
  let after = 0;
  while (!out.outage) {
    const rows = pendingAfter(db, after, PAGE);
    if (!rows.length) break;
    after = (rows[rows.length - 1] as OutboxRow).seq;
    const byStation = new Map<string, OutboxRow[]>();
    for (const r of rows) {
      const list = byStation.get(r.station_id);
      if (list) list.push(r);
      else byStation.set(r.station_id, [r]);
    }
    const queues = [...byStation.values()];
    const delivered: OutboxRow[] = [];
    const station = async (list: OutboxRow[]) => {
      for (const r of list) {
        if (out.outage) return;
        const path = r.kind === 'log' ? s.paths.log : s.paths.status;
        try {
          await client.post(path, r.payload, r.kind === 'log' ? r.key : undefined);
          delivered.push(r);
        } catch (e) {
          if (!(e instanceof ProvinceFailure)) throw e;
          if (e.kind === 'refused') {
            markRefused(db, r.seq, e.message, clock.now().toISOString());
            out.refused++;
            continue;
          }
          markAttempt(db, r.seq, e.message);
          out.outage ??= e;
          return;
        }
      }
    };
    let next = 0;
    const worker = async () => {
      while (next < queues.length && !out.outage) await station(queues[next++] as OutboxRow[]);
    };
    try {
      await Promise.all(Array.from({ length: Math.min(s.concurrency, queues.length) }, worker));
    } finally {
      markDelivered(db, delivered, clock.now().toISOString());
      out.sent += delivered.length;
    }
  }
  return out;
}
