// The slot edge: an entry's time comes while the one before it still plays (a player running long).
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { clipBytes, clipRef } from '../../support/records.ts';
import { desired, slot } from '../helpers.ts';
import { useRunnerRig } from '../rigs.ts';

// Monday 2025-03-03, 06:59:00 in Hồ Chí Minh City (UTC+7).
const T0 = new Date('2025-03-03T06:59:00+07:00');
const clip = clipRef('clip-sang', clipBytes('sang'), 30_000);
const at = (local: string) => new Date(`2025-03-03T${local}+07:00`).toISOString();

describe('slot edge', () => {
  // 07:00 plays a 30 s clip whose player runs 90 s (to 07:01:30); 07:01 is due while it still plays.
  const rig = useRunnerRig(T0, { playMs: 90_000 });
  beforeEach(() => {
    rig.store.applyDesired(
      desired(1, { slots: [slot('a', '07:00', [clip.id]), slot('b', '07:01', [clip.id])], clips: [clip] }),
    );
  });

  async function runDay(slotEdge: { mode: string; maxLateSec?: number }) {
    rig.runner({}, { slotEdge, warmUpMs: 2000, tailMs: 1000 }).start();
    await vi.advanceTimersByTimeAsync(5 * 60_000);
    const byEntry = (id: string) => rig.records.find((r) => r.entryId === id);
    return { a: byEntry('a@2025-03-03'), b: byEntry('b@2025-03-03'), player: rig.player };
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
