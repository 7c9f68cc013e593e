// systemd notifications: nothing without NOTIFY_SOCKET, READY and WATCHDOG pings with it.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createSdNotify } from '../../common/sdnotify.ts';
import { recordingLogger } from '../support/log.ts';

describe('sd_notify', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('does nothing when not started by systemd', async () => {
    const sent: string[][] = [];
    const sd = createSdNotify({ env: {}, log: recordingLogger(), send: async (a) => void sent.push(a) });
    sd.ready('up');
    const stop = sd.startWatchdog();
    await vi.advanceTimersByTimeAsync(600_000);
    stop();
    expect(sd.enabled).toBe(false);
    expect(sd.watchdogEveryMs).toBeNull();
    expect(sent).toEqual([]);
  });

  it('says READY=1 and pings WATCHDOG=1 at half the WatchdogSec, while alive', async () => {
    const sent: string[][] = [];
    const env = { NOTIFY_SOCKET: '/run/systemd/notify', WATCHDOG_USEC: '60000000', WATCHDOG_PID: '4242' };
    const sd = createSdNotify({
      env,
      pid: 4242,
      log: recordingLogger(),
      send: async (a) => void sent.push(a),
    });
    expect(sd.watchdogEveryMs).toBe(30_000);
    sd.ready('station st-1');
    let alive = true;
    const stop = sd.startWatchdog(() => alive);
    await vi.advanceTimersByTimeAsync(90_000);
    alive = false;
    await vi.advanceTimersByTimeAsync(60_000);
    sd.stopping();
    stop();
    expect(sent).toEqual([
      ['READY=1', 'STATUS=station st-1'],
      ['WATCHDOG=1'],
      ['WATCHDOG=1'],
      ['WATCHDOG=1'],
      ['STOPPING=1'],
    ]);
    // a watchdog meant for another process is not ours to feed
    expect(createSdNotify({ env, pid: 1, log: recordingLogger() }).watchdogEveryMs).toBeNull();
  });

  it('warns once when systemd-notify cannot be run, and carries on', async () => {
    const log = recordingLogger();
    const sd = createSdNotify({
      env: { NOTIFY_SOCKET: '/x' },
      log,
      send: () => Promise.reject(new Error('spawn systemd-notify ENOENT')),
    });
    sd.ready();
    sd.status('x');
    await vi.advanceTimersByTimeAsync(0);
    expect(log.lines).toEqual(['warn sd_notify: READY=1 failed: spawn systemd-notify ENOENT']);
  });
});
