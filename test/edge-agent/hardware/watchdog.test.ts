// The relay watchdog: a relay stuck on by a hung player is switched off, the entry recorded, the next one plays.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SimRelay } from '../../../edge-agent/hardware/relay.ts';
import { startRelayWatchdog } from '../../../edge-agent/hardware/watchdog.ts';
import type { AgentPlayer, PlayResult, PreparedPlay } from '../../../edge-agent/playout/player.ts';
import type { AgentStore } from '../../../edge-agent/state/store.ts';
import type { AsRunRecord } from '../../../schedules/protocol.ts';
import { recordingLogger } from '../../support/log.ts';
import { clipBytes, clipRef } from '../../support/records.ts';
import { type TempDir, tempDir } from '../../support/temp.ts';
import { waitFor } from '../../support/wait.ts';
import { cacheClip, desired, slot } from '../helpers.ts';
import { wiredAgent } from '../rigs.ts';

const at = (local: string) => new Date(`2025-03-03T${local}+07:00`);

/** The first play never settles and ignores its abort signal (ffmpeg stuck on a dead sound card); later ones take 30 s. */
class HungOncePlayer implements AgentPlayer {
  calls: { name: string; at: Date }[] = [];
  prepare(_files: readonly string[], opts: { name: string }): PreparedPlay {
    return {
      ready: Promise.resolve(),
      isReady: true,
      cancel() {},
      start: () => {
        this.calls.push({ name: opts.name, at: new Date() });
        const startedAt = new Date();
        if (this.calls.length === 1) return { startedAt, ended: new Promise<never>(() => {}) };
        const ended = new Promise<PlayResult>((resolve) =>
          setTimeout(() => resolve({ startedAt, endedAt: new Date(), outputFile: null }), 30_000),
        );
        return { startedAt, ended };
      },
    };
  }
}

describe('relay watchdog', () => {
  let tmp: TempDir;
  let stores: AgentStore[];

  beforeEach(() => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    vi.setSystemTime(at('06:59:00'));
    tmp = tempDir();
    stores = [];
  });
  afterEach(() => {
    for (const s of stores) s.close();
    vi.useRealTimers();
    tmp.cleanup();
  });

  it('switches off a relay that has been on longer than the limit, measured on the monotonic clock', async () => {
    const relay = new SimRelay({ now: () => new Date() });
    const trips: number[] = [];
    const log = recordingLogger();
    const stop = startRelayWatchdog({
      relay,
      log,
      maxOnMs: () => 10_000,
      onTrip: (onFor) => trips.push(onFor),
    });
    await relay.set(true);
    vi.setSystemTime(at('09:00:00')); // a wall-clock jump neither trips it nor resets it
    await vi.advanceTimersByTimeAsync(10_000);
    expect(relay.on).toBe(true);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(relay.on).toBe(false);
    expect(trips).toHaveLength(1);
    expect(log.lines.some((l) => /^error watchdog: relay on for 1\d s \(limit 10 s\)/.test(l))).toBe(true);
    await relay.set(true); // a new on period starts a new count
    await vi.advanceTimersByTimeAsync(5_000);
    expect(relay.on).toBe(true);
    stop();
  });

  it('turns off a relay stuck on by a hung player, records the entry as failed, and the next entry plays on time', async () => {
    const bytes = clipBytes('thong-diep', 5000);
    const clip = clipRef('clip-td', bytes, 30_000);
    const { agent, store, relay, player } = wiredAgent({
      dataDir: tmp.dir,
      config: { watchdogMarginMs: 10_000, warmUpMs: 2000, tailMs: 1000 },
      player: new HungOncePlayer(),
      journal: false,
      deps: {
        link: { keepaliveSec: 3600 },
        clockProbe: async () => ({ synchronized: null, offsetMs: null, source: 'test' }),
      },
    });
    stores.push(store);
    // The clip is already cached: this test is about the relay, not downloads.
    cacheClip(store, tmp.dir, clip, bytes);
    store.applyDesired(
      desired(1, {
        slots: [slot('sang', '07:00', [clip.id]), slot('trua', '07:10', [clip.id])],
        clips: [clip],
      }),
    );
    const records: AsRunRecord[] = [];
    const recorded = () => store.outboxBatch(100);
    await agent.start();

    await vi.advanceTimersByTimeAsync(at('06:59:58.100').getTime() - Date.now());
    await waitFor(() => player.calls.length === 1 || relay.on, 5000, 'relay on');
    await vi.advanceTimersByTimeAsync(2_000);
    await waitFor(() => player.calls.length === 1, 5000, 'the hung play');
    expect(relay.on).toBe(true);
    // limit: longest entry 30 s + warm-up 2 s + tail 1 s + margin 10 s = 43 s after the relay went on
    await vi.advanceTimersByTimeAsync(at('07:00:40').getTime() - Date.now());
    expect(relay.on).toBe(true);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(relay.on).toBe(false);
    await waitFor(() => recorded().length === 1, 5000, 'the failed record');
    records.push(...recorded());
    expect(records[0]).toMatchObject({ entryId: 'sang@2025-03-03', outcome: 'failed', reason: 'watchdog' });
    // fake time also flows with real time here (sockets, file hashing), so instants are checked to the second
    const onAt = Date.parse(records[0]?.relayOnAt as string);
    expect(onAt - at('06:59:58').getTime()).toBeLessThan(1000);
    expect(records[0]?.detail).toMatch(/relay on for 4\d s, longer than 43 s; switched off by the watchdog/);
    const off = relay.changes.at(-1);
    expect(off?.on).toBe(false);
    expect(Date.parse(off?.at as string) - onAt).toBeGreaterThan(43_000);
    expect(Date.parse(off?.at as string) - onAt).toBeLessThanOrEqual(45_000);

    // the runner was not left waiting for the hung player: the next entry plays on time
    await vi.advanceTimersByTimeAsync(at('07:09:58.100').getTime() - Date.now());
    await waitFor(() => relay.on, 5000, 'relay on for the next entry');
    await vi.advanceTimersByTimeAsync(2_000);
    await waitFor(() => player.calls.length === 2, 5000, 'second play');
    const late = (player.calls[1]?.at.getTime() as number) - at('07:10:00').getTime();
    expect(late).toBeGreaterThanOrEqual(0);
    expect(late).toBeLessThan(1000);
    await vi.advanceTimersByTimeAsync(32_000);
    await waitFor(() => recorded().length === 2, 5000, 'played record');
    expect(recorded()[1]).toMatchObject({ entryId: 'trua@2025-03-03', outcome: 'played' });
    expect(agent.health()).toMatchObject({ relayOn: false, playing: null, relaySimulated: true });
    await agent.stop();
  });
});
