// Resync by hello (docs/protocol.md, "Hello and roll call"): a v2 agent that reconnects to a broker which
// lost the retained desired state and bulletins (as a RabbitMQ node that never received them) gets both
// through its hello, and the end of a bulletin it holds that was withdrawn meanwhile; a roll call after the
// controller's link reconnects brings a hello from every connected agent within its window, and no second
// one within a minute. Real aedes broker, the controller's link, real agent links in process.
import mqtt from 'mqtt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Clock, systemClock } from '../../../common/clock.ts';
import { silentLogger } from '../../../common/log.ts';
import { alertTopics } from '../../../controller/alerts/publish.ts';
import { alertPayload, getAlertRow } from '../../../controller/alerts/store.ts';
import { type EmbeddedBroker, startBroker } from '../../../controller/mqtt/broker.ts';
import { createDesiredSync, type Desired } from '../../../controller/mqtt/desired.ts';
import type { ControllerLink } from '../../../controller/mqtt/link.ts';
import { spokenRoots } from '../../../controller/mqtt/roots.ts';
import { type AgentBus, createAgentBus } from '../../../edge-agent/bus.ts';
import { createLink, type Link } from '../../../edge-agent/link/link.ts';
import { type AgentStore, openStore } from '../../../edge-agent/state/store.ts';
import { Alert } from '../../../schedules/alerts.ts';
import type { Health } from '../../../schedules/protocol.ts';
import { protocolTopics } from '../../../schedules/protocol.ts';
import { makeController } from '../../support/controller.ts';
import { recordingLogger } from '../../support/log.ts';
import { connectLink } from '../../support/mqtt/clients.ts';
import { TEST_SIGNER } from '../../support/signing.ts';
import { type TempDir, tempDir } from '../../support/temp.ts';
import { waitFor } from '../../support/wait.ts';

const ROOTS = spokenRoots('can-tho', ['v1', 'v2']);
const V2 = protocolTopics('loa/v2/can-tho');
const clock: Clock = systemClock;
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

let ctl: Awaited<ReturnType<typeof makeController>>;
let broker: EmbeddedBroker;
let link: ControllerLink;
let desired: Desired;
let tmp: TempDir;
const agents: {
  link: Link;
  store: AgentStore;
  bus: AgentBus;
  bulletins: { topic: string; payload: string }[];
}[] = [];
const secrets: Record<string, string> = {};

const controllerLink = () =>
  connectLink(ctl.db, broker, {
    clock,
    signer: TEST_SIGNER.signer,
    roots: ROOTS,
    resendDesired: (ids) => desired.republish(ids),
    rollCallWithinMs: 600,
    onConnect: (l) => {
      link = l;
      desired.publishAll();
    },
  });

beforeEach(async () => {
  tmp = tempDir('resync');
  ctl = await makeController(
    clock,
    {},
    { bus: { publish: (t, p, o) => link.publish(t, p, o), roots: ROOTS } },
  );
  broker = await startBroker(ctl.db, { host: '127.0.0.1', port: 0, roots: ROOTS }, silentLogger);
  desired = createDesiredSync({
    db: ctl.db,
    clock,
    log: silentLogger,
    publish: (id, s, taken) => link.publishDesired(id, s, taken),
  });
  for (const [id, ward] of [
    ['st-a', 'w1'],
    ['st-b', 'w2'],
  ] as const) {
    const r = await ctl.call('POST', '/api/stations', { id, name: `Đài ${id}`, district: 'd1', ward });
    secrets[id] = r.body.secret;
  }
  ctl.db
    .prepare(
      `INSERT INTO clips (id, title, original_name, source_format, sha256, bytes, duration_ms, created_at)
       VALUES ('clip-a', 't', 't', 'wav', ?, 10, 30000, '2026-01-01T00:00:00Z')`,
    )
    .run('a'.repeat(64));
  link = await controllerLink();
});

afterEach(async () => {
  for (const a of agents.splice(0)) {
    await a.link.stop();
    a.store.close();
  }
  await link.close();
  await broker.close();
  ctl.cleanup();
  tmp.cleanup();
});

/** A v2 agent's link for `id` on the broker, its desired states applied and bulletins collected. */
function agent(id: string, store = openStore(`${tmp.dir}/${id}`)) {
  const log = recordingLogger();
  const bus = createAgentBus(log);
  const bulletins: { topic: string; payload: string }[] = [];
  bus.on('desiredReceived', 'test', (s) => {
    const previous = store.getDesired()?.station ?? null;
    store.applyDesired(s);
    bus.emit('desiredApplied', { state: s, previous });
  });
  bus.on('bulletinReceived', 'test', ({ topic, payload }) => {
    bulletins.push({ topic, payload: payload.toString() });
  });
  const l = createLink({
    stationId: id,
    secret: secrets[id] as string,
    mqttUrl: `mqtt://127.0.0.1:${broker.port}`,
    province: 'can-tho',
    store,
    clock,
    log,
    bus,
    health: () => health,
    options: { retryMs: 200, backoff: { minMs: 50, maxMs: 200 } },
  });
  const a = { link: l, store, bus, bulletins };
  agents.push(a);
  l.start();
  return a;
}

