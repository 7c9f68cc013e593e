// Playout details: per-entry volume, and a job fired early by a clock that jumped back does not switch the relay on early.
import { scheduleJob } from 'node-schedule';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SimRelay } from '../../edge-agent/hardware/relay.ts';
import type { AgentPlayer } from '../../edge-agent/playout/player.ts';
import { createRunner, type RunnerDeps } from '../../edge-agent/playout/runner.ts';
import { type AgentStore, openStore } from '../../edge-agent/state/store.ts';
import type { AsRunRecord } from '../../schedules/protocol.ts';
import {
  clipBytes,
  clipRef,
  desired,
  memoryLogger,
  recordingBus,
  slot,
  tempDir,
  testConfig,
} from './helpers.ts';

const at = (local: string) => new Date(`2025-03-03T${local}+07:00`);
const clip = clipRef('clip-sang', clipBytes('sang'), 10_000);

/** Records the options of every play; each takes 10 s of (fake) time. */
class VolumePlayer implements AgentPlayer {
  calls: { name: string; volume?: number; timeoutMs: number; at: string }[] = [];
  play(_file: string, opts: { name: string; volume?: number; timeoutMs: number }) {
    const startedAt = new Date();
    this.calls.push({
      name: opts.name,
      volume: opts.volume,
      timeoutMs: opts.timeoutMs,
      at: startedAt.toISOString(),
    });
    return new Promise<{ startedAt: Date; endedAt: Date; outputFile: null }>((resolve) =>
      setTimeout(() => resolve({ startedAt, endedAt: new Date(), outputFile: null }), 10_000),
    );
  }
}

describe('playout', () => {
  let tmp: ReturnType<typeof tempDir>;
  let store: AgentStore;
  let relay: SimRelay;
  let player: VolumePlayer;
  let records: AsRunRecord[];
  const stops: (() => Promise<void>)[] = [];

  function run(config: Record<string, unknown>, extra: Partial<RunnerDeps> = {}) {
    const runner = createRunner({
      config: testConfig(tmp.dir, config),
      clock: { now: () => new Date() },
      store,
      relay,
      player,
      clips: { verifiedPath: async () => '/clips/sang.opus' },
      log: memoryLogger(),
      bus: recordingBus((r) => records.push(r)),
      ...extra,
    });
    runner.start();
    stops.push(() => runner.stop());
    return runner;
  }

  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(at('06:59:00'));
    tmp = tempDir();
    store = openStore(tmp.dir);
    relay = new SimRelay({ now: () => new Date() });
    player = new VolumePlayer();
    records = [];
  });
  afterEach(async () => {
    for (const stop of stops.splice(0)) await stop();
    store.close();
    vi.useRealTimers();
    tmp.cleanup();
  });

  it("plays each entry at the station's volume times the slot's, at most 2, and bounds each play", async () => {
    store.applyDesired(
      desired(1, {
        slots: [
          slot('a', '07:00', [clip.id], { volume: 0.5 }),
          slot('b', '07:10', [clip.id]),
          slot('c', '07:20', [clip.id], { volume: 2 }),
        ],
        clips: [clip],
      }),
    );
    run({ volume: 1.5 });
    await vi.advanceTimersByTimeAsync(25 * 60_000);
    expect(player.calls.map((c) => [c.name, c.volume, c.timeoutMs])).toEqual([
      ['a@2025-03-03', 0.75, 40_000],
      ['b@2025-03-03', 1.5, 40_000],
      ['c@2025-03-03', 2, 40_000],
    ]);
    expect(records.map((r) => r.outcome)).toEqual(['played', 'played', 'played']);
  });

  it('does not switch on early when a job fires long before its time (the clock jumped back)', async () => {
    store.applyDesired(desired(1, { slots: [slot('sang', '08:00', [clip.id])], clips: [clip] }));
    let first = true;
    run(
      {},
      {
        // the first job fires an hour early, as a timer armed before the wall clock went back an hour would
        scheduler: {
          scheduleJob: (d, fn) => {
            const when = first ? new Date(d.getTime() - 3_600_000) : d;
            first = false;
            return scheduleJob(when, fn);
          },
        },
      },
    );
    await vi.advanceTimersByTimeAsync(at('07:59:57').getTime() - Date.now());
    expect(relay.changes.filter((c) => c.on)).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(at('08:00:30').getTime() - Date.now());
    expect(relay.changes.filter((c) => c.on).map((c) => c.at)).toEqual([at('07:59:58').toISOString()]);
    expect(player.calls.map((c) => c.at)).toEqual([at('08:00:00').toISOString()]);
  });
});
