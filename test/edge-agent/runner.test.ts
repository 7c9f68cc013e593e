// Tests for the edge agent's runner under fake timers: relay/audio order, skips, late and failed entries, restarts.
import { scheduleJob } from 'node-schedule';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Clock } from '../../common/clock.ts';
import { SimRelay } from '../../edge-agent/hardware/relay.ts';
import { createRunner, type RunnerDeps } from '../../edge-agent/playout/runner.ts';
import { type AgentStore, openStore } from '../../edge-agent/state/store.ts';
import type { AsRunRecord } from '../../schedules/protocol.ts';
import {
  clipBytes,
  clipRef,
  desired,
  FakePlayer,
  memoryLogger,
  onlineClass,
  recordingBus,
  slot,
  tempDir,
  testConfig,
} from './helpers.ts';

// Monday 2025-03-03, 06:59:00 in Hồ Chí Minh City (UTC+7).
const T0 = new Date('2025-03-03T06:59:00+07:00');
const clip = clipRef('clip-sang', clipBytes('sang'), 30_000);
const at = (local: string) => new Date(`2025-03-03T${local}+07:00`).toISOString();

describe('runner', () => {
  let tmp: ReturnType<typeof tempDir>;
  let store: AgentStore;
  let relay: SimRelay;
  let player: FakePlayer;
  let records: AsRunRecord[];
  let log: ReturnType<typeof memoryLogger>;
  let runners: ReturnType<typeof createRunner>[];
  const clock: Clock = { now: () => new Date() };

  function makeRunner(extra: Partial<RunnerDeps> = {}, config: Record<string, unknown> = {}) {
    const r = createRunner({
      config: testConfig(tmp.dir, config),
      clock,
      store,
      relay,
      player,
      clips: { verifiedPath: async (ref) => (ref.id === clip.id ? '/clips/sang.opus' : null) },
      log,
      bus: recordingBus((rec) => records.push(rec)),
      ...extra,
    });
    runners.push(r);
    return r;
  }

  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(T0);
    tmp = tempDir();
    store = openStore(tmp.dir);
    relay = new SimRelay(clock);
    player = new FakePlayer(30_000);
    records = [];
    log = memoryLogger();
    runners = [];
  });

  afterEach(async () => {
    for (const r of runners) await r.stop();
    vi.useRealTimers();
    store.close();
    tmp.cleanup();
  });

  it('switches the relay on, warms up, plays, waits the tail and switches off', async () => {
    store.applyDesired(desired(1, { slots: [slot('sang', '07:00', [clip.id])], clips: [clip] }));
    const runner = makeRunner();
    runner.start();
    expect(runner.status().next.map((e) => e.id)).toEqual(['sang@2025-03-03', 'sang@2025-03-04']);

    await vi.advanceTimersByTimeAsync(57_999);
    expect(relay.on).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(relay.on).toBe(true);
    expect(runner.status().playing).toBe('sang@2025-03-03');
    await vi.advanceTimersByTimeAsync(1_999);
    expect(player.calls).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(player.calls.map((c) => [c.file, c.startedAt.toISOString()])).toEqual([
      ['/clips/sang.opus', at('07:00:00')],
    ]);
    await vi.advanceTimersByTimeAsync(30_000);
    expect(relay.on).toBe(true); // tail
    await vi.advanceTimersByTimeAsync(1_000);
    expect(relay.on).toBe(false);

    expect(relay.changes.map((c) => [c.at, c.on])).toEqual([
      [at('06:59:00'), false],
      [at('06:59:58'), true],
      [at('07:00:31'), false],
    ]);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
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
    expect(store.outboxLength()).toBe(1);
    expect(runner.status()).toEqual({
      playing: null,
      next: [expect.objectContaining({ id: 'sang@2025-03-04' })],
    });
  });

  it("reports a slot inside an online class as skipped 'online-class' at its time, without sound", async () => {
    store.applyDesired(
      desired(1, {
        slots: [slot('chin-gio', '09:00', [clip.id])],
        quietWindows: [onlineClass],
        clips: [clip],
      }),
    );
    makeRunner().start();
    await vi.advanceTimersByTimeAsync(2 * 3_600_000 + 59_000); // 08:59:59
    expect(records).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(records).toEqual([
      expect.objectContaining({ entryId: 'chin-gio@2025-03-03', outcome: 'skipped', reason: 'online-class' }),
    ]);
    expect(records[0]?.detail).toContain('qw-hoc');
    expect(records[0]?.relayOnAt).toBeNull();
    expect(player.calls).toHaveLength(0);
    expect(relay.changes.filter((c) => c.on)).toHaveLength(0);
  });

  it("records 'missed' (late) when the job fires more than graceMs after the entry's time", async () => {
    store.applyDesired(desired(1, { slots: [slot('sang', '07:00', [clip.id])], clips: [clip] }));
    // as if the event loop had been blocked: every job fires two minutes late
    makeRunner({
      scheduler: { scheduleJob: (d, fn) => scheduleJob(new Date(d.getTime() + 120_000), fn) },
    }).start();
    await vi.advanceTimersByTimeAsync(180_000);
    expect(records).toEqual([
      expect.objectContaining({ entryId: 'sang@2025-03-03', outcome: 'missed', reason: 'late' }),
    ]);
    expect(player.calls).toHaveLength(0);
    expect(relay.on).toBe(false);
    expect(relay.changes.filter((c) => c.on)).toHaveLength(0);
  });

  it('starts a slightly late entry within graceMs, after a full warm-up', async () => {
    vi.setSystemTime(new Date('2025-03-03T07:00:20+07:00'));
    store.applyDesired(desired(1, { slots: [slot('sang', '07:00', [clip.id])], clips: [clip] }));
    makeRunner().start();
    await vi.advanceTimersByTimeAsync(40_000);
    expect(player.calls.map((c) => c.startedAt.toISOString())).toEqual([at('07:00:22')]);
    expect(records[0]).toMatchObject({ outcome: 'played', relayOnAt: at('07:00:20') });
  });

  it("switches the relay off and reports 'player-error' when the player fails", async () => {
    store.applyDesired(desired(1, { slots: [slot('sang', '07:00', [clip.id])], clips: [clip] }));
    player.failWith = new Error('ffmpeg exited with code 1');
    makeRunner().start();
    await vi.advanceTimersByTimeAsync(62_000);
    expect(records).toEqual([
      expect.objectContaining({
        outcome: 'failed',
        reason: 'player-error',
        detail: 'ffmpeg exited with code 1',
      }),
    ]);
    expect(relay.changes.map((c) => c.on)).toEqual([false, true, false]);
    expect(relay.on).toBe(false);
  });

  it("reports 'clip-missing' without touching the relay when the clip is not cached", async () => {
    const other = clipRef('clip-khac', clipBytes('khac'));
    store.applyDesired(desired(1, { slots: [slot('sang', '07:00', [other.id])], clips: [other] }));
    makeRunner().start();
    await vi.advanceTimersByTimeAsync(62_000);
    expect(records).toEqual([expect.objectContaining({ outcome: 'failed', reason: 'clip-missing' })]);
    expect(relay.changes.filter((c) => c.on)).toHaveLength(0);
  });

  it('does not replay or re-report done entries after a restart on the same data dir', async () => {
    store.applyDesired(desired(1, { slots: [slot('sang', '07:00', [clip.id])], clips: [clip] }));
    const first = makeRunner();
    first.start();
    await vi.advanceTimersByTimeAsync(95_000); // 07:00:35: played, relay off at 07:00:31
    expect(records.map((r) => r.outcome)).toEqual(['played']);
    await first.stop();
    store.close();

    store = openStore(tmp.dir); // 07:00:35 is still within the grace period of the 07:00 entry
    const second = makeRunner();
    second.start();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(player.calls).toHaveLength(1);
    expect(records).toHaveLength(1);
    expect(store.outboxLength()).toBe(1);
    expect(second.status().next[0]?.id).toBe('sang@2025-03-04');
  });

  it("reports an entry on air when the agent died as 'interrupted', and never replays it", async () => {
    store.applyDesired(desired(1, { slots: [slot('sang', '07:00', [clip.id])], clips: [clip] }));
    const first = makeRunner();
    first.start();
    await vi.advanceTimersByTimeAsync(65_000); // 07:00:05, on air
    expect(relay.on).toBe(true);
    // a crash: the process is gone without stopping anything; a new runner opens the same files
    runners = runners.filter((r) => r !== first);
    const crashed = openStore(tmp.dir);
    const second = createRunner({
      config: testConfig(tmp.dir),
      clock,
      store: crashed,
      relay: new SimRelay(clock),
      player,
      clips: { verifiedPath: async () => '/clips/sang.opus' },
      log,
      bus: recordingBus((rec) => records.push(rec)),
    });
    second.start();
    await vi.advanceTimersByTimeAsync(1);
    expect(records).toEqual([
      expect.objectContaining({ outcome: 'interrupted', reason: 'agent-restart', relayOnAt: at('06:59:58') }),
    ]);
    await second.stop();
    crashed.close();
    await first.stop();
    expect(player.calls).toHaveLength(1);
  });

  it('re-plans on a wall clock jump and reports what the jump skipped over', async () => {
    store.applyDesired(desired(1, { slots: [slot('sang', '07:00', [clip.id])], clips: [clip] }));
    makeRunner().start();
    vi.setSystemTime(new Date('2025-03-03T08:00:00+07:00')); // NTP correction: +61 min, monotonic time unchanged
    await vi.advanceTimersByTimeAsync(5_000);
    expect(log.lines.some((l) => l.includes('wall clock jumped'))).toBe(true);
    expect(records).toEqual([
      expect.objectContaining({ entryId: 'sang@2025-03-03', outcome: 'missed', reason: 'late' }),
    ]);
    expect(player.calls).toHaveLength(0);
  });

  it('reports entries that fell due while the agent was down as missed (agent-offline)', async () => {
    store.applyDesired(desired(1, { slots: [slot('sang', '07:00', [clip.id])], clips: [clip] }));
    const first = makeRunner();
    first.start();
    await first.stop();
    vi.setSystemTime(new Date('2025-03-03T09:00:00+07:00'));
    makeRunner().start();
    await vi.advanceTimersByTimeAsync(1);
    expect(records).toEqual([expect.objectContaining({ outcome: 'missed', reason: 'agent-offline' })]);
  });

  it('re-plans when asked (new desired state) and on the hour', async () => {
    store.applyDesired(desired(1, { slots: [slot('sang', '07:00', [clip.id])], clips: [clip] }));
    const runner = makeRunner();
    runner.start();
    store.applyDesired(desired(2, { slots: [slot('sang', '07:30', [clip.id])], clips: [clip] }));
    runner.replan('desired v2');
    expect(runner.status().next[0]?.startsAt).toBe(at('07:30:00'));
    await vi.advanceTimersByTimeAsync(60_000);
    expect(player.calls).toHaveLength(0);
    expect(log.lines.filter((l) => l.includes('scheduled re-plan'))).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(35 * 60_000);
    expect(records).toEqual([expect.objectContaining({ outcome: 'played', desiredVersion: 2 })]);
  });

  it('neither plays nor records while the clock is not trusted', async () => {
    store.applyDesired(desired(1, { slots: [slot('sang', '07:00', [clip.id])], clips: [clip] }));
    const runner = makeRunner({}, { clockTrusted: false });
    runner.start();
    await vi.advanceTimersByTimeAsync(5 * 60_000);
    expect(records).toHaveLength(0);
    expect(player.calls).toHaveLength(0);
    expect(runner.status().next).toEqual([]);
  });
});