const bulletin = async (targets: object[]) => {
  const r = await ctl.call('POST', '/api/alerts', {
    level: 'emergency',
    title: 'Cảnh báo',
    reason: 'Bão số 5',
    clipId: 'clip-a',
    targets,
  });
  expect(r.status).toBe(201);
  return r.body.id as string;
};

/** Empty retained messages on a topic: the broker node forgets it (as a node that never received it). */
const forget = (topics: string[]) => {
  for (const t of topics) link.publish(t, '', { retain: true });
};

describe('resync by hello', () => {
  it('brings a reconnecting agent its desired state and the bulletins the broker lost, and ends a withdrawn one', async () => {
    const first = agent('st-a');
    await waitFor(() => first.store.desiredVersion() > 0, 5000, 'the first desired state');
    // the station was heard on v2: its state goes there only from now
    await waitFor(
      () => ctl.db.prepare("SELECT mqtt_root FROM stations WHERE id = 'st-a'").pluck().get() === V2.root,
      3000,
      'the station root learnt',
    );
    const withdrawn = await bulletin([{ scope: 'district', id: 'd1' }]);
    await waitFor(() => first.bulletins.some((b) => b.topic.endsWith(`/${withdrawn}`)), 3000, 'a bulletin');
    first.store.receiveAlert(
      Alert.parse(alertPayload(getAlertRow(ctl.db, withdrawn))),
      new Date().toISOString(),
    );
    await first.link.stop();
    agents.splice(0);

    // meanwhile: a new desired state, a new bulletin, the first one withdrawn; the broker loses them all
    const before = first.store.desiredVersion();
    ctl.db.prepare("UPDATE stations SET name = 'Đài phường An Hòa mới' WHERE id = 'st-a'").run();
    expect(desired.sync({ stations: ['st-a'] }).published).toBe(1);
    const missed = await bulletin([{ scope: 'city' }]);
    expect((await ctl.call('POST', `/api/alerts/${withdrawn}/cancel`, { reason: 'nhầm' })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 100));
    forget([
      V2.desired('st-a'),
      ...alertTopics(getAlertRow(ctl.db, missed), ROOTS),
      ...alertTopics(getAlertRow(ctl.db, withdrawn), ROOTS),
    ]);

    const again = agent('st-a', first.store);
    await waitFor(() => again.store.desiredVersion() === before + 1, 5000, 'the new desired state by hello');
    const to = (alertId: string) => V2.alert({ scope: 'station', id: 'st-a' }, alertId);
    await waitFor(() => again.bulletins.some((b) => b.topic === to(missed)), 5000, 'the missed bulletin');
    await waitFor(() => again.bulletins.some((b) => b.topic === to(withdrawn)), 5000, 'the withdrawal');
    const end = again.bulletins.find((b) => b.topic === to(withdrawn));
    expect(JSON.parse(end?.payload ?? '{}').cancelledAt).toBeTruthy();
    expect(JSON.parse(again.bulletins.find((b) => b.topic === to(missed))?.payload ?? '').id).toBe(missed);
  });

  it('a roll call after the link reconnects brings one hello from each connected agent within its window', async () => {
    const a = agent('st-a');
    const b = agent('st-b');
    await waitFor(() => a.link.connected && b.link.connected, 5000, 'both agents connected');
    await new Promise((r) => setTimeout(r, 300));
    const heard: { topic: string; at: number }[] = [];
    // the controller's link reconnects: its roll call asks for hellos
    await link.close();
    const watch = await mqtt.connectAsync(`mqtt://127.0.0.1:${broker.port}`, {
      clientId: 'controller-watch',
      username: 'controller',
      password: broker.controllerPassword,
    });
    watch.on('message', (topic) => heard.push({ topic, at: Date.now() }));
    await watch.subscribeAsync(V2.stations, { qos: 1 });
    const called = Date.now();
    link = await controllerLink();
    await waitFor(() => heard.filter((h) => h.topic.endsWith('/hello')).length === 2, 3000, 'two hellos');
    const hellos = heard.filter((h) => h.topic.endsWith('/hello'));
    expect(hellos.map((h) => h.topic).sort()).toEqual([V2.hello('st-a'), V2.hello('st-b')]);
    for (const h of hellos) expect(h.at - called).toBeLessThan(600 + 500);
    // a second roll call within the minute is not answered
    await link.close();
    link = await controllerLink();
    await new Promise((r) => setTimeout(r, 900));
    expect(heard.filter((h) => h.topic.endsWith('/hello'))).toHaveLength(2);
    await watch.endAsync(true);
  });
});
