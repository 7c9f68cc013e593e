// Tests for the edge agent's runner under fake timers: relay/audio order, skips, late and failed entries, restarts.

import { describe, expect, it, vi } from 'vitest';
import { SimRelay } from '../../../edge-agent/hardware/relay.ts';
import { timerScheduler } from '../../../edge-agent/playout/jobs.ts';
import { openStore } from '../../../edge-agent/state/store.ts';
import { clipBytes, clipRef } from '../../support/records.ts';
import { desired, onlineClass, slot } from '../helpers.ts';
import { useRunnerRig } from '../rigs.ts';

// Monday 2025-03-03, 06:59:00 in Hồ Chí Minh City (UTC+7).
const T0 = new Date('2025-03-03T06:59:00+07:00');
const clip = clipRef('clip-sang', clipBytes('sang'), 30_000);
const at = (local: string) => new Date(`2025-03-03T${local}+07:00`).toISOString();

describe('runner', () => {
  const rig = useRunnerRig(T0, { verifiedPath: (ref) => (ref.id === clip.id ? '/clips/sang.opus' : null) });

  it('switches the relay on, warms up, plays, waits the tail and switches off', async () => {
    rig.store.applyDesired(desired(1, { slots: [slot('sang', '07:00', [clip.id])], clips: [clip] }));
    const runner = rig.runner();
    runner.start();
    expect(runner.status().next.map((e) => e.id)).toEqual(['sang@2025-03-03', 'sang@2025-03-04']);

    await vi.advanceTimersByTimeAsync(57_999);
    expect(rig.relay.on).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(rig.relay.on).toBe(true);
    expect(runner.status().playing).toBe('sang@2025-03-03');
    await vi.advanceTimersByTimeAsync(1_999);
    expect(rig.player.calls).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(rig.player.calls.map((c) => [c.file, c.startedAt.toISOString()])).toEqual([
      ['/clips/sang.opus', at('07:00:00')],
    ]);
    await vi.advanceTimersByTimeAsync(30_000);
    expect(rig.relay.on).toBe(true); // tail
    await vi.advanceTimersByTimeAsync(1_000);
    expect(rig.relay.on).toBe(false);

    expect(rig.relay.changes.map((c) => [c.at, c.on])).toEqual([
      [at('06:59:00'), false],
      [at('06:59:58'), true],
      [at('07:00:31'), false],
    ]);
    expect(rig.records).toHaveLength(1);
    expect(rig.records[0]).toMatchObject({
      id: 'sang@2025-03-03',
      entryId: 'sang@2025-03-03',
      stationId: 'st-an-binh',
      outcome: 'played',
      reason: null,
      scheduledAt: at('07:00:00'),
      relayOnAt: at('06:59:58'),
      audioStartAt: at('07:00:00'),
      audioEndAt: at('07:00:30'),
      relayOffAt: at('07:00:31'),
      desiredVersion: 1,
    });
    expect(rig.store.outboxLength()).toBe(1);
    expect(runner.status()).toEqual({
      playing: null,
      next: [expect.objectContaining({ id: 'sang@2025-03-04' })],
    });
  });

  it("reports a slot inside an online class as skipped 'online-class' at its time, without sound", async () => {
    rig.store.applyDesired(
      desired(1, {
        slots: [slot('chin-gio', '09:00', [clip.id])],
        quietWindows: [onlineClass],
        clips: [clip],
      }),
    );
    rig.runner().start();
    await vi.advanceTimersByTimeAsync(2 * 3_600_000 + 59_000); // 08:59:59
    expect(rig.records).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(rig.records).toEqual([
      expect.objectContaining({ entryId: 'chin-gio@2025-03-03', outcome: 'skipped', reason: 'online-class' }),
    ]);
    expect(rig.records[0]?.detail).toContain('qw-hoc');
    expect(rig.records[0]?.relayOnAt).toBeNull();
    expect(rig.player.calls).toHaveLength(0);
    expect(rig.relay.changes.filter((c) => c.on)).toHaveLength(0);
  });

  it("records 'missed' (late) when the job fires more than graceMs after the entry's time", async () => {
    rig.store.applyDesired(desired(1, { slots: [slot('sang', '07:00', [clip.id])], clips: [clip] }));
    // as if the event loop had been blocked: every job fires two minutes late
    rig
      .runner({
        scheduler: {
          scheduleJob: (d, fn) => timerScheduler.scheduleJob(new Date(d.getTime() + 120_000), fn),
        },
      })
      .start();
    await vi.advanceTimersByTimeAsync(180_000);
    expect(rig.records).toEqual([
      expect.objectContaining({ entryId: 'sang@2025-03-03', outcome: 'missed', reason: 'late' }),
    ]);
    expect(rig.player.calls).toHaveLength(0);
    expect(rig.relay.on).toBe(false);
    expect(rig.relay.changes.filter((c) => c.on)).toHaveLength(0);
  });

  it('starts a slightly late entry within graceMs, after a full warm-up', async () => {
    vi.setSystemTime(new Date('2025-03-03T07:00:20+07:00'));
    rig.store.applyDesired(desired(1, { slots: [slot('sang', '07:00', [clip.id])], clips: [clip] }));
    rig.runner().start();
    await vi.advanceTimersByTimeAsync(40_000);
    expect(rig.player.calls.map((c) => c.startedAt.toISOString())).toEqual([at('07:00:22')]);
    expect(rig.records[0]).toMatchObject({ outcome: 'played', relayOnAt: at('07:00:20') });
  });

  it("switches the relay off at once and reports 'player-error' when the clip fails to decode at its instant", async () => {
    rig.store.applyDesired(desired(1, { slots: [slot('sang', '07:00', [clip.id])], clips: [clip] }));
    rig.player.failWith = new Error('ffmpeg exited with code 1');
    rig.runner().start();
    await vi.advanceTimersByTimeAsync(62_000);
    expect(rig.records).toEqual([
      expect.objectContaining({
        outcome: 'failed',
        reason: 'player-error',
        detail: 'the player stopped after 0.0 s of 30.0 s: ffmpeg exited with code 1',
        audioStartAt: at('07:00:00'),
        relayOffAt: at('07:00:00'),
      }),
    ]);
    expect(rig.relay.changes.map((c) => c.on)).toEqual([false, true, false]);
    expect(rig.relay.on).toBe(false);
  });

  it("reports 'clip-missing' without touching the relay when the clip is not cached", async () => {
    const other = clipRef('clip-khac', clipBytes('khac'));
    rig.store.applyDesired(desired(1, { slots: [slot('sang', '07:00', [other.id])], clips: [other] }));
    rig.runner().start();
    await vi.advanceTimersByTimeAsync(62_000);
    expect(rig.records).toEqual([expect.objectContaining({ outcome: 'failed', reason: 'clip-missing' })]);
    expect(rig.relay.changes.filter((c) => c.on)).toHaveLength(0);
  });

  it('does not replay or re-report done entries after a restart on the same data dir', async () => {
    rig.store.applyDesired(desired(1, { slots: [slot('sang', '07:00', [clip.id])], clips: [clip] }));
    const first = rig.runner();
    first.start();
    await vi.advanceTimersByTimeAsync(95_000); // 07:00:35: played, relay off at 07:00:31
    expect(rig.records.map((r) => r.outcome)).toEqual(['played']);
    await first.stop();
    rig.store.close();

    rig.store = openStore(rig.dir); // 07:00:35 is still within the grace period of the 07:00 entry
    const second = rig.runner();
    second.start();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(rig.player.calls).toHaveLength(1);
    expect(rig.records).toHaveLength(1);
    expect(rig.store.outboxLength()).toBe(1);
    expect(second.status().next[0]?.id).toBe('sang@2025-03-04');
  });

  it("reports an entry on air when the agent died as 'interrupted', and never replays it", async () => {
    rig.store.applyDesired(desired(1, { slots: [slot('sang', '07:00', [clip.id])], clips: [clip] }));
    const first = rig.runner();
    first.start();
    await vi.advanceTimersByTimeAsync(65_000); // 07:00:05, on air
    expect(rig.relay.on).toBe(true);
    // a crash: the process is gone without stopping anything; a new runner opens the same files
    const crashed = openStore(rig.dir);
    const second = rig.runner({ store: crashed, relay: new SimRelay({ now: () => new Date() }) });
    second.start();
    await vi.advanceTimersByTimeAsync(1);
    expect(rig.records).toEqual([
      expect.objectContaining({ outcome: 'interrupted', reason: 'agent-restart', relayOnAt: at('06:59:58') }),
    ]);
    await second.stop();
    crashed.close();
    await first.stop();
    expect(rig.player.calls).toHaveLength(1);
  });

  it('re-plans on a wall clock jump and reports what the jump skipped over once the step is no longer in doubt', async () => {
    rig.store.applyDesired(desired(1, { slots: [slot('sang', '07:00', [clip.id])], clips: [clip] }));
    rig.runner().start();
    vi.setSystemTime(new Date('2025-03-03T08:00:00+07:00')); // NTP correction: +61 min, monotonic time unchanged
    await vi.advanceTimersByTimeAsync(5_000);
    expect(rig.log.lines.some((l) => l.includes('wall clock jumped'))).toBe(true);
    expect(rig.log.lines.some((l) => l.includes('1 held while a clock step is in doubt'))).toBe(true);
    expect(rig.records).toEqual([]);
    await vi.advanceTimersByTimeAsync(10 * 60_000); // stepDoubtMs: nobody stepped it back
    expect(rig.records).toEqual([
      expect.objectContaining({ entryId: 'sang@2025-03-03', outcome: 'missed', reason: 'late' }),
    ]);
    expect(rig.player.calls).toHaveLength(0);
  });

  it('reports entries that fell due while the agent was down as missed (agent-offline)', async () => {
    rig.store.applyDesired(desired(1, { slots: [slot('sang', '07:00', [clip.id])], clips: [clip] }));
    const first = rig.runner();
    first.start();
    await first.stop();
    vi.setSystemTime(new Date('2025-03-03T09:00:00+07:00'));
    rig.runner().start();
    await vi.advanceTimersByTimeAsync(1);
    expect(rig.records).toEqual([expect.objectContaining({ outcome: 'missed', reason: 'agent-offline' })]);
  });

  it('re-plans when asked (new desired state) and on the hour', async () => {
    rig.store.applyDesired(desired(1, { slots: [slot('sang', '07:00', [clip.id])], clips: [clip] }));
    const runner = rig.runner();
    runner.start();
    rig.store.applyDesired(desired(2, { slots: [slot('sang', '07:30', [clip.id])], clips: [clip] }));
    runner.replan('desired v2');
    expect(runner.status().next[0]?.startsAt).toBe(at('07:30:00'));
    await vi.advanceTimersByTimeAsync(60_000);
    expect(rig.player.calls).toHaveLength(0);
    expect(rig.log.lines.filter((l) => l.includes('scheduled re-plan'))).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(35 * 60_000);
    expect(rig.records).toEqual([expect.objectContaining({ outcome: 'played', desiredVersion: 2 })]);
  });

  it('neither plays nor records while the clock is not trusted', async () => {
    rig.store.applyDesired(desired(1, { slots: [slot('sang', '07:00', [clip.id])], clips: [clip] }));
    const runner = rig.runner({}, { clockTrusted: false });
    runner.start();
    await vi.advanceTimersByTimeAsync(5 * 60_000);
    expect(rig.records).toHaveLength(0);
    expect(rig.player.calls).toHaveLength(0);
    expect(runner.status().next).toEqual([]);
  });
});
