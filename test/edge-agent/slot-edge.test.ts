// The slot edge: an entry's time comes while the one before it still plays (a player running long).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Clock } from '../../common/clock.ts';
import { SimRelay } from '../../edge-agent/hardware/relay.ts';
import { createRunner } from '../../edge-agent/playout/runner.ts';
import { type AgentStore, openStore } from '../../edge-agent/state/store.ts';
import type { AsRunRecord } from '../../schedules/protocol.ts';
import {
  clipBytes,
  clipRef,
  desired,
  FakePlayer,
  memoryLogger,
  recordingBus,
  slot,
  tempDir,
  testConfig,
} from './helpers.ts';

// Monday 2025-03-03, 06:59:00 in Hồ Chí Minh City (UTC+7).
const T0 = new Date('2025-03-03T06:59:00+07:00');
const clip = clipRef('clip-sang', clipBytes('sang'), 30_000);
const at = (local: string) => new Date(`2025-03-03T${local}+07:00`).toISOString();

describe('slot edge', () => {
  let tmp: ReturnType<typeof tempDir>;
  let store: AgentStore;
  let relay: SimRelay;
  let records: AsRunRecord[];
  let runner: ReturnType<typeof createRunner> | null;
  const clock: Clock = { now: () => new Date() };

  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(T0);
    tmp = tempDir();
    store = openStore(tmp.dir);
    relay = new SimRelay(clock);
    records = [];
    runner = null;
    // 07:00 plays a 30 s clip whose player runs 90 s (to 07:01:30); 07:01 is due while it still plays.
    store.applyDesired(
      desired(1, { slots: [slot('a', '07:00', [clip.id]), slot('b', '07:01', [clip.id])], clips: [clip] }),
    );
  });

  afterEach(async () => {
    await runner?.stop();
    vi.useRealTimers();
    store.close();
    tmp.cleanup();
  });

  async function runDay(slotEdge: { mode: string; maxLateSec?: number }) {
    const player = new FakePlayer(90_000);
    runner = createRunner({
      config: testConfig(tmp.dir, { slotEdge, warmUpMs: 2000, tailMs: 1000 }),
      clock,
      store,
      relay,
      player,
      clips: { verifiedPath: async () => '/clips/sang.opus' },
      log: memoryLogger(),
      bus: recordingBus((r) => records.push(r)),
    });
    runner.start();
    await vi.advanceTimersByTimeAsync(5 * 60_000);
    const byEntry = (id: string) => records.find((r) => r.entryId === id);
    return { a: byEntry('a@2025-03-03'), b: byEntry('b@2025-03-03'), player };
  }

  it("'cut' stops the one on air at the next entry's relay-on time", async () => {
    const { a, b } = await runDay({ mode: 'cut' });
    expect(a).toMatchObject({ outcome: 'interrupted', reason: 'slot-edge', relayOffAt: at('07:00:58') });
    expect(b).toMatchObject({ outcome: 'played' });
    // the relay went off at the cut and on again for the warm-up of b, whose sound started 2 s late
    expect(b?.relayOnAt).toBe(at('07:00:58'));
    expect(b?.audioStartAt).toBe(at('07:01:00'));
  });

  it("'finish' lets it finish when that is within maxLateSec, and the next starts late", async () => {
    const { a, b } = await runDay({ mode: 'finish', maxLateSec: 60 });
    expect(a).toMatchObject({ outcome: 'played', audioEndAt: at('07:01:30'), relayOffAt: at('07:01:31') });
    expect(b).toMatchObject({ outcome: 'played', relayOnAt: at('07:01:31'), audioStartAt: at('07:01:33') });
  });

  it("'finish' cuts the one on air maxLateSec after the next entry's time when it runs longer", async () => {
    const { a, b } = await runDay({ mode: 'finish', maxLateSec: 10 });
    expect(a).toMatchObject({ outcome: 'interrupted', reason: 'slot-edge', relayOffAt: at('07:01:08') });
    expect(b).toMatchObject({ outcome: 'played', relayOnAt: at('07:01:08'), audioStartAt: at('07:01:10') });
  });

  it("'skip' lets the one on air finish and records the next as skipped 'busy'", async () => {
    const { a, b, player } = await runDay({ mode: 'skip' });
    expect(a).toMatchObject({ outcome: 'played', audioEndAt: at('07:01:30') });
    expect(b).toMatchObject({ outcome: 'skipped', reason: 'busy', relayOnAt: null });
    expect(b?.detail).toContain('a@2025-03-03');
    expect(player.calls).toHaveLength(1);
  });
});
