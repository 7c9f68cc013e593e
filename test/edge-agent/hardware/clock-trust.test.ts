// Clock trust: what chrony and timedatectl say, waiting for synchronisation, and what the runner does meanwhile.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  type ClockStatus,
  createClockTrust,
  parseChronyTracking,
  parseTimesyncOffset,
  systemClockProbe,
} from '../../../edge-agent/hardware/clock-trust.ts';
import { recordingLogger } from '../../support/log.ts';
import { clipBytes, clipRef } from '../../support/records.ts';
import { desired, slot } from '../helpers.ts';
import { useRunnerRig } from '../rigs.ts';

const at = (local: string) => new Date(`2025-03-03T${local}+07:00`);

describe('time daemon output', () => {
  it('reads chrony tracking (CSV): its correction is positive when the clock is slow', () => {
    const row = (correction: string, leap: string) =>
      `C0A80101,192.168.1.1,3,1741000000.123,${correction},0.000001,0.00002,-1.234,0.001,0.05,0.02,0.001,64.2,${leap}\n`;
    expect(parseChronyTracking(row('-0.012500000', 'Normal'))).toEqual({
      synchronized: true,
      offsetMs: 12.5,
    });
    expect(parseChronyTracking(row('0.250000000', 'Not synchronised'))).toEqual({
      synchronized: false,
      offsetMs: -250,
    });
    expect(parseChronyTracking('506 Cannot talk to daemon')).toBeNull();
  });

  it('reads the offset from timedatectl timesync-status in any unit', () => {
    const status = (offset: string) =>
      `       Server: 162.159.200.1 (ntp.ubuntu.com)\n         Leap: normal\n       Offset: ${offset}\n        Delay: 47.5ms\n`;
    expect(parseTimesyncOffset(status('-2.041ms'))).toBeCloseTo(2.041);
    expect(parseTimesyncOffset(status('+1.5s'))).toBe(-1500);
    expect(parseTimesyncOffset(status('850us'))).toBeCloseTo(-0.85);
    expect(parseTimesyncOffset('Server: n/a\n')).toBeNull();
  });

  it('asks chrony first, then timesyncd and timedated; without systemd nobody can tell', async () => {
    const calls: string[] = [];
    const probe = (answers: Record<string, string | Error>, files: string[]) =>
      systemClockProbe({
        exists: (p) => files.includes(p),
        run: async (cmd, args) => {
          const key = `${cmd} ${args.join(' ')}`;
          calls.push(key);
          const a = answers[key];
          if (a === undefined || a instanceof Error) throw a ?? new Error(`${cmd}: not found`);
          return a;
        },
      })();
    expect(await probe({}, [])).toEqual({ synchronized: null, offsetMs: null, source: 'no systemd' });
    expect(calls).toEqual([]);
    const chrony = 'A,B,3,1,-0.001,0,0,0,0,0,0,0,64,Normal';
    expect(await probe({ 'chronyc -c tracking': chrony }, ['/run/systemd/system'])).toEqual({
      synchronized: true,
      offsetMs: 1,
      source: 'chrony',
    });
    const booted = ['/run/systemd/system'];
    const synced = await probe({ 'timedatectl timesync-status': 'Offset: +3ms' }, [
      ...booted,
      '/run/systemd/timesync/synchronized',
    ]);
    expect(synced).toEqual({ synchronized: true, offsetMs: -3, source: 'timedatectl' });
    const no = await probe({ 'timedatectl show -p NTPSynchronized --value': 'no\n' }, booted);
    expect(no).toMatchObject({ synchronized: false, offsetMs: null });
    // timedated not answering (early boot) is not taken as a yes
    expect(await probe({}, booted)).toMatchObject({ synchronized: false });
  });
});

describe('clock trust', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(at('06:59:00'));
  });
  afterEach(() => vi.useRealTimers());

  it("'system' waits for synchronisation, re-checking, then trusts for good", async () => {
    let answer: ClockStatus = { synchronized: false, offsetMs: null, source: 'test' };
    let trustedCalls = 0;
    const log = recordingLogger();
    const trust = createClockTrust({
      mode: 'system',
      clock: { now: () => new Date() },
      log,
      probe: async () => answer,
      onTrusted: () => trustedCalls++,
      waitingCheckMs: 30_000,
    });
    await trust.start();
    expect(trust.trusted).toBe(false);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(trust.trusted).toBe(false);
    answer = { synchronized: true, offsetMs: 4, source: 'test' };
    await vi.advanceTimersByTimeAsync(30_000);
    expect(trust.trusted).toBe(true);
    expect(trust.offsetMs).toBe(4);
    expect(trustedCalls).toBe(1);
    answer = { synchronized: false, offsetMs: null, source: 'test' }; // a lost NTP link does not make time wrong
    await vi.advanceTimersByTimeAsync(3_600_000);
    expect(trust.trusted).toBe(true);
    expect(log.lines.filter((l) => l.includes('not trusted'))).toHaveLength(1);
    trust.stop();
  });

  it('never trusts a clock that reads before 2025, and obeys always and never', async () => {
    vi.setSystemTime(new Date('1970-01-01T00:00:42Z'));
    const unknown = async (): Promise<ClockStatus> => ({
      synchronized: null,
      offsetMs: null,
      source: 'no systemd',
    });
    const make = (mode: 'system' | 'always' | 'never') =>
      createClockTrust({ mode, clock: { now: () => new Date() }, log: recordingLogger(), probe: unknown });
    const system = make('system');
    await system.start();
    expect(system.trusted).toBe(false);
    vi.setSystemTime(at('07:00:00'));
    await vi.advanceTimersByTimeAsync(30_000);
    expect(system.trusted).toBe(true); // no systemd to ask, and the time is plausible
    const always = make('always');
    const never = make('never');
    await always.start();
    await never.start();
    expect([always.trusted, never.trusted]).toEqual([true, false]);
    for (const t of [system, always, never]) t.stop();
  });
});

describe('runner waiting for a trusted clock', () => {
  const rig = useRunnerRig(at('06:59:00'));

  it('plays nothing until trusted, then records what fell due meanwhile as missed and plays the rest', async () => {
    const clip = clipRef('clip-sang', clipBytes('sang'), 30_000);
    rig.store.applyDesired(
      desired(1, {
        slots: [slot('sang', '07:00', [clip.id]), slot('bay-ruoi', '07:30', [clip.id])],
        clips: [clip],
      }),
    );
    let trusted = false;
    const { records, relay } = rig;
    const runner = rig.runner({ clockTrusted: () => trusted }, { clockTrust: 'system' });
    runner.start();
    await vi.advanceTimersByTimeAsync(10 * 60_000); // 07:09
    expect(relay.changes.filter((c) => c.on)).toHaveLength(0);
    expect(records).toEqual([]);
    trusted = true;
    runner.replan('clock trusted');
    expect(records).toEqual([
      expect.objectContaining({ entryId: 'sang@2025-03-03', outcome: 'missed', reason: 'clock-untrusted' }),
    ]);
    await vi.advanceTimersByTimeAsync(22 * 60_000); // 07:31
    expect(records.map((r) => [r.entryId, r.outcome])).toEqual([
      ['sang@2025-03-03', 'missed'],
      ['bay-ruoi@2025-03-03', 'played'],
    ]);
    await runner.stop();
  });
});
