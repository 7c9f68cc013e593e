// The station ingest without a broker: what arrives in one turn of the event loop is stored in one
// transaction and acknowledged once a station (in acks of at most 500 ids), a bad message loses nothing
// else, and the load metrics count it.
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Db, openDb } from '../../../controller/db.ts';
import { createStationIngest } from '../../../controller/mqtt/ingest.ts';
import { createLoadMetrics } from '../../../controller/mqtt/load.ts';
import { topics } from '../../../schedules/protocol.ts';
import { registerStations } from '../../../scripts/sim/fleet.ts';
import { recordingLogger } from '../../support/log.ts';
import { skippedRecord } from '../../support/records.ts';
import { tempDir } from '../../support/temp.ts';

let tmp: ReturnType<typeof tempDir>;
let db: Db;
let a: string;
let b: string;
beforeEach(() => {
  tmp = tempDir('ingest');
  db = openDb(path.join(tmp.dir, 'controller.db'));
  [a, b] = registerStations(db, 2, { prefix: 'ing' }).map((c) => c.id) as [string, string];
});
afterEach(() => {
  db.close();
  tmp.cleanup();
});

const batch = (stationId: string, ids: string[]) =>
  Buffer.from(JSON.stringify({ records: ids.map((id) => skippedRecord(stationId, id)) }));
const ids = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}-${i}`);
const nextTurn = () => new Promise((r) => setImmediate(r));

function ingest() {
  const acks: [string, string[]][] = [];
  const log = recordingLogger();
  const metrics = createLoadMetrics({ processMetrics: false });
  const i = createStationIngest({
    db,
    clock: { now: () => new Date('2026-03-02T08:00:00Z') },
    log,
    metrics,
    ack: (stationId, x) => {
      // Acknowledged only once stored: every id is in the table when its ack goes out.
      const stored = db.prepare('SELECT COUNT(*) FROM plays WHERE station_id = ?').pluck().get(stationId);
      expect(stored).toBeGreaterThanOrEqual(x.length);
      acks.push([stationId, x]);
    },
  });
  return { ingest: i, acks, log, metrics };
}

describe('station ingest', () => {
  it('stores one turn in one transaction and acknowledges each station once, in acks of 500 ids at most', async () => {
    const { ingest: i, acks, metrics } = ingest();
    for (const chunk of [ids('a1', 300), ids('a2', 300)]) i.receive(topics.asRun(a), batch(a, chunk));
    i.receive(topics.asRun(b), batch(b, ids('b', 5)));
    i.receive(topics.presence(b), Buffer.from(JSON.stringify({ online: true, at: '2026-03-02T08:00:00Z' })));
    expect(acks).toEqual([]);
    await nextTurn();
    expect(acks.map(([st, x]) => [st, x.length])).toEqual([
      [a, 500],
      [a, 100],
      [b, 5],
    ]);
    expect(acks.flatMap(([, x]) => x).sort()).toEqual(
      [...ids('a1', 300), ...ids('a2', 300), ...ids('b', 5)].sort(),
    );
    expect(db.prepare('SELECT COUNT(*) FROM plays').pluck().get()).toBe(605);
    const text = await metrics.registry.metrics();
    expect(text).toContain('loa_ingest_asrun_records_total 605');
    expect(text).toContain('loa_ingest_messages_total{kind="as-run"} 3');
    expect(text).toContain('loa_ingest_messages_total{kind="presence"} 1');
    // one transaction for the turn: a batch of 4 messages
    expect(text).toMatch(/loa_ingest_batch_messages_bucket\{le="5"\} 1\n/);
  });

  it('stores a record sent twice once, and acknowledges it both times', async () => {
    const { ingest: i, acks } = ingest();
    i.receive(topics.asRun(a), batch(a, ['r1', 'r2']));
    await nextTurn();
    i.receive(topics.asRun(a), batch(a, ['r2', 'r3']));
    await nextTurn();
    expect(acks).toEqual([
      [a, ['r1', 'r2']],
      [a, ['r2', 'r3']],
    ]);
    expect(db.prepare('SELECT id FROM plays ORDER BY id').pluck().all()).toEqual(['r1', 'r2', 'r3']);
  });

  it('drops a malformed or foreign message with a warning, and stores the rest of its turn', async () => {
    const { ingest: i, acks, log } = ingest();
    i.receive(topics.asRun(a), Buffer.from('not json'));
    i.receive(topics.asRun(a), batch(b, ['forged']));
    i.receive(topics.asRun('nobody'), batch('nobody', ['x']));
    i.receive(topics.asRun(a), batch(a, ['ok']));
    await nextTurn();
    expect(acks).toEqual([[a, ['ok']]]);
    expect(db.prepare('SELECT id FROM plays').pluck().all()).toEqual(['ok']);
    expect(log.lines.filter((l) => l.startsWith('warn'))).toHaveLength(3);
  });

  it('flush() stores what is queued at once', () => {
    const { ingest: i, acks } = ingest();
    i.receive(topics.asRun(a), batch(a, ['now']));
    i.flush();
    expect(acks).toEqual([[a, ['now']]]);
  });
});
