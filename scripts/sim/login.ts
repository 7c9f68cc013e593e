// What a simulated station says on the wire besides the protocol's topics: its login (v1: its bare id; v2:
// `<id>@<province>`, as the shared names of a cluster fix them) and the as-run records it sends (rebuilt
// from a sequence number, the same every time).
import type { AsRunRecord } from '../../schedules/protocol.ts';

export function stationLogin(id: string, province?: string): { username: string; clientId: string } {
  const username = province === undefined ? id : `${id}@${province}`;
  return { username, clientId: `station-${username}` };
}

export function asRunRecord(stationId: string, seq: number, now: string): AsRunRecord {
  const at = new Date(Date.parse('2026-01-01T00:00:00Z') + seq * 60_000).toISOString();
  return {
    id: `sim:${stationId}:${seq}`,
    stationId,
    entryId: `sim-entry-${seq}`,
    slotId: 'sim-slot',
    campaignId: null,
    clipIds: ['sim-clip'],
    scheduledAt: at,
    outcome: 'played',
    reason: null,
    detail: null,
    relayOnAt: at,
    audioStartAt: at,
    audioEndAt: at,
    relayOffAt: at,
    desiredVersion: 1,
    recordedAt: now,
  };
}

/** The as-run batches (500 records at most) that send again the records of these ids, rebuilt the same. */
export function resendPayloads(stationId: string, ids: Iterable<string>): string[] {
  const now = new Date().toISOString();
  const records = [...ids].map((id) => asRunRecord(stationId, Number(id.split(':').pop()), now));
  const out: string[] = [];
  for (let i = 0; i < records.length; i += 500)
    out.push(JSON.stringify({ records: records.slice(i, i + 500) }));
  return out;
}
