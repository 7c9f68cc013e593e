// The agent's timers at wall-clock instants: plain timers that read the wall clock again when they wake.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { timerScheduler } from '../../../edge-agent/playout/jobs.ts';

const T0 = new Date('2025-03-03T00:00:00Z');
const DAY = 86_400_000;

describe('timerScheduler', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(T0);
  });
  afterEach(() => vi.useRealTimers());

  it('runs a job at its instant, once; none for an instant already past; a cancelled one never', async () => {
    const ran: string[] = [];
    expect(timerScheduler.scheduleJob(new Date(T0.getTime() - 1), () => ran.push('past'))).toBeNull();
    timerScheduler.scheduleJob(new Date(T0.getTime() + 5000), () => ran.push('a'));
    timerScheduler.scheduleJob(new Date(T0.getTime() + 6000), () => ran.push('b'))?.cancel();
    await vi.advanceTimersByTimeAsync(4999);
    expect(ran).toEqual([]);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(ran).toEqual(['a']);
  });

  it('waits again when woken early by a step back of the wall clock, and reaches instants past 24.8 days', async () => {
    const ran: number[] = [];
    timerScheduler.scheduleJob(new Date(T0.getTime() + 60_000), () => ran.push(Date.now()));
    timerScheduler.scheduleJob(new Date(T0.getTime() + 40 * DAY), () => ran.push(Date.now()));
    await vi.advanceTimersByTimeAsync(30_000);
    vi.setSystemTime(new Date(Date.now() - 3_600_000)); // the wall clock steps back an hour
    await vi.advanceTimersByTimeAsync(30_000);
    expect(ran).toEqual([]); // the timer woke; the wall clock says an hour to go
    await vi.advanceTimersByTimeAsync(3_600_000);
    expect(ran).toEqual([T0.getTime() + 60_000]);
    await vi.advanceTimersByTimeAsync(41 * DAY);
    expect(ran[1]).toBe(T0.getTime() + 40 * DAY);
  });
});
