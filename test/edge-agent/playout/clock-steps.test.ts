// A wall-clock step of hours while an entry is in hand, at each phase of it (preparing, warm-up, playing, tail),
// forward and back: the entry is judged again (played within its grace, else missed, never on air waiting),
// its recorded instants stay in order, and a wrong step corrected soon after drops no programme.
import { describe, expect, it, vi } from 'vitest';
import type { AsRunRecord } from '../../../schedules/protocol.ts';
import { clipBytes, clipRef } from '../../support/records.ts';
import { desired, slot } from '../helpers.ts';
import { useRunnerRig } from '../rigs.ts';

const at = (local: string) => new Date(`2025-03-03T${local}+07:00`);
const iso = (local: string) => at(local).toISOString();
const clip = clipRef('clip-sang', clipBytes('sang'), 30_000);
const HOUR = 3_600_000;

/** Relay on, first sample, last sample, relay off: each after the one before, and the sound as long as the clip. */
function expectOrdered(r: AsRunRecord | undefined): void {
  const t = [r?.relayOnAt, r?.audioStartAt, r?.audioEndAt, r?.relayOffAt].map((x) => Date.parse(x as string));
  expect(t.every(Number.isFinite)).toBe(true);
  for (let i = 1; i < t.length; i++) expect(t[i] as number).toBeGreaterThanOrEqual(t[i - 1] as number);
  expect((t[2] as number) - (t[1] as number)).toBe(30_000);
}

describe('a clock step while an entry is in hand', () => {
  // performance.now (the monotonic clock) follows the fake timers but not setSystemTime: a step.
  const rig = useRunnerRig(at('06:59:00'));
  const onTimes = () => rig.relay.changes.filter((c) => c.on).map((c) => c.at);
  /** How long the relay was on in all, measured on the monotonic clock (as a watchdog would). */
  let onMs = 0;
  const start = () => {
    rig.store.applyDesired(desired(1, { slots: [slot('sang', '07:00', [clip.id])], clips: [clip] }));
    const runner = rig.runner();
    runner.start();
    onMs = 0;
    const tick = setInterval(() => {
      if (rig.relay.on) onMs += 100;
    }, 100);
    return { runner, done: () => clearInterval(tick) };
  };
  /** Steps the wall clock by `ms` at once, monotonic time unchanged. */
  const step = (ms: number) => vi.setSystemTime(new Date(Date.now() + ms));

  it('preparing, +6 h: never on air; held in doubt, then recorded missed', async () => {
    const { done } = start();
    await vi.advanceTimersByTimeAsync(50_000); // 06:59:50: in hand, its player started ahead
    expect(rig.player.prepared).toHaveLength(1);
    step(6 * HOUR);
    await vi.advanceTimersByTimeAsync(6_000);
    expect(rig.records).toEqual([]);
    expect(rig.player.prepared[0]?.cancelled).toBe(true);
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(rig.records).toEqual([
      expect.objectContaining({ outcome: 'missed', reason: 'late', relayOnAt: null }),
    ]);
    expect(onTimes()).toEqual([]);
    expect(rig.player.calls).toEqual([]);
    done();
  });

  it('preparing, -6 h: given back, and played when its time comes round on the new clock', async () => {
    const { done } = start();
    await vi.advanceTimersByTimeAsync(50_000);
    step(-6 * HOUR); // 00:59:50
    await vi.advanceTimersByTimeAsync(6_000);
    expect(onTimes()).toEqual([]);
    await vi.advanceTimersByTimeAsync(6 * HOUR + 60_000);
    expect(onTimes()).toEqual([iso('06:59:58')]);
    expect(rig.records).toEqual([
      expect.objectContaining({ outcome: 'played', audioStartAt: iso('07:00:00') }),
    ]);
    expectOrdered(rig.records[0]);
    done();
  });

  it('warm-up, +6 h: off air within a second, held in doubt, then recorded missed', async () => {
    const { done } = start();
    await vi.advanceTimersByTimeAsync(59_000); // 06:59:59, relay on since 06:59:58
    expect(rig.relay.on).toBe(true);
    step(6 * HOUR);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(rig.relay.on).toBe(false);
    expect(onMs).toBeLessThanOrEqual(2_100); // the warm-up, no more
    expect(rig.store.isDone('sang@2025-03-03')).toBe(false);
    await vi.advanceTimersByTimeAsync(10 * 60_000 + 5_000);
    expect(rig.records).toEqual([expect.objectContaining({ outcome: 'missed', reason: 'late' })]);
    expect(rig.player.calls).toEqual([]);
    done();
  });

  it('warm-up, -6 h: off air within a second, then on air again at the new clock’s time', async () => {
    const { done } = start();
    await vi.advanceTimersByTimeAsync(59_000);
    step(-6 * HOUR);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(rig.relay.on).toBe(false);
    expect(onMs).toBeLessThanOrEqual(2_100);
    await vi.advanceTimersByTimeAsync(6 * HOUR + 60_000);
    expect(rig.records).toEqual([
      expect.objectContaining({ outcome: 'played', audioStartAt: iso('07:00:00') }),
    ]);
    expect(onTimes()).toEqual([iso('06:59:58'), iso('06:59:58')]); // once before the step, once after it
    expectOrdered(rig.records[0]);
    done();
  });

  for (const [phase, when] of [
    ['playing', 70_000],
    ['the tail', 90_500],
  ] as const) {
    for (const by of [6 * HOUR, -6 * HOUR]) {
      it(`${phase}, ${by > 0 ? '+' : '-'}6 h: plays on to its end; its instants stay in order, on the clock it began on`, async () => {
        const { done } = start();
        await vi.advanceTimersByTimeAsync(when);
        expect(rig.relay.on).toBe(true);
        step(by);
        await vi.advanceTimersByTimeAsync(40_000);
        expect(rig.relay.on).toBe(false);
        const r = rig.records[0];
        expect(rig.records).toEqual([expect.objectContaining({ outcome: 'played' })]);
        expect(r).toMatchObject({
          relayOnAt: iso('06:59:58'),
          audioStartAt: iso('07:00:00'),
          audioEndAt: iso('07:00:30'),
          relayOffAt: iso('07:00:31'),
        });
        expect(r?.detail).toMatch(/wall clock stepped [+-]21600\.0 s during it/);
        expectOrdered(r);
        expect(onMs).toBeLessThanOrEqual(33_100);
        done();
      });
    }
  }
});

