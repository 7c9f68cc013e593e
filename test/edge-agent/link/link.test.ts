// Tests for the agent's MQTT link against a real aedes broker: presence, desired state in, as-run outbox and acks.
import mqtt, { type MqttClient } from 'mqtt';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { retryDelay } from '../../../common/backoff.ts';
import { type AgentBus, createAgentBus } from '../../../edge-agent/bus.ts';
import { createLink, defaultLinkOptions, type Link } from '../../../edge-agent/link/link.ts';
import { type AgentStore, openStore } from '../../../edge-agent/state/store.ts';
import type { AsRunRecord, Health } from '../../../schedules/protocol.ts';
import { topics } from '../../../schedules/protocol.ts';
import { recordingLogger } from '../../support/log.ts';
import { asRunRecord, STATION } from '../../support/records.ts';
import { TEST_SIGNER } from '../../support/signing.ts';
import { type TempDir, tempDir } from '../../support/temp.ts';
import { waitFor } from '../../support/wait.ts';
import { desired, SECRET, startBroker } from '../helpers.ts';

const rec = (id: string) => asRunRecord(id, { outcome: 'skipped', reason: 'online-class' });

interface Seen {
  topic: string;
  json: unknown;
  retain: boolean;
}

describe('MQTT link', () => {
  let tmp: TempDir;
  let store: AgentStore;
  let broker: Awaited<ReturnType<typeof startBroker>>;
  let link: Link;
  let controller: MqttClient;
  let seen: Seen[];
  let log: ReturnType<typeof recordingLogger>;
  let bus: AgentBus;
  let health: Health;

  const of = (topic: string) => seen.filter((m) => m.topic === topic);

  beforeEach(async () => {
    tmp = tempDir();
    store = openStore(tmp.dir);
    broker = await startBroker();
    seen = [];
    log = recordingLogger();
    bus = createAgentBus(log);
    bus.on('desiredReceived', 'test', (s) => void store.applyDesired(s));
    health = {
      at: new Date().toISOString(),
      agentVersion: 'test',
      desiredVersion: 0,
      relayOn: false,
      playing: null,
      clockTrusted: true,
      uptimeSec: 0,
      outboxLength: 0,
    };
    controller = await mqtt.connectAsync(broker.url, { clientId: 'controller-test', reconnectPeriod: 100 });
    controller.on('message', (topic, payload, packet) => {
      let json: unknown = null;
      try {
        json = JSON.parse(payload.toString());
      } catch {}
      seen.push({ topic, json, retain: packet.retain });
    });
    await controller.subscribeAsync(`loa/v1/station/${STATION}/+`, { qos: 1 });
    await controller.subscribeAsync(`loa/v1/station/${STATION}/as-run/ack`, { qos: 1 });
    link = createLink({
      stationId: STATION,
      secret: SECRET,
      mqttUrl: broker.url,
      store,
      clock: { now: () => new Date() },
      log,
      bus,
      health: () => health,
      options: { retryMs: 150, healthMs: 60_000, backoff: { minMs: 50, maxMs: 200 } },
    });
  });

  afterEach(async () => {
    await link.stop();
    await controller.endAsync(true);
    await broker.close();
    store.close();
    tmp.cleanup();
  });

  it('announces presence and health, and applies a retained desired state', async () => {
    await controller.publishAsync(topics.desired(STATION), JSON.stringify(TEST_SIGNER.desired(desired(3))), {
      qos: 1,
      retain: true,
    });
    link.start();
    await waitFor(() => store.desiredVersion() === 3, 3000, 'desired state');
    expect(link.connected).toBe(true);
    await waitFor(() => of(topics.presence(STATION)).length && of(topics.health(STATION)).length);
    expect(of(topics.presence(STATION))[0]?.json).toMatchObject({ online: true });
    expect(of(topics.health(STATION))[0]?.json).toMatchObject({ agentVersion: 'test', outboxLength: 0 });

    // health goes out again only when something changed
    link.healthChanged();
    health = { ...health, relayOn: true };
    link.healthChanged();
    await waitFor(() => of(topics.health(STATION)).length === 2);
    expect(of(topics.health(STATION))[1]?.json).toMatchObject({ relayOn: true });
  });

  it('drops malformed, foreign and stale desired states without touching the store', async () => {
    link.start();
    await waitFor(() => link.connected);
    await controller.publishAsync(topics.desired(STATION), JSON.stringify(TEST_SIGNER.desired(desired(5))), {
      qos: 1,
    });
    await waitFor(() => store.desiredVersion() === 5);
    const before = JSON.stringify(store.getDesired());
    const foreign = desired(9);
    foreign.station = { ...foreign.station, id: 'st-other' };
    const bad = [
      '{not json',
      JSON.stringify(TEST_SIGNER.desired({ version: 7 })),
      JSON.stringify(TEST_SIGNER.desired({ ...desired(8), slots: [{ id: 'x' }] })),
      JSON.stringify(TEST_SIGNER.desired(foreign)),
      JSON.stringify(TEST_SIGNER.desired(desired(5))),
      JSON.stringify(TEST_SIGNER.desired(desired(4))),
    ];
    for (const payload of bad) await controller.publishAsync(topics.desired(STATION), payload, { qos: 1 });
    await controller.publishAsync(topics.asRunAck(STATION), '{"ids": "nope"}', { qos: 1 });
    await waitFor(
      () => log.lines.filter((l) => l.startsWith('warn mqtt: dropped')).length >= 6,
      3000,
      'warnings',
    );
    expect(log.lines).toContain('info mqtt: desired state v5 is already applied');
    expect(store.desiredVersion()).toBe(5);
    expect(JSON.stringify(store.getDesired())).toBe(before);
    expect(log.lines.filter((l) => l.startsWith('warn')).join('\n')).toMatch(
      /non-JSON[\s\S]*st-other[\s\S]*v4/,
    );
  });

  it('keeps as-run records until they are acknowledged, resending them meanwhile', async () => {
    store.recordOutcome(rec('a@2025-03-03'));
    store.recordOutcome(rec('b@2025-03-03'));
    link.start();
    const batches = () =>
      of(topics.asRun(STATION)).map((m) => (m.json as { records: AsRunRecord[] }).records);
    await waitFor(() => batches().length >= 2, 3000, 'a resend'); // not acked: sent again
    expect(batches()[0]?.map((r) => r.id)).toEqual(['a@2025-03-03', 'b@2025-03-03']);
    expect(store.outboxLength()).toBe(2);

    await controller.publishAsync(topics.asRunAck(STATION), JSON.stringify({ ids: ['a@2025-03-03'] }), {
      qos: 1,
    });
    await waitFor(() => store.outboxLength() === 1);
    await waitFor(() => batches().at(-1)?.length === 1, 3000, 'the remainder');
    expect(
      batches()
        .at(-1)
        ?.map((r) => r.id),
    ).toEqual(['b@2025-03-03']);

    await controller.publishAsync(topics.asRunAck(STATION), JSON.stringify({ ids: ['b@2025-03-03'] }), {
      qos: 1,
    });
    await waitFor(() => store.outboxLength() === 0);
    const sent = batches().length;
    // a few retry periods: each time the link looks at the outbox, finds it empty and sends nothing
    const looks = vi.spyOn(store, 'outboxBatch');
    await waitFor(() => looks.mock.calls.length >= 3, 3000, 'three retry periods');
    looks.mockRestore();

    // a new record goes out at once, and first: the broker keeps the order, so nothing went before it
    store.recordOutcome(rec('c@2025-03-03'));
    link.flush();
    await waitFor(() => batches().at(-1)?.[0]?.id === 'c@2025-03-03');
    expect(batches().length).toBe(sent + 1);
  });

  it('leaves a retained offline will, reconnects with backoff and resends the outbox', async () => {
    link.start();
    await waitFor(() => link.connected);
    store.recordOutcome(rec('a@2025-03-03'));
    // the broker goes away abruptly and comes back on the same port
    const port = broker.port;
    broker.drop(`station-${STATION}`);
    await waitFor(
      () => of(topics.presence(STATION)).some((m) => (m.json as { online: boolean }).online === false),
      3000,
      'the will',
    );
    await broker.close();
    broker = await startBroker(port);
    await waitFor(() => controller.connected, 3000, 'controller reconnect');
    await controller.subscribeAsync(`loa/v1/station/${STATION}/+`, { qos: 1 });
    seen = [];
    await waitFor(() => of(topics.asRun(STATION)).length > 0, 5000, 'resend after reconnect');
    expect(link.connected).toBe(true);
    expect(log.lines.some((l) => l.includes('reconnecting in'))).toBe(true);
    expect(store.outboxLength()).toBe(1);
  });

  it('publishes a retained offline presence when stopped cleanly', async () => {
    link.start();
    await waitFor(() => link.connected);
    await link.stop();
    await waitFor(() =>
      of(topics.presence(STATION)).some((m) => (m.json as { online: boolean }).online === false),
    );
    expect(link.connected).toBe(false);
  });
});

describe('reconnect backoff', () => {
  it('doubles its ceiling up to the maximum, and spreads a fleet over the whole range', () => {
    const backoff = defaultLinkOptions.backoff;
    const ceilings = [0, 1, 2, 3, 4, 5, 6, 10].map((f) => retryDelay(f, backoff, () => 1));
    expect(ceilings).toEqual([5000, 10_000, 20_000, 40_000, 80_000, 120_000, 120_000, 120_000]);
    expect(retryDelay(3, backoff, () => 0)).toBe(0);
    // 10,000 stations cut off by one broker restart: their first attempts spread evenly over 5 s
    const first = Array.from({ length: 10_000 }, () => retryDelay(0, backoff));
    const perSecond = [0, 1, 2, 3, 4].map(
      (s) => first.filter((d) => d >= s * 1000 && d < (s + 1) * 1000).length,
    );
    for (const n of perSecond) expect(n).toBeGreaterThan(1500);
    expect(Math.max(...first)).toBeLessThanOrEqual(5000);
  });
});
