// The as-run hash chain checked as records are stored: each new record of a station must hash to what it
// says (else it was edited) and follow the last link held (else records are missing, or one before it
// was edited, or the station's chain began again). A break is kept with the records involved and counted
// on the station's row; the chain goes on from the record that showed it.
import { chainHash } from '../../common/chain.ts';
import type { AsRunRecord } from '../../schedules/protocol.ts';
import type { Db } from '../db.ts';

/**
 * `edited`: a record's content does not match its hash; `gap`: records between two links never came;
 * `broken`: a record does not follow the one held before it (that one, or it, was changed);
 * `restarted`: the station began a new chain (a new store: reinstalled, or its file removed).
 */
export type ChainBreakKind = 'edited' | 'gap' | 'broken' | 'restarted';

export interface ChainBreak {
  kind: ChainBreakKind;
  /** The number of the record that showed it. */
  seq: number;
  /** A gap: the numbers missing, inclusive. */
  missing: { from: number; to: number } | null;
  /** The records involved: the last one held before it, if any, and the one that showed it. */
  recordIds: string[];
  foundAt: string;
}

/** What /api/stations shows of a station's chain: breaks found so far and the last one. */
export interface ChainSummary {
  breaks: number;
  last: ChainBreak;
}

interface Head {
  seq: number;
  hash: string;
  record_id: string;
}

const statements = new WeakMap<Db, ReturnType<typeof prepare>>();
const prepare = (db: Db) => ({
  head: db.prepare<[string], Head>('SELECT seq, hash, record_id FROM asrun_chain_heads WHERE station_id = ?'),
  putHead: db.prepare(
    `INSERT INTO asrun_chain_heads (station_id, seq, hash, record_id, updated_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (station_id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash,
       record_id = excluded.record_id, updated_at = excluded.updated_at`,
  ),
  addBreak: db.prepare(
    `INSERT INTO asrun_chain_breaks (station_id, kind, seq, missing_from, missing_to, record_ids, found_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  ),
  summary: db.prepare<[string], { asrun_chain_json: string | null }>(
    'SELECT asrun_chain_json FROM stations WHERE id = ?',
  ),
  putSummary: db.prepare('UPDATE stations SET asrun_chain_json = ? WHERE id = ?'),
});

/** A record's break against the head held, or null when it follows it. */
function breakOf(r: AsRunRecord & { seq: number }, head: Head | undefined, at: string): ChainBreak | null {
  const ids = (head ? [head.record_id, r.id] : [r.id]).filter((x, i, a) => a.indexOf(x) === i);
  const make = (kind: ChainBreakKind, missing: ChainBreak['missing'] = null): ChainBreak => ({
    kind,
    seq: r.seq,
    missing,
    recordIds: kind === 'edited' ? [r.id] : ids,
    foundAt: at,
  });
  if (r.hash !== chainHash(r)) return make('edited');
  if (!head) return r.seq === 1 ? null : make('gap', { from: 1, to: r.seq - 1 });
  if (r.seq === 1 && r.prevHash === null) return make('restarted');
  if (r.seq > head.seq + 1) return make('gap', { from: head.seq + 1, to: r.seq - 1 });
  if (r.seq <= head.seq || r.prevHash !== head.hash) return make('broken');
  return null;
}

/**
 * Checks the chain of records just stored for the first time (resends are not: they were checked when
 * they came), in the caller's transaction. Records without a chain (agents before it) are let be.
 */
export function checkAsRunChain(db: Db, stored: readonly AsRunRecord[], receivedAt: Date): ChainBreak[] {
  const chained = stored.filter((r): r is AsRunRecord & { seq: number } => r.seq !== undefined && !!r.hash);
  if (!chained.length) return [];
  let q = statements.get(db);
  if (!q) {
    q = prepare(db);
    statements.set(db, q);
  }
  const at = receivedAt.toISOString();
  const found: ChainBreak[] = [];
  const byStation = new Map<string, (AsRunRecord & { seq: number })[]>();
  for (const r of chained) byStation.set(r.stationId, [...(byStation.get(r.stationId) ?? []), r]);
  for (const [stationId, records] of byStation) {
    let head = q.head.get(stationId);
    const breaks: ChainBreak[] = [];
    for (const r of records.sort((a, b) => a.seq - b.seq)) {
      const b = breakOf(r, head, at);
      if (b) breaks.push(b);
      head = { seq: r.seq, hash: r.hash as string, record_id: r.id };
    }
    if (head) q.putHead.run(stationId, head.seq, head.hash, head.record_id, at);
    if (!breaks.length) continue;
    for (const b of breaks)
      q.addBreak.run(
        stationId,
        b.kind,
        b.seq,
        b.missing?.from ?? null,
        b.missing?.to ?? null,
        JSON.stringify(b.recordIds),
        at,
      );
    const before = q.summary.get(stationId)?.asrun_chain_json;
    const count = (before ? (JSON.parse(before) as ChainSummary).breaks : 0) + breaks.length;
    const summary: ChainSummary = { breaks: count, last: breaks[breaks.length - 1] as ChainBreak };
    q.putSummary.run(JSON.stringify(summary), stationId);
    found.push(...breaks);
  }
  return found;
}

/** A station's chain: its last link and the breaks found, newest first (at most `limit`). */
export function asRunChainOf(db: Db, stationId: string, limit = 100) {
  const head = db
    .prepare<[string], Head & { updated_at: string }>(
      'SELECT seq, hash, record_id, updated_at FROM asrun_chain_heads WHERE station_id = ?',
    )
    .get(stationId);
  const rows = db
    .prepare<[string, number], Record<string, string | number | null>>(
      'SELECT * FROM asrun_chain_breaks WHERE station_id = ? ORDER BY id DESC LIMIT ?',
    )
    .all(stationId, limit);
  return {
    head: head ? { seq: head.seq, hash: head.hash, recordId: head.record_id, at: head.updated_at } : null,
    breaks: rows.map(
      (r): ChainBreak => ({
        kind: r.kind as ChainBreakKind,
        seq: r.seq as number,
        missing:
          r.missing_from === null ? null : { from: r.missing_from as number, to: r.missing_to as number },
        recordIds: JSON.parse(r.record_ids as string) as string[],
        foundAt: r.found_at as string,
      }),
    ),
  };
}