describe('a wrong step corrected soon after', () => {
  const rig = useRunnerRig(at('06:59:00'));
  const HOURS = ['07', '08', '09', '10', '11', '12'];

  it('drops no programme: what the wrong step jumped over plays at its time once the clock is back', async () => {
    rig.store.applyDesired(
      desired(1, { slots: HOURS.map((h) => slot(`gio-${h}`, `${h}:00`, [clip.id])), clips: [clip] }),
    );
    const runner = rig.runner();
    runner.start();
    const until = (local: string) => vi.advanceTimersByTimeAsync(at(local).getTime() - Date.now());
    await until('07:30:00');
    vi.setSystemTime(at('10:30:00')); // a wrong NTP answer: +3 h
    await until('10:32:00');
    expect(rig.records.map((r) => r.slotId)).toEqual(['gio-07']); // 08, 09 and 10 held in doubt
    vi.setSystemTime(at('07:32:05')); // the right answer two minutes later
    await until('12:01:00');
    expect(rig.records.map((r) => [r.slotId, r.outcome, r.audioStartAt])).toEqual(
      HOURS.map((h) => [`gio-${h}`, 'played', iso(`${h}:00:00`)]),
    );
    expect(rig.log.lines.filter((l) => l.includes('wall clock jumped'))).toHaveLength(2);
    await runner.stop();
  });

  it('a step that stands: what it jumped over is recorded missed after the doubt period, once', async () => {
    rig.store.applyDesired(
      desired(1, { slots: HOURS.map((h) => slot(`gio-${h}`, `${h}:00`, [clip.id])), clips: [clip] }),
    );
    const runner = rig.runner({}, { stepDoubtMs: 5 * 60_000 });
    runner.start();
    const until = (local: string) => vi.advanceTimersByTimeAsync(at(local).getTime() - Date.now());
    await until('07:30:00');
    vi.setSystemTime(at('10:30:00'));
    await until('10:34:00');
    expect(rig.records).toHaveLength(1);
    await until('10:36:00');
    await until('12:01:00');
    expect(rig.records.map((r) => `${r.slotId} ${r.outcome}`)).toEqual([
      'gio-07 played',
      'gio-08 missed',
      'gio-09 missed',
      'gio-10 missed',
      'gio-11 played',
      'gio-12 played',
    ]);
    await runner.stop();
  });

  it('a step corrected after the doubt period: what was recorded missed stays missed, the rest plays on the true clock', async () => {
    rig.store.applyDesired(
      desired(1, { slots: HOURS.map((h) => slot(`gio-${h}`, `${h}:00`, [clip.id])), clips: [clip] }),
    );
    const runner = rig.runner({}, { stepDoubtMs: 5 * 60_000 });
    runner.start();
    const until = (local: string) => vi.advanceTimersByTimeAsync(at(local).getTime() - Date.now());
    await until('07:30:00');
    vi.setSystemTime(at('10:30:00')); // wrong, and not corrected within the doubt period
    await until('10:40:00');
    expect(rig.records.map((r) => `${r.slotId} ${r.outcome}`)).toEqual([
      'gio-07 played',
      'gio-08 missed',
      'gio-09 missed',
      'gio-10 missed',
    ]);
    vi.setSystemTime(at('07:40:05')); // the true time comes back
    await until('12:01:00');
    // 08, 09 and 10 come round again on the true clock: recorded once, never played after their record
    expect(rig.records.map((r) => `${r.slotId} ${r.outcome}`)).toEqual([
      'gio-07 played',
      'gio-08 missed',
      'gio-09 missed',
      'gio-10 missed',
      'gio-11 played',
      'gio-12 played',
    ]);
    expect(rig.player.calls.map((c) => c.name.split('@')[0])).toEqual(['gio-07', 'gio-11', 'gio-12']);
    await runner.stop();
  });

  it('entries ahead while a step is in doubt play on the new clock; only what it jumped over waits', async () => {
    rig.store.applyDesired(
      desired(1, { slots: HOURS.map((h) => slot(`gio-${h}`, `${h}:00`, [clip.id])), clips: [clip] }),
    );
    const runner = rig.runner();
    runner.start();
    const until = (local: string) => vi.advanceTimersByTimeAsync(at(local).getTime() - Date.now());
    await until('07:30:00');
    vi.setSystemTime(at('10:56:00')); // +3 h 26 min; the doubt lasts 10 minutes
    await until('11:01:00');
    expect(rig.records.map((r) => [r.slotId, r.outcome, r.audioStartAt])).toEqual([
      ['gio-07', 'played', iso('07:00:00')],
      ['gio-11', 'played', iso('11:00:00')],
    ]);
    await until('11:07:00'); // the doubt is over: 08, 09, 10 recorded missed, once
    expect(rig.records.map((r) => `${r.slotId} ${r.outcome}`).slice(2)).toEqual([
      'gio-08 missed',
      'gio-09 missed',
      'gio-10 missed',
    ]);
    await runner.stop();
  });
});
