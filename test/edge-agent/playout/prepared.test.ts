// The player started ahead, under fake time: started when its entry is taken in hand, released exactly at the
// instant (back-to-back entries on their own instants), and what happens when it is not ready or fails.
import { describe, expect, it, vi } from 'vitest';
import { sleep } from '../../../common/sleep.ts';
import type { Relay } from '../../../edge-agent/hardware/relay.ts';
import { clipBytes, clipRef } from '../../support/records.ts';
import { desired, slot } from '../helpers.ts';
import { useRunnerRig } from '../rigs.ts';

const at = (local: string) => new Date(`2025-03-03T${local}+07:00`).toISOString();
const clip = clipRef('clip-sang', clipBytes('sang'), 30_000);
const sang = (time: string, id = 'sang') => slot(id, time, [clip.id]);

describe('the player started ahead', () => {
  const rig = useRunnerRig(new Date('2025-03-03T06:59:00+07:00'));
  const play = (...slots: ReturnType<typeof slot>[]) => {
    rig.store.applyDesired(desired(1, { slots, clips: [clip] }));
    rig.runner({}, { warmUpMs: 2000, tailMs: 1000 }).start();
  };

  it('is started when its entry is taken in hand and released at the instant, which audioStartAt records', async () => {
    rig.player.readyMs = 300; // ffmpeg's start-up, off the critical path
    play(sang('07:00'));
    await vi.advanceTimersByTimeAsync(2 * 60_000);
    expect(rig.player.prepared.map((p) => [p.name, p.at.toISOString()])).toEqual([
      ['sang@2025-03-03', at('06:59:48')],
    ]);
    expect(rig.player.calls.map((c) => c.startedAt.toISOString())).toEqual([at('07:00:00')]);
    expect(rig.records[0]).toMatchObject({ outcome: 'played', audioStartAt: at('07:00:00') });
  });

  it('waits the last second before the release through the instant wait it is given (the agent polls it)', async () => {
    const asked: string[] = [];
    const instantWait = async (at: number, signal: AbortSignal) => {
      asked.push(new Date(at).toISOString());
      await sleep(at - Date.now(), signal);
    };
    rig.store.applyDesired(desired(1, { slots: [sang('07:00')], clips: [clip] }));
    rig.runner({ instantWait }, { warmUpMs: 2000, tailMs: 1000 }).start();
    await vi.advanceTimersByTimeAsync(2 * 60_000);
    expect(asked).toEqual([at('07:00:00')]);
    expect(rig.player.calls.map((c) => c.startedAt.toISOString())).toEqual([at('07:00:00')]);
    expect(rig.records[0]).toMatchObject({ outcome: 'played', audioStartAt: at('07:00:00') });
  });

  it.each([
    [30, at('07:00:00')], // a relay a little late: the warm-up is 30 ms short, the sound on its instant
    [200, '2025-03-03T00:00:00.200Z'], // later than the 50 ms slack: a full warm-up, the sound 200 ms late
  ])('a relay that takes %i ms to switch on: sound at %s', async (relayMs, sound) => {
    const r = rig.relay;
    const slow: Relay = {
      get on() {
        return r.on;
      },
      simulated: true,
      lines: () => r.lines(),
      set: async (on) => {
        if (on) await sleep(relayMs);
        await r.set(on);
      },
      offSync: () => r.offSync(),
      close: () => r.close(),
    };
    rig.store.applyDesired(desired(1, { slots: [sang('07:00')], clips: [clip] }));
    rig.runner({ relay: slow }, { warmUpMs: 2000, tailMs: 1000 }).start();
    await vi.advanceTimersByTimeAsync(2 * 60_000);
    expect(rig.player.calls.map((c) => c.startedAt.toISOString())).toEqual([sound]);
    expect(rig.records[0]).toMatchObject({ outcome: 'played', audioStartAt: sound });
  });

  it('releases back-to-back entries on their own instants, the next one prepared while the first plays', async () => {
    // A: sound 07:00:00-07:00:30, tail to 07:00:31; B: warm-up from 07:00:31, sound at 07:00:33
    play(sang('07:00:00', 'a'), sang('07:00:33', 'b'));
    await vi.advanceTimersByTimeAsync(3 * 60_000);
    expect(rig.player.prepared.map((p) => [p.name, p.at.toISOString()])).toEqual([
      ['a@2025-03-03', at('06:59:48')],
      ['b@2025-03-03', at('07:00:21')], // while A was on air
    ]);
    expect(rig.player.calls.map((c) => [c.name, c.startedAt.toISOString()])).toEqual([
      ['a@2025-03-03', at('07:00:00')],
      ['b@2025-03-03', at('07:00:33')],
    ]);
    expect(rig.records.map((r) => [r.entryId, r.outcome, r.relayOnAt, r.relayOffAt])).toEqual([
      ['a@2025-03-03', 'played', at('06:59:58'), at('07:00:31')],
      ['b@2025-03-03', 'played', at('07:00:31'), at('07:01:04')],
    ]);
  });

  it('one that never gets ready: another is started; neither ready, the entry fails without going on air and the next plays on time', async () => {
    rig.player.readyMs = Number.POSITIVE_INFINITY;
    play(sang('07:00'), sang('07:01', 'sau'));
    await vi.advanceTimersByTimeAsync(65_000); // 07:00:05: 3 s for each player, from 06:59:58
    expect(rig.records).toEqual([
      expect.objectContaining({
        entryId: 'sang@2025-03-03',
        outcome: 'failed',
        reason: 'player-error',
        detail: 'the player did not start: it did not get ready in 6.0 s',
        relayOnAt: null,
      }),
    ]);
    expect(rig.player.prepared.filter((p) => p.name === 'sang@2025-03-03').map((p) => p.cancelled)).toEqual([
      true,
      true,
    ]);
    expect(rig.relay.changes.filter((c) => c.on)).toEqual([]);
    rig.player.readyMs = 0; // the next entry's player (started at 07:00:48) is well
    await vi.advanceTimersByTimeAsync(90_000);
    expect(rig.records.at(-1)).toMatchObject({ entryId: 'sau@2025-03-03', outcome: 'played' });
    expect(rig.records.at(-1)?.audioStartAt).toBe(at('07:01:00'));
  });

  it('one that failed before its time (a file it cannot read) is replaced once; it plays on time', async () => {
    rig.player.failBeforeReady = [new Error('ffmpeg: Invalid data found when processing input')];
    play(sang('07:00'));
    await vi.advanceTimersByTimeAsync(2 * 60_000);
    expect(rig.player.prepared).toHaveLength(2);
    expect(rig.records[0]).toMatchObject({ outcome: 'played', audioStartAt: at('07:00:00') });
    expect(rig.log.lines.some((l) => l.includes('the player failed before its time'))).toBe(true);
  });

  it('one that fails twice before its time: the entry fails, the relay never on', async () => {
    const bad = () => new Error('ffmpeg: Invalid data found when processing input');
    rig.player.failBeforeReady = [bad(), bad()];
    play(sang('07:00'));
    await vi.advanceTimersByTimeAsync(2 * 60_000);
    expect(rig.records).toEqual([
      expect.objectContaining({
        outcome: 'failed',
        reason: 'player-error',
        detail: 'the player did not start: ffmpeg: Invalid data found when processing input',
        relayOnAt: null,
      }),
    ]);
    expect(rig.relay.changes.filter((c) => c.on)).toEqual([]);
  });
});
