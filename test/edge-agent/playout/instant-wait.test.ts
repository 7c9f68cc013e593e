// The agent's wait to a player's release (edge-agent/playout/player.ts, spinningWait), on real timers: it never
// ends before the instant, stops when aborted, and a clock stepped back does not keep it polling. How close to
// the instant it ends is measured by the slot-timing benchmark, not here.
import { describe, expect, it } from 'vitest';
import type { Clock } from '../../../common/clock.ts';
import { spinningWait } from '../../../edge-agent/playout/player.ts';

const clock: Clock = { now: () => new Date() };

describe('the wait to the instant of a release', () => {
  it('never ends before the instant, whether it is far or within the polled stretch', async () => {
    const wait = spinningWait(clock, { spinMs: 15, busyMs: 2 });
    for (const ahead of [40, 10, 1, 0, -5]) {
      const at = Date.now() + ahead;
      await wait(at, new AbortController().signal);
      expect(Date.now()).toBeGreaterThanOrEqual(at);
    }
  });

  it('stops with the signal’s reason when the entry is stopped', async () => {
    const wait = spinningWait(clock, { spinMs: 15, busyMs: 2 });
    const abort = new AbortController();
    const waiting = wait(Date.now() + 10_000, abort.signal);
    setTimeout(() => abort.abort(new Error('stopped')), 20);
    await expect(waiting).rejects.toThrow('stopped');
  });

  it('gives up polling after a bounded time when the wall clock reads an hour earlier (a step back)', async () => {
    // the first reading is true time; every later one (while it polls) an hour earlier
    let readings = 0;
    const stepped: Clock = { now: () => new Date(Date.now() - (readings++ > 0 ? 3_600_000 : 0)) };
    const wait = spinningWait(stepped, { spinMs: 15, busyMs: 2 });
    const at = Date.now() + 30;
    const t0 = performance.now();
    await wait(at, new AbortController().signal);
    expect(stepped.now().getTime()).toBeLessThan(at); // returned without the instant: the caller judges again
    expect(performance.now() - t0).toBeLessThan(1000);
  });
});
