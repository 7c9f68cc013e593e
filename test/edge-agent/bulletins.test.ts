// Bulletins at the agent, in-process with a real broker and clip server: what each level does, what a
// station reports (received, held, started, finished, expired, cancelled), and what it refuses.
import { describe, expect, it, vi } from 'vitest';
import type { Agent } from '../../edge-agent/agent.ts';
import type { Alert, AlertStatus } from '../../schedules/alerts.ts';
import type { Target } from '../../schedules/model.ts';
import { type AsRunRecord, topics } from '../../schedules/protocol.ts';
import { alertRecord, clipBytes, clipRef, STATION } from '../support/records.ts';
import { waitFor } from '../support/wait.ts';
import { desired, FakePlayer, onlineClass, slot } from './helpers.ts';
import { useAgentWorld } from './rigs.ts';

const programmeBytes = clipBytes('chuong-trinh', 8000);
const programme = clipRef('clip-chuong-trinh', programmeBytes, 60_000);
const alarmBytes = clipBytes('canh-bao', 3000);
const alarm = clipRef('clip-canh-bao', alarmBytes, 5_000);
// Monday 2025-03-03 12:00 in Hồ Chí Minh City: a slot plays 12:00:30; the online class (08:00-11:30) is over.
const NOON = new Date('2025-03-03T12:00:00+07:00');

const bulletin = (id: string, extra: Partial<Alert> = {}) => alertRecord(id, alarm, extra);

