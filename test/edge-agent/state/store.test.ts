// Tests for the agent store: desired state versions, done entries, the outbox and migrations on reopen.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../../../edge-agent/state/store.ts';
import type { AsRunRecord } from '../../../schedules/protocol.ts';
import { asRunRecord } from '../../support/records.ts';
import { type TempDir, tempDir } from '../../support/temp.ts';
import { desired, slot } from '../helpers.ts';

const rec = (id: string, outcome: AsRunRecord['outcome'] = 'played') => asRunRecord(id, { outcome });

describe('agent store', () => {
  let tmp: TempDir;
  beforeEach(() => {
    tmp = tempDir();
  });
  afterEach(() => tmp.cleanup());

  it('refuses a record it could not read back, so the outbox after it still goes out', () => {
    const s = openStore(tmp.dir);
    const bad = { ...rec('relay-1', 'relay'), heardMs: 1500.5 };
    expect(() => s.recordOutcome(bad)).toThrow(/heardMs/);
    expect(s.recordOutcome({ ...rec('relay-2', 'relay'), heardMs: 1500 })).toBe(true);
    expect(s.outboxBatch().map((r) => [r.id, r.heardMs])).toEqual([['relay-2', 1500]]);
    s.close();
  });

  it('applies only newer desired states and survives a reopen', () => {
    const s = openStore(tmp.dir);
    expect(s.getDesired()).toBeNull();
    expect(s.applyDesired(desired(2))).toBe(true);
    expect(s.applyDesired(desired(2))).toBe(false);
    expect(s.applyDesired(desired(1))).toBe(false);
    s.close();
    const again = openStore(tmp.dir);
    expect(again.desiredVersion()).toBe(2);
    expect(again.getDesired()?.station.id).toBe('st-an-binh');
    again.close();
  });

  it('parses the applied desired state once and reads it from memory after', () => {
    const s = openStore(tmp.dir);
    const given = desired(3, { slots: [slot('sang', '07:00', ['c1'])] });
    s.applyDesired(given);
    const read = s.getDesired();
    // the same validated copy every time, frozen so that no reader can change it for the others
    expect(s.getDesired()).toBe(read);
    expect(read).not.toBe(given);
    expect(Object.isFrozen(read?.slots[0])).toBe(true);
    // a state the schema refuses is not applied
    expect(() => s.applyDesired({ ...desired(4), slots: [{ id: 'x' }] } as never)).toThrow();
    expect(s.desiredVersion()).toBe(3);
    s.close();
    // and what is on disk is what comes back at the next start
    const again = openStore(tmp.dir);
    expect(again.getDesired()).toEqual(read);
    again.close();
  });

  it('records each entry once and keeps its record in the outbox until acknowledged', () => {
    const s = openStore(tmp.dir);
    s.markStarted('a@1', rec('a@1', 'interrupted'));
    expect(s.isDone('a@1')).toBe(true);
    expect(s.startedEntries().map((e) => e.entryId)).toEqual(['a@1']);
    expect(s.recordOutcome(rec('a@1'))).toBe(true);
    expect(s.recordOutcome(rec('a@1', 'failed'))).toBe(false);
    expect(s.startedEntries()).toEqual([]);
    expect(s.recordOutcome(rec('b@1', 'skipped'))).toBe(true);
    expect(s.outboxBatch(1).map((r) => r.id)).toEqual(['a@1']);
    expect(s.outboxBatch().map((r) => [r.id, r.outcome])).toEqual([
      ['a@1', 'played'],
      ['b@1', 'skipped'],
    ]);
    expect(s.ackOutbox(['a@1', 'zzz'])).toBe(1);
    expect(s.outboxLength()).toBe(1);
    expect(s.isDone('a@1')).toBe(true);
    s.close();
  });
});
