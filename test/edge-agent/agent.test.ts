// End-to-end tests of the wired agent in-process: real broker, clip server and SQLite; fake timers drive the schedule.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type Agent, createAgent } from '../../edge-agent/agent.ts';
import { SimRelay } from '../../edge-agent/hardware/relay.ts';
import { type AgentStore, openStore } from '../../edge-agent/state/store.ts';
import { type AgentStatus, createStatusApp } from '../../edge-agent/status.ts';
import { type AsRunRecord, topics } from '../../schedules/protocol.ts';
import {
  clipBytes,
  clipRef,
  desired,
  FakePlayer,
  memoryLogger,
  onlineClass,
  STATION,
  slot,
  startBroker,
  startClipServer,
  tempDir,
  testConfig,
  waitFor,
} from './helpers.ts';

const bytes = clipBytes('thong-diep', 10_000);
const clip = clipRef('clip-thong-diep', bytes, 30_000);
const state = desired(1, {
  slots: [slot('sang', '07:00', [clip.id]), slot('chin-gio', '09:00', [clip.id])],
  quietWindows: [onlineClass],
  clips: [clip],
});

describe('edge agent', () => {
  let tmp: ReturnType<typeof tempDir>;
  let broker: Awaited<ReturnType<typeof startBroker>>;
  let clips: Awaited<ReturnType<typeof startClipServer>>;
  let controller: MqttClient;
  let batches: AsRunRecord[][];
  let running: { agent: Agent; store: AgentStore }[];
  let downloads: number;

  function makeAgent(mqttUrl = broker.url) {
    const config = testConfig(tmp.dir, { controllerUrl: clips.url, mqttUrl, warmUpMs: 2000, tailMs: 1000 });
    const clock = { now: () => new Date() };
    const store = openStore(config.dataDir);
    const relay = new SimRelay(clock, join(config.dataDir, 'relay.jsonl'));
    const player = new FakePlayer(30_000);
    const agent = createAgent({
      config,
      clock,
      relay,
      player,
      store,
      log: memoryLogger(),
      link: { keepaliveSec: 3600, retryMs: 15_000, backoff: { minMs: 100, maxMs: 1000 } },
      clipRetry: { attempts: 3, baseMs: 10, maxMs: 50 },
    });
    running.push({ agent, store });
    return { agent, store, relay, player };
  }

  beforeEach(async () => {
    // Fake time that also flows on its own, so sockets and the broker keep working between jumps.
    vi.useFakeTimers({ shouldAdvanceTime: true });
    vi.setSystemTime(new Date('2025-03-03T06:58:00+07:00'));
    tmp = tempDir();
    broker = await startBroker();
    downloads = 0;
    clips = await startClipServer(new Map(), (_req, res) => {
      downloads++;
      // the first download arrives corrupt
      const body = downloads === 1 ? Buffer.from(bytes).fill(7, 0, 10) : bytes;
      res.writeHead(200, { 'content-type': 'audio/ogg' }).end(body);
    });
    batches = [];
    running = [];
    controller = await mqtt.connectAsync(broker.url, { clientId: 'controller-test', keepalive: 3600 });
    controller.on('message', (topic, payload) => {
      if (topic === topics.asRun(STATION)) batches.push(JSON.parse(payload.toString()).records);
    });
    await controller.subscribeAsync(topics.asRun(STATION), { qos: 1 });
    await controller.publishAsync(topics.desired(STATION), JSON.stringify(state), { qos: 1, retain: true });
  });

  afterEach(async () => {
    for (const r of running) {
      await r.agent.stop();
      r.store.close();
    }
    await controller.endAsync(true);
    await broker.close();
    await clips.close();
    vi.useRealTimers();
    tmp.cleanup();
  });

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

  const ack = (ids: string[]) =>
    controller.publishAsync(topics.asRunAck(STATION), JSON.stringify({ ids }), { qos: 1 });

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
    await waitFor(() => batches.length > 0, 5000, 'as-run batch');
    expect(batches[0]).toEqual([expect.objectContaining({ entryId: 'sang@2025-03-03', outcome: 'played' })]);

    // the relay journal (what an out-of-process test reads) brackets the audio
    const journal = readFileSync(join(tmp.dir, 'relay.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { at: string; on: boolean });
    const played = batches[0]?.[0] as AsRunRecord;
    const on = journal.find((c) => c.on);
    const off = journal.findLast((c) => !c.on);
    expect(on && on.at <= (played.audioStartAt as string)).toBe(true);
    expect(off && off.at >= (played.audioEndAt as string)).toBe(true);

    expect(store.outboxLength()).toBe(1);
    await ack(['sang@2025-03-03']);
    await waitFor(() => store.outboxLength() === 0, 5000, 'ack');

    await vi.advanceTimersByTimeAsync(2 * 3_600_000); // to 09:01: inside the online class
    await waitFor(
      () => batches.some((b) => b.some((r) => r.entryId === 'chin-gio@2025-03-03')),
      5000,
      'skip',
    );
    expect(batches.flat().find((r) => r.entryId === 'chin-gio@2025-03-03')).toMatchObject({
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
    await first.agent.stop();
    first.store.close();
    running = [];

    // the controller and broker are gone; the restart is within the 07:00 entry's grace period
    await broker.close();
    vi.setSystemTime(new Date('2025-03-03T07:00:40+07:00'));
    const second = makeAgent(broker.url);
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
    expect(second.store.outboxBatch().map((r) => [r.entryId, r.outcome])).toEqual([
      ['sang@2025-03-03', 'played'],
      ['chin-gio@2025-03-03', 'skipped'],
      ['sang@2025-03-04', 'played'],
    ]);
  });
});
