// End-to-end tests of the wired agent in-process: real broker, clip server and SQLite; fake timers drive the schedule.

import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { SimRelay } from '../../edge-agent/hardware/relay.ts';
import { createStatusApp } from '../../edge-agent/local/app.ts';
import type { AgentStatus } from '../../edge-agent/status.ts';
import { type AsRunRecord, topics } from '../../schedules/protocol.ts';
import { clipBytes, clipRef, relayJournal, STATION } from '../support/records.ts';
import { waitFor } from '../support/wait.ts';
import { desired, type FakePlayer, onlineClass, slot } from './helpers.ts';
import { useAgentWorld } from './rigs.ts';

const bytes = clipBytes('thong-diep', 10_000);
const clip = clipRef('clip-thong-diep', bytes, 30_000);
const state = desired(1, {
  slots: [slot('sang', '07:00', [clip.id]), slot('chin-gio', '09:00', [clip.id])],
  quietWindows: [onlineClass],
  clips: [clip],
});

describe('edge agent', () => {
  let downloads = 0;
  const world = useAgentWorld({
    startAt: new Date('2025-03-03T06:58:00+07:00'),
    clipHandler: (_req, res) => {
      downloads++;
      // the first download arrives corrupt
      const body = downloads === 1 ? Buffer.from(bytes).fill(7, 0, 10) : bytes;
      res.writeHead(200, { 'content-type': 'audio/ogg' }).end(body);
    },
    watch: [topics.asRun(STATION)],
    desired: state,
  });
  beforeEach(() => {
    downloads = 0;
  });
  const batches = () =>
    world.controller.received<{ records: AsRunRecord[] }>(topics.asRun(STATION)).map((b) => b.records);
  const makeAgent = (mqttUrl = world.broker.url) =>
    world.agent({ config: { mqttUrl, warmUpMs: 2000, tailMs: 1000 } });

  /**
   * Drives the 07:00 entry of `date` through relay on, audio and relay off. Fake time jumps to each
   * instant; the real-time waits in between only let file and socket I/O (clip hashing, journal) settle.
   */
  async function playThrough(relay: SimRelay, player: FakePlayer, date: string) {
    const calls = player.calls.length;
    const to = async (local: string) => {
      const ms = new Date(`${date}T${local}+07:00`).getTime() - Date.now();
      if (ms > 0) await vi.advanceTimersByTimeAsync(ms);
    };
    await to('06:59:58.100');
    await waitFor(() => relay.on, 5000, 'relay on');
    await to('07:00:00.100');
    await waitFor(() => player.calls.length === calls + 1, 5000, 'audio start');
    await to('07:00:31.100');
    await waitFor(() => !relay.on, 5000, 'relay off');
  }

  it('applies the desired state, fetches and verifies clips, plays on time and reports until acked', async () => {
    const { agent, store, relay, player } = makeAgent();
    await agent.start();
    await waitFor(() => store.desiredVersion() === 1, 5000, 'desired state');
    await waitFor(() => store.getClip(clip.id), 5000, 'clip download');
    expect(downloads).toBe(2); // the corrupt one was rejected and fetched again

    const app = createStatusApp({ status: () => agent.status() });
    const status = (await (await app.request('/api/status')).json()) as AgentStatus;
    expect(status).toMatchObject({
      station: STATION,
      desiredVersion: 1,
      online: true,
      relay: { on: false },
      playing: null,
    });
    expect(status.next.map((e) => e.id).slice(0, 2)).toEqual(['sang@2025-03-03', 'chin-gio@2025-03-03']);
    expect(await (await app.request('/healthz')).text()).toBe('ok');

    await playThrough(relay, player, '2025-03-03');
    await waitFor(() => batches().length > 0, 5000, 'as-run batch');
    expect(batches()[0]).toEqual([
      expect.objectContaining({ entryId: 'sang@2025-03-03', outcome: 'played' }),
    ]);

    // the relay journal (what an out-of-process test reads) brackets the audio
    const journal = relayJournal(join(world.dir, 'relay.jsonl'));
    const played = batches()[0]?.[0] as AsRunRecord;
    const on = journal.find((c) => c.on);
    const off = journal.findLast((c) => !c.on);
    expect(on && on.at <= (played.audioStartAt as string)).toBe(true);
    expect(off && off.at >= (played.audioEndAt as string)).toBe(true);

    expect(store.outboxLength()).toBe(1);
    await world.controller.ack(['sang@2025-03-03']);
    await waitFor(() => store.outboxLength() === 0, 5000, 'ack');

    await vi.advanceTimersByTimeAsync(2 * 3_600_000); // to 09:01: inside the online class
    await waitFor(
      () => batches().some((b) => b.some((r) => r.entryId === 'chin-gio@2025-03-03')),
      5000,
      'skip',
    );
    expect(
      batches()
        .flat()
        .find((r) => r.entryId === 'chin-gio@2025-03-03'),
    ).toMatchObject({
      outcome: 'skipped',
      reason: 'online-class',
    });
    expect(player.calls).toHaveLength(1);
  });

  it('keeps running from its stored state without the controller, and never replays after a restart', async () => {
    const first = makeAgent();
    await first.agent.start();
    await waitFor(() => first.store.getClip(clip.id), 5000, 'clip download');
    await playThrough(first.relay, first.player, '2025-03-03');
    await first.close();

    // the controller and broker are gone; the restart is within the 07:00 entry's grace period
    await world.broker.close();
    vi.setSystemTime(new Date('2025-03-03T07:00:40+07:00'));
    const second = makeAgent(world.broker.url);
    await second.agent.start();
    expect(second.agent.status()).toMatchObject({ desiredVersion: 1, online: false });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(second.player.calls).toHaveLength(0);
    expect(second.store.outboxLength()).toBe(1); // the unacked 'played' record, still kept

    vi.setSystemTime(new Date('2025-03-04T06:59:00+07:00'));
    await vi.advanceTimersByTimeAsync(5_000); // clock jump detected: re-plan
    await playThrough(second.relay, second.player, '2025-03-04');
    expect(second.player.calls).toHaveLength(1);
    expect(second.store.isDone('sang@2025-03-04')).toBe(true);
    // what the day's step jumped over is recorded once the step is no longer in doubt (stepDoubtMs, 10 min)
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(second.store.outboxBatch().map((r) => [r.entryId, r.outcome])).toEqual([
      ['sang@2025-03-03', 'played'],
      ['sang@2025-03-04', 'played'],
      ['chin-gio@2025-03-03', 'skipped'],
    ]);
  });
});
