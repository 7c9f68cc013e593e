// Wall-clock jumps of hours, forward and back: nothing plays outside its grace, the skipped-over entries are missed, none twice.
import { describe, expect, it, vi } from 'vitest';
import { clipBytes, clipRef } from '../../support/records.ts';
import { desired, slot } from '../helpers.ts';
import { useRunnerRig } from '../rigs.ts';

const at = (local: string) => new Date(`2025-03-03T${local}+07:00`);
const clip = clipRef('clip-gio', clipBytes('gio'), 30_000);
const HOURS = ['07', '08', '09', '10', '11', '12', '13'];

describe('clock jumps', () => {
  // performance.now (the monotonic clock) follows the fake timers but not setSystemTime: a jump.
  const rig = useRunnerRig(at('06:59:00'));

  it('re-plans after jumps of hours forward and back; every entry is played within grace or missed, once', async () => {
    rig.store.applyDesired(
      desired(1, { slots: HOURS.map((h) => slot(`gio-${h}`, `${h}:00`, [clip.id])), clips: [clip] }),
    );
    const { records, relay, player, log } = rig;
    const runner = rig.runner({}, { graceMs: 60_000 });
    runner.start();
    const until = (local: string) => vi.advanceTimersByTimeAsync(at(local).getTime() - Date.now());
    const outcomes = () =>
      Object.fromEntries(records.map((r) => [r.slotId, `${r.outcome}${r.reason ? `:${r.reason}` : ''}`]));

    await until('07:01:00');
    expect(outcomes()).toEqual({ 'gio-07': 'played' });

    // NTP (or a technician) moves the clock 3 hours forward at 07:30: what it jumped over is held in doubt
    await until('07:30:00');
    vi.setSystemTime(at('10:30:00'));
    await vi.advanceTimersByTimeAsync(5_000);
    expect(outcomes()).toEqual({ 'gio-07': 'played' });
    expect(relay.on).toBe(false);
    await until('10:40:05'); // stepDoubtMs (10 min) later, with no step back, it is missed
    expect(outcomes()).toEqual({
      'gio-07': 'played',
      'gio-08': 'missed:late',
      'gio-09': 'missed:late',
      'gio-10': 'missed:late',
    });
    await until('11:01:00');
    expect(outcomes()['gio-11']).toBe('played');

    // and 3 hours back at 11:10: 08:00 to 11:00 come round again, but are done
    await until('11:10:00');
    vi.setSystemTime(at('08:10:00'));
    await vi.advanceTimersByTimeAsync(5_000);
    const before = records.length;
    const changesBefore = relay.changes.length;
    await until('11:59:00');
    expect(records.length).toBe(before);
    expect(relay.changes.length).toBe(changesBefore); // the relay stayed off through the repeated hours
    await until('13:01:00');
    expect(outcomes()).toEqual({
      'gio-07': 'played',
      'gio-08': 'missed:late',
      'gio-09': 'missed:late',
      'gio-10': 'missed:late',
      'gio-11': 'played',
      'gio-12': 'played',
      'gio-13': 'played',
    });

    // one record per entry, one play per played entry, each started within its grace
    expect(new Set(records.map((r) => r.entryId)).size).toBe(records.length);
    expect(player.calls.map((c) => c.name)).toEqual(
      ['gio-07', 'gio-11', 'gio-12', 'gio-13'].map((s) => `${s}@2025-03-03`),
    );
    for (const r of records.filter((x) => x.outcome === 'played')) {
      const late = Date.parse(r.audioStartAt as string) - Date.parse(r.scheduledAt);
      expect(late).toBeGreaterThanOrEqual(0);
      expect(late).toBeLessThanOrEqual(60_000);
    }
    expect(log.lines.filter((l) => l.includes('wall clock jumped'))).toHaveLength(2);
    await runner.stop();
  });

  it('an entry whose time a forward jump lands within its grace still plays, late but within grace', async () => {
    rig.store.applyDesired(desired(1, { slots: [slot('gio-09', '09:00', [clip.id])], clips: [clip] }));
    const { records } = rig;
    const runner = rig.runner({}, { graceMs: 60_000 });
    runner.start();
    await vi.advanceTimersByTimeAsync(60_000); // 07:00
    vi.setSystemTime(at('08:59:59'));
    // the timer armed for 08:59:58 still waits for two hours of monotonic time; the jump check re-plans first
    await vi.advanceTimersByTimeAsync(5_000); // 09:00:04: 4 s late
    await vi.advanceTimersByTimeAsync(40_000);
    expect(records).toEqual([expect.objectContaining({ outcome: 'played' })]);
    const late = Date.parse(records[0]?.audioStartAt as string) - at('09:00:00').getTime();
    expect(late).toBeGreaterThan(0);
    expect(late).toBeLessThanOrEqual(60_000);
    await runner.stop();
  });
});
