// The station's as-run hash chain: each record queued is numbered and linked to the one before it in the
// transaction that queues it, so a restart, a failed write (a full disk) and acknowledgements keep it whole.
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chainHash } from '../../../common/chain.ts';
import { type AgentStore, openStore } from '../../../edge-agent/state/store.ts';
import { asRunRecord } from '../../support/records.ts';
import { type TempDir, tempDir } from '../../support/temp.ts';

let tmp: TempDir;
let store: AgentStore;
beforeEach(() => {
  tmp = tempDir('chain');
  store = openStore(tmp.dir);
});
afterEach(() => {
  store.close();
  tmp.cleanup();
});

const record = (n: number) =>
  asRunRecord(`e${n}@2026-12-05`, { recordedAt: new Date(Date.UTC(2026, 11, 5, 0, n)).toISOString() });

/** Whether the records form one unbroken chain, each hashing to what it says. */
function expectChained(records: ReturnType<AgentStore['outboxBatch']>, firstSeq: number) {
  records.forEach((r, i) => {
    expect(r.seq).toBe(firstSeq + i);
    expect(r.hash).toBe(chainHash(r));
    if (i > 0) expect(r.prevHash).toBe(records[i - 1]?.hash);
  });
}

describe('the as-run chain at the station', () => {
  it('links each record to the one before, from null at the start, and goes on after a restart', () => {
    for (const n of [1, 2, 3]) expect(store.recordOutcome(record(n))).toBe(true);
    const first = store.outboxBatch();
    expect(first[0]?.prevHash).toBeNull();
    expectChained(first, 1);
    // a record already finished is not queued nor chained twice
    expect(store.recordOutcome(record(3))).toBe(false);

    store.close();
    store = openStore(tmp.dir);
    store.recordOutcome(record(4));
    const all = store.outboxBatch();
    expectChained(all, 1);
    expect(store.chainHead()).toEqual({ seq: 4, hash: all[3]?.hash });
  });

  it('keeps the chain through a write that fails (a full disk): the record comes next once it can write', () => {
    store.recordOutcome(record(1));
    const raw = new Database(path.join(tmp.dir, 'agent.db'));
    raw.exec(
      `CREATE TRIGGER full BEFORE INSERT ON outbox BEGIN SELECT RAISE(FAIL, 'database or disk is full'); END;`,
    );
    expect(() => store.recordOutcome(record(2))).toThrow(/disk is full/);
    expect(store.chainHead()?.seq).toBe(1);
    expect(store.isDone('e2@2026-12-05')).toBe(false);
    raw.exec('DROP TRIGGER full');
    raw.close();
    expect(store.recordOutcome(record(2))).toBe(true);
    expectChained(store.outboxBatch(), 1);
  });

  it('sends in chain order whatever the clock said, and keeps the chain as records are acknowledged', () => {
    store.recordOutcome(record(5));
    store.recordOutcome(record(1)); // recorded after a clock step back
    store.recordOutcome(record(3));
    expect(store.outboxBatch().map((r) => r.entryId)).toEqual([
      'e5@2026-12-05',
      'e1@2026-12-05',
      'e3@2026-12-05',
    ]);
    store.ackOutbox(['e5@2026-12-05']);
    store.recordOutcome(record(7));
    const left = store.outboxBatch();
    expectChained(left, 2);
    expect(left.map((r) => r.seq)).toEqual([2, 3, 4]);
  });
});
