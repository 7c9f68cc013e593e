// Playout details: per-entry volume, and a job fired early by a clock that jumped back does not switch the relay on early.

import { describe, expect, it, vi } from 'vitest';
import { timerScheduler } from '../../../edge-agent/playout/jobs.ts';
import type { RunnerDeps } from '../../../edge-agent/playout/runner.ts';
import { clipBytes, clipRef } from '../../support/records.ts';
import { desired, slot } from '../helpers.ts';
import { useRunnerRig } from '../rigs.ts';

const at = (local: string) => new Date(`2025-03-03T${local}+07:00`);
const clip = clipRef('clip-sang', clipBytes('sang'), 10_000);

describe('playout', () => {
  // each play takes 10 s of (fake) time
  const rig = useRunnerRig(at('06:59:00'), { playMs: 10_000 });
  const run = (config: Record<string, unknown>, extra: Partial<RunnerDeps> = {}) =>
    rig.runner(extra, config).start();

  it("plays each entry at the station's volume times the slot's, at most 2, and bounds each play", async () => {
    rig.store.applyDesired(
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
    expect(rig.player.calls.map((c) => [c.name, c.volume, c.timeoutMs])).toEqual([
      ['a@2025-03-03', 0.75, 40_000],
      ['b@2025-03-03', 1.5, 40_000],
      ['c@2025-03-03', 2, 40_000],
    ]);
    expect(rig.records.map((r) => r.outcome)).toEqual(['played', 'played', 'played']);
  });

  it('does not switch on early when a job fires long before its time (the clock jumped back)', async () => {
    rig.store.applyDesired(desired(1, { slots: [slot('sang', '08:00', [clip.id])], clips: [clip] }));
    let first = true;
    run(
      {},
      {
        // the first job fires an hour early, as a timer armed before the wall clock went back an hour would
        scheduler: {
          scheduleJob: (d, fn) => {
            const when = first ? new Date(d.getTime() - 3_600_000) : d;
            first = false;
            return timerScheduler.scheduleJob(when, fn);
          },
        },
      },
    );
    await vi.advanceTimersByTimeAsync(at('07:59:57').getTime() - Date.now());
    expect(rig.relay.changes.filter((c) => c.on)).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(at('08:00:30').getTime() - Date.now());
    expect(rig.relay.changes.filter((c) => c.on).map((c) => c.at)).toEqual([at('07:59:58').toISOString()]);
    expect(rig.player.calls.map((c) => c.startedAt.toISOString())).toEqual([at('08:00:00').toISOString()]);
  });
});