describe('bulletins at the agent', () => {
  const world = useAgentWorld({
    clips: new Map([
      [programme.id, programmeBytes],
      [alarm.id, alarmBytes],
    ]),
    watch: [topics.alertStatus(STATION), topics.asRun(STATION)],
  });
  let agent: Agent;
  let player: FakePlayer;

  async function start(now: Date) {
    vi.setSystemTime(now);
    await world.controller.publishDesired(
      desired(1, {
        slots: [slot('trua', '12:00:30', [programme.id])],
        quietWindows: [onlineClass],
        clips: [programme],
      }),
    );
    const station = world.agent({
      config: { warmUpMs: 500, tailMs: 200 },
      player: new FakePlayer(programme.durationMs),
      deps: { clipRetry: { attempts: 2, baseMs: 10, maxMs: 50 } },
    });
    ({ agent, player } = station);
    await agent.start();
    await waitFor(() => station.store.desiredVersion() === 1 && agent.status().online, 5000, 'desired state');
    await agent.syncClips();
  }

  /** Moves fake time on in steps that leave room for real file and socket I/O between them. */
  async function advanceUntil(done: () => boolean, maxMs = 120_000) {
    for (let t = 0; t < maxMs && !done(); t += 250) {
      await vi.advanceTimersByTimeAsync(250);
      await new Promise((r) => setTimeout(r, 5));
    }
    expect(done()).toBe(true);
  }

  const send = (a: Alert, target?: Target) => world.controller.sendAlert(a, target);
  const statuses = () =>
    world.controller
      .received<{ statuses: AlertStatus[] }>(topics.alertStatus(STATION))
      .flatMap((m) => m.statuses);
  const records = () =>
    world.controller.received<{ records: AsRunRecord[] }>(topics.asRun(STATION)).flatMap((m) => m.records);
  const statesOf = (id: string) =>
    statuses()
      .filter((s) => s.alertId === id)
      .map((s) => s.state);
  const recordOf = (entryId: string) => records().find((r) => r.entryId === entryId);

  it('an emergency cuts the slot on air, plays at once and reports received, started, finished', async () => {
    await start(NOON);
    await advanceUntil(() => player.calls.length === 1); // the slot's sound started at 12:00:30
    await vi.advanceTimersByTimeAsync(5000); // mid-clip
    expect(agent.status().playing).toBe('trua@2025-03-03');
    await send(bulletin('al-lu'));
    await waitFor(() => statesOf('al-lu').includes('started'), 5000, 'started');
    await waitFor(() => recordOf('trua@2025-03-03'), 5000, 'the slot record');
    expect(recordOf('trua@2025-03-03')).toMatchObject({ outcome: 'interrupted', reason: 'emergency' });
    await advanceUntil(() => recordOf('alert:al-lu') !== undefined); // the fake player plays every file 60 s
    expect(recordOf('alert:al-lu')).toMatchObject({ outcome: 'played', slotId: 'al-lu' });
    await waitFor(() => statesOf('al-lu').includes('finished'), 5000, 'finished');
    expect(statesOf('al-lu')).toEqual(['received', 'started', 'sounding', 'finished']);
    expect(player.calls.map((c) => c.file.endsWith(`${alarm.sha256}.opus`))).toEqual([false, true]);
  });

  it('an emergency waits for the end of an online class, unless the sender said to ignore quiet windows', async () => {
    await start(new Date('2025-03-03T09:00:00+07:00'));
    // the class ends 11:30; the bulletin is good until 13:00, so it waits (expiring first, it would be skipped)
    await send(bulletin('al-cho', { expiresAt: new Date('2025-03-03T13:00:00+07:00').toISOString() }));
    await waitFor(() => statesOf('al-cho').includes('held'), 5000, 'held');
    const held = statuses().find((s) => s.alertId === 'al-cho' && s.state === 'held');
    expect(held).toMatchObject({ reason: 'quiet-window' });
    expect(held?.detail).toContain(new Date('2025-03-03T11:30:00+07:00').toISOString().slice(0, 16));
    expect(player.calls).toHaveLength(0);

    await send(bulletin('al-ngay', { ignoreQuietWindows: true }));
    await waitFor(() => statesOf('al-ngay').includes('started'), 5000, 'started despite the class');
    expect(statesOf('al-cho')).not.toContain('started');
  });

  it('a second emergency waits for the first to end, and says so', async () => {
    await start(NOON);
    const long = { ...alarm, durationMs: 60_000 };
    await send(bulletin('al-mot', { clip: long }));
    await waitFor(() => statesOf('al-mot').includes('started'), 5000, 'the first started');
    await send(bulletin('al-hai', { clip: long }));
    await waitFor(() => statesOf('al-hai').includes('held'), 5000, 'the second held');
    expect(statuses().find((x) => x.alertId === 'al-hai' && x.state === 'held')).toMatchObject({
      reason: 'emergency',
    });
    await advanceUntil(() => statesOf('al-hai').includes('started'));
    expect(statesOf('al-mot')).toEqual(['received', 'started', 'sounding', 'finished']);
  });

  it('a bulletin that expired before it arrived is not played and is reported expired', async () => {
    await start(NOON);
    const expired = bulletin('al-cu', { expiresAt: new Date(Date.now() - 1000).toISOString() });
    await send(expired);
    await waitFor(() => statesOf('al-cu').includes('expired'), 5000, 'expired');
    expect(player.calls.some((c) => c.file.includes(alarm.sha256))).toBe(false);
    expect(world.clips.hits).not.toContain(alarm.id); // not even fetched
  });

  it('a bulletin withdrawn while on air is cut and reported cancelled', async () => {
    await start(NOON);
    player.durationMs = 60_000;
    const a = bulletin('al-rut', { clip: { ...alarm, durationMs: 60_000 } });
    await send(a);
    await waitFor(() => statesOf('al-rut').includes('started'), 5000, 'started');
    await send({ ...a, cancelledAt: new Date().toISOString() });
    await waitFor(() => statesOf('al-rut').includes('cancelled'), 5000, 'cancelled');
    await waitFor(() => recordOf('alert:al-rut'), 5000, 'the bulletin record');
    expect(recordOf('alert:al-rut')).toMatchObject({ outcome: 'interrupted', reason: 'cancelled' });
    expect(agent.status().relay.on).toBe(false);
  });

  it('drops a bulletin published for another district; ward staff cannot stop or silence an emergency', async () => {
    await start(NOON);
    const other = bulletin('al-khac', { targets: [{ scope: 'district', id: 'd-cai-rang' }] });
    // a station subscribes only to its own areas: this one never arrives (and would be dropped if it did)
    await send(other);
    const until = new Date(Date.now() + 3_600_000).toISOString();
    agent.overrides.create({ kind: 'volume', volume: 0, endsAt: until, createdBy: 'Chị Lan', reason: 'đêm' });
    await send(bulletin('al-day'));
    await waitFor(() => statesOf('al-day').includes('started'), 5000, 'started');
    expect(statesOf('al-khac')).toEqual([]);
    await waitFor(() => player.calls.length > 0, 5000, 'the sound after the warm-up');
    expect(player.calls.at(-1)?.volume).toBe(1); // ward staff had turned the station down to nothing
    expect(() => agent.overrides.create({ kind: 'stop', createdBy: 'Chị Lan', reason: 'nhầm' })).toThrow(
      /emergency/,
    );
    expect(() =>
      agent.overrides.create({ kind: 'skip', entryId: 'alert:al-day', createdBy: 'Chị Lan', reason: 'x' }),
    ).toThrow(/cannot be skipped|on air/);
  });
});
