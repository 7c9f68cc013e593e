// The agent speaking protocol v2 (config `province`): its hello names its applied version and the bulletins
// it holds still running, a roll call is answered once within its window and at most once a minute, bad
// roll calls are logged and dropped; an agent moved from v1 to v2 keeps its outbox and sends it on v2.
import mqtt, { type MqttClient } from 'mqtt';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAgentBus } from '../../../edge-agent/bus.ts';
import { parseConfig } from '../../../edge-agent/config/config.ts';
import { createHello } from '../../../edge-agent/link/hello.ts';
import { createLink, type Link } from '../../../edge-agent/link/link.ts';
import { type AgentStore, openStore } from '../../../edge-agent/state/store.ts';
import { type Health, protocolTopics, TOPIC_ROOT } from '../../../schedules/protocol.ts';
import { recordingLogger } from '../../support/log.ts';
import { alertRecord, asRunRecord, STATION } from '../../support/records.ts';
import { type TempDir, tempDir } from '../../support/temp.ts';
import { waitFor } from '../../support/wait.ts';
import { SECRET, startBroker } from '../helpers.ts';

const V2 = protocolTopics('loa/v2/can-tho');
const CLIP = { id: 'clip-a', sha256: 'a'.repeat(64), durationMs: 1000, bytes: 10 };
let tmp: TempDir;
let store: AgentStore;

beforeEach(() => {
  tmp = tempDir();
  store = openStore(tmp.dir);
});
afterEach(() => {
  vi.useRealTimers();
  store.close();
  tmp.cleanup();
});

describe('the hello', () => {
  it('names the applied version and the bulletins held that are neither expired nor withdrawn', () => {
    const at = new Date().toISOString();
    store.receiveAlert(alertRecord('al-on', CLIP), at);
    store.receiveAlert(alertRecord('al-cancelled', CLIP, { cancelledAt: at }), at);
    store.receiveAlert(
      alertRecord('al-over', CLIP, { expiresAt: new Date(Date.now() - 1000).toISOString() }),
      at,
    );
    const published: { topic: string; payload: string; qos: number }[] = [];
    const client = {
      publish: (topic: string, payload: string, opts: { qos: number }) =>
        published.push({ topic, payload, qos: opts.qos }),
    } as unknown as MqttClient;
    const log = recordingLogger();
    const hello = createHello({
      stationId: STATION,
      topics: V2,
      store,
      clock: { now: () => new Date() },
      log,
      client: () => client,
      random: () => 0.5,
    });
    hello.send();
    expect(published).toHaveLength(1);
    expect(published[0]?.topic).toBe(V2.hello(STATION));
    expect(JSON.parse(published[0]?.payload ?? '')).toMatchObject({ desiredVersion: 0, alerts: ['al-on'] });

    vi.useFakeTimers();
    hello.rollCall(Buffer.from(JSON.stringify({ at: new Date().toISOString(), withinMs: 10_000 })));
    vi.advanceTimersByTime(4999);
    expect(published).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(published).toHaveLength(2);
    // within the minute: not answered again; after it, answered
    hello.rollCall(Buffer.from(JSON.stringify({ at: new Date().toISOString(), withinMs: 0 })));
    vi.advanceTimersByTime(30_000);
    expect(published).toHaveLength(2);
    vi.advanceTimersByTime(30_000);
    hello.rollCall(Buffer.from(JSON.stringify({ at: new Date().toISOString(), withinMs: 0 })));
    vi.advanceTimersByTime(0);
    expect(published).toHaveLength(3);

    for (const bad of ['nope', '{"at":"x","withinMs":5}', '{"at":"2026-12-05T00:00:00Z","withinMs":-1}'])
      hello.rollCall(Buffer.from(bad));
    vi.advanceTimersByTime(120_000);
    expect(published).toHaveLength(3);
    expect(log.lines.filter((l) => l.startsWith('warn') && l.includes('roll call'))).toHaveLength(3);
  });
});

