// The emergency path at the runner: an emergency received at an idle station goes on air at once while its
// clip downloads (warm-up and download overlap), with its own warm-up; it reports on air at relay-on and
// sounding at the first sample; a clip that does not come in time takes it off air again.
import { describe, expect, it, vi } from 'vitest';
import type { TimetableEntry } from '../../../schedules/model.ts';
import { alertRecord, clipBytes, clipRef, STATION } from '../../support/records.ts';
import { desired, recordingBus } from '../helpers.ts';
import { useRunnerRig } from '../rigs.ts';

const NOON = new Date('2025-03-03T12:00:00+07:00');
const alarm = clipRef('clip-canh-bao', clipBytes('canh-bao'), 5_000);
const noonPlus = (ms: number) => new Date(NOON.getTime() + ms).toISOString();

describe('an emergency at an idle station', () => {
  /** When the alarm's clip is on the station (ms after noon); Infinity: never. */
  let clipAt = 0;
  const rig = useRunnerRig(NOON, {
    playMs: alarm.durationMs,
    verifiedPath: (ref) =>
      ref.id === alarm.id && Date.now() >= NOON.getTime() + clipAt ? '/clips/alarm.opus' : null,
  });

  function receive(config: Record<string, unknown> = {}) {
    rig.store.applyDesired(desired(1));
    const events: [string, string, number][] = [];
    const bus = recordingBus((r) => rig.records.push(r));
    const note = (what: string) => (e: TimetableEntry) => {
      events.push([what, e.id, Date.now() - NOON.getTime()]);
    };
    bus.on('entryOnAir', 'test', note('on air'));
    bus.on('entrySounding', 'test', note('sounding'));
    const runner = rig.runner({ bus }, { warmUpMs: 2000, ...config });
    runner.start();
    rig.store.receiveAlert(
      alertRecord('al-lu', alarm, { targets: [{ scope: 'station', id: STATION }] }),
      NOON.toISOString(),
    );
    runner.replan('bulletin al-lu received');
    return events;
  }

  it('switches the relay on at once while the clip downloads; sound a warm-up later', async () => {
    clipAt = 1_500;
    const events = receive();
    await vi.advanceTimersByTimeAsync(1);
    expect(rig.relay.on).toBe(true);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(events).toEqual([
      ['on air', 'alert:al-lu', 0],
      ['sounding', 'alert:al-lu', 2000],
    ]);
    expect(rig.records).toEqual([
      expect.objectContaining({
        entryId: 'alert:al-lu',
        outcome: 'played',
        relayOnAt: noonPlus(0),
        audioStartAt: noonPlus(2000),
      }),
    ]);
  });

  it('takes its own warm-up by level', async () => {
    clipAt = 0;
    const events = receive({ warmUpByLevel: { emergency: 500 } });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(events).toEqual([
      ['on air', 'alert:al-lu', 0],
      ['sounding', 'alert:al-lu', 500],
    ]);
  });

  it('a clip later than the warm-up: sound as soon as it is there', async () => {
    clipAt = 3_000;
    const events = receive();
    await vi.advanceTimersByTimeAsync(10_000);
    const sounding = events.find(([what]) => what === 'sounding')?.[2] as number;
    expect(sounding).toBeGreaterThanOrEqual(3_000);
    expect(sounding).toBeLessThanOrEqual(3_200); // found within the next look (every 100 ms)
    expect(rig.records[0]).toMatchObject({ outcome: 'played', relayOnAt: noonPlus(0) });
  });

  it('a clip that does not come: off air after the warm-up and emergencyClipWaitMs, nothing recorded yet', async () => {
    clipAt = Number.POSITIVE_INFINITY;
    receive({ emergencyClipWaitMs: 5_000 });
    await vi.advanceTimersByTimeAsync(6_900);
    expect(rig.relay.on).toBe(true);
    await vi.advanceTimersByTimeAsync(300);
    expect(rig.relay.on).toBe(false);
    await vi.advanceTimersByTimeAsync(60_000);
    // once the bulletin's clip is fetched it is planned again from then (bulletins.ts): not recorded before
    expect(rig.records).toEqual([]);
    expect(rig.relay.changes.filter((c) => c.on)).toHaveLength(1);
    expect(rig.store.isDone('alert:al-lu')).toBe(false);
  });

  it('a station already on air does not switch on for a clip it does not have', async () => {
    clipAt = Number.POSITIVE_INFINITY;
    await rig.relay.set(true); // something else on air (the relay is what the runner reads)
    receive();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(rig.player.prepared).toEqual([]);
    await rig.relay.set(false);
  });
});