describe('an agent moved from v1 to v2', () => {
  let broker: Awaited<ReturnType<typeof startBroker>>;
  let controller: MqttClient;
  let link: Link;
  const health: Health = {
    at: new Date().toISOString(),
    agentVersion: 'test',
    desiredVersion: 0,
    relayOn: false,
    playing: null,
    clockTrusted: true,
    uptimeSec: 0,
    outboxLength: 0,
  };

  beforeEach(async () => {
    broker = await startBroker();
    controller = await mqtt.connectAsync(broker.url, { clientId: 'controller-test' });
  });
  afterEach(async () => {
    await link?.stop();
    await controller.endAsync(true);
    await broker.close();
  });

  it('keeps its outbox and sends it, its hello and presence on the v2 root under its v2 login', async () => {
    // recorded while it spoke v1 and could not reach the broker
    store.recordOutcome(asRunRecord('a@2026-12-05', { outcome: 'skipped', reason: 'online-class' }));
    store.recordOutcome(asRunRecord('b@2026-12-05', { outcome: 'skipped', reason: 'online-class' }));
    const config = parseConfig(
      {
        stationId: STATION,
        secret: SECRET,
        controllerUrl: 'http://127.0.0.1:9',
        mqttUrl: broker.url,
        dataDir: tmp.dir,
        province: 'can-tho',
      },
      tmp.dir,
    );
    expect(config.province).toBe('can-tho');
    const logins: string[] = [];
    broker.broker.on('client', (c) => logins.push(c.id));
    const heard: { topic: string; json: { records?: { id: string }[] } }[] = [];
    controller.on('message', (topic, p) =>
      heard.push({ topic, json: p.length ? JSON.parse(p.toString()) : null }),
    );
    await controller.subscribeAsync(['loa/v2/can-tho/station/+/+', `${TOPIC_ROOT}/station/+/+`], { qos: 1 });
    const log = recordingLogger();
    link = createLink({
      ...config,
      store,
      clock: { now: () => new Date() },
      log,
      bus: createAgentBus(log),
      health: () => health,
      options: { retryMs: 200, backoff: { minMs: 50, maxMs: 200 } },
    });
    link.start();
    await waitFor(() => heard.some((m) => m.topic === V2.asRun(STATION)), 3000, 'the outbox on v2');
    const batch = heard.find((m) => m.topic === V2.asRun(STATION));
    expect(batch?.json.records?.map((r) => r.id)).toEqual(['a@2026-12-05', 'b@2026-12-05']);
    await controller.publishAsync(
      V2.asRunAck(STATION),
      JSON.stringify({ ids: ['a@2026-12-05', 'b@2026-12-05'] }),
      {
        qos: 1,
      },
    );
    await waitFor(() => store.outboxLength() === 0, 3000, 'the outbox acknowledged on v2');
    await waitFor(() => heard.some((m) => m.topic === V2.hello(STATION)), 3000, 'the hello');
    expect(heard.some((m) => m.topic === V2.presence(STATION))).toBe(true);
    expect(heard.filter((m) => m.topic.startsWith(`${TOPIC_ROOT}/`))).toEqual([]);
    expect(logins).toContain(`station-${STATION}@can-tho`);
  });
});

describe('the agent config', () => {
  it('takes a province as a topic level, and refuses anything else', () => {
    const base = {
      stationId: STATION,
      secret: SECRET,
      controllerUrl: 'http://127.0.0.1:9',
      mqttUrl: 'mqtt://127.0.0.1:1',
      dataDir: '.',
    };
    expect(parseConfig(base, '/tmp').province).toBeUndefined();
    expect(() => parseConfig({ ...base, province: 'can/tho' }, '/tmp')).toThrow(/province/);
    expect(() => parseConfig({ ...base, province: 'can+tho' }, '/tmp')).toThrow(/province/);
  });
});
