// A province on a three-node RabbitMQ cluster, end to end: the controller (a process, MQTT_URL listing
// the nodes, PROVINCE_ID set, the cluster's logins answered by its auth callback) and four agents (processes)
// spread over the nodes by their ids. Each applies its desired state without a retained copy on its node
// (hello and roll call), plays a bulletin; then the node two of them are on is killed (SIGKILL) mid-bulletin:
// they move to another node, report the bulletin finished, and every as-run record is stored exactly once.
// A station revoked through the API is refused at every node, and its connection still open is closed.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import mqtt from 'mqtt';
import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFailed } from 'vitest';
import { firstBroker } from '../../edge-agent/link/brokers.ts';
import { tone } from '../audio/fixtures.ts';
import {
  type ControllerProcess,
  startAgentProcess,
  startControllerProcess,
  writeAgentConfig,
} from '../support/apps.ts';
import { stationLogin, tryConnect } from '../support/mqtt/clients.ts';
import { freePort, type Proc } from '../support/process.ts';
import {
  RABBIT_INSTALL,
  type RabbitCluster,
  rabbitAvailable,
  startRabbitCluster,
} from '../support/rabbit-cluster.ts';
import { tempDir } from '../support/temp.ts';
import { PROCESS_POLL_MS, waitFor } from '../support/wait.ts';

const available = rabbitAvailable();
if (!available) console.warn(`cluster tests skipped: RabbitMQ is not installed (${RABBIT_INSTALL})`);

const PROVINCE = 'can-tho';
// ids chosen so that each node has a station first (firstBroker): an-binh 0, an-hoa 1, xuan-khanh 1, tan-an 2
const STATIONS = ['st-an-binh', 'st-an-hoa', 'st-xuan-khanh', 'st-tan-an'];
const KILLED = 1;
/** The auth callback's cache: a revocation takes effect within it (the controller forgets at once). */
const CACHE_MS = 1000;

describe.skipIf(!available)('a province on a three-node cluster (skipped without rabbitmq-server)', () => {
  const tmp = tempDir('cluster-agents');
  let cluster: RabbitCluster;
  let ctl: ControllerProcess;
  const agents = new Map<string, Proc>();
  const secrets = new Map<string, string>();
  const call = (method: string, url: string, body?: unknown) => ctl.call(method, url, body);
  /** How many times an agent's log says it connected. */
  const connectionsOf = (id: string) =>
    (agents.get(id)?.output() ?? '').split('\n').filter((l) => l.includes('mqtt: connected to')).length;
  /** The node an agent's log says it connected to last. */
  const nodeOf = (id: string) => {
    const lines = (agents.get(id)?.output() ?? '')
      .split('\n')
      .filter((l) => l.includes('mqtt: connected to'));
    const last = lines.at(-1) ?? '';
    return cluster.nodes.findIndex((n) => last.includes(n.mqttUrl));
  };

  beforeAll(async () => {
    const port = await freePort();
    const token = randomBytes(24).toString('base64url');
    const started = Date.now();
    cluster = await startRabbitCluster({ authUrl: `http://127.0.0.1:${port}/broker-auth/${token}` });
    console.log(`three nodes up in ${Date.now() - started} ms`);
    ctl = await startControllerProcess({
      dataDir: path.join(tmp.dir, 'controller'),
      port,
      env: {
        MQTT_URL: cluster.nodes.map((n) => n.mqttUrl).join(','),
        PROVINCE_ID: PROVINCE,
        MQTT_PASSWORD: randomBytes(16).toString('hex'),
        BROKER_AUTH_TOKEN: token,
        BROKER_AUTH_CACHE_MS: String(CACHE_MS),
      },
    });
    for (const [i, id] of STATIONS.entries()) {
      const r = await call('POST', '/api/stations', {
        id,
        name: `Đài ${id}`,
        district: 'ninh-kieu',
        ward: `w-${i}`,
      });
      expect(r.status).toBe(201);
      secrets.set(id, r.body.secret);
      const config = writeAgentConfig(path.join(tmp.dir, `${id}.json`), {
        stationId: id,
        secret: r.body.secret,
        province: PROVINCE,
        controllerUrl: ctl.api,
        mqttUrl: cluster.nodes.map((n) => n.mqttUrl).join(','),
        dataDir: `./${id}`,
        audio: `file:./${id}/speaker`,
        warmUpMs: 300,
        tailMs: 200,
        agentPort: 0,
        agentHttpsPort: 0,
      });
      agents.set(id, startAgentProcess(config));
    }
  }, 300_000);

  afterAll(async () => {
    await Promise.all([...agents.values()].map((p) => p.stop()));
    await ctl?.proc.stop();
    await cluster?.stop();
    tmp.cleanup();
  }, 60_000);

  beforeEach(() => {
    onTestFailed(() => {
      console.error(ctl?.proc.output().slice(-4000));
      for (const [id, p] of agents) console.error(`--- ${id}\n${p.output().slice(-8000)}`);
      for (const [i, n] of cluster.nodes.entries()) console.error(`--- ${n.name}\n${cluster.log(i)}`);
    });
  });

  type StationView = {
    id: string;
    desiredVersion: number;
    online: boolean;
    health: { desiredVersion: number } | null;
  };
  type AlertStation = { stationId: string; state: string };
  const alertStates = async (id: string) =>
    ((await call('GET', `/api/alerts/${id}`)).body?.stations ?? []) as AlertStation[];
  const playsOf = async (station: string, alertId: string) =>
    ((await call('GET', `/api/plays?station=${station}`)).body as { entryId: string }[]).filter(
      (p) => p.entryId === `alert:${alertId}`,
    );
  const sendBulletin = async (seconds: number, title: string) => {
    const clip = await ctl.upload(tone(path.join(tmp.dir, `${title}.mp3`), seconds), title);
    expect(clip.status).toBe(201);
    const alert = await call('POST', '/api/alerts', {
      level: 'emergency',
      title,
      reason: 'Thử nghiệm cụm máy chủ',
      clipId: clip.body.id,
      targets: [{ scope: 'district', id: 'ninh-kieu' }],
    });
    expect(alert.status).toBe(201);
    return alert.body.id as string;
  };

  it('connects each agent through the node its id picks, and each applies its desired state', async () => {
    await waitFor(
      () => STATIONS.every((id) => nodeOf(id) === firstBroker(id, 3)),
      60_000,
      'every agent on its own node',
      PROCESS_POLL_MS,
    );
    expect(new Set(STATIONS.map(nodeOf))).toEqual(new Set([0, 1, 2]));
    // none of them depends on a retained copy on its node: the controller answers their hellos
    await waitFor(
      async () => {
        const list = (await call('GET', '/api/stations')).body as StationView[];
        return STATIONS.every((id) => {
          const s = list.find((x) => x.id === id);
          return s?.online && s.desiredVersion > 0 && s.health?.desiredVersion === s.desiredVersion;
        });
      },
      60_000,
      'every station online with its desired state applied',
      PROCESS_POLL_MS,
    );
  }, 130_000);

  it('plays a bulletin at every station, whichever node it is on', async () => {
    const id = await sendBulletin(2, 'Bản tin thử');
    await waitFor(
      async () => {
        const rows = await alertStates(id);
        return rows.length === STATIONS.length && rows.every((r) => r.state === 'finished');
      },
      60_000,
      'every station reporting the bulletin finished',
      PROCESS_POLL_MS,
    );
    for (const s of STATIONS)
      expect(await waitFor(async () => (await playsOf(s, id)).length, 30_000)).toBe(1);
  }, 90_000);

  it('moves the agents of a killed node to another node mid-bulletin; their records are stored once', async () => {
    const id = await sendBulletin(25, 'Bản tin dài');
    await waitFor(
      async () => {
        const rows = await alertStates(id);
        return (
          rows.length === STATIONS.length && rows.every((r) => ['started', 'sounding'].includes(r.state))
        );
      },
      60_000,
      'every station playing the bulletin',
      PROCESS_POLL_MS,
    );
    const moved = STATIONS.filter((s) => nodeOf(s) === KILLED);
    expect(moved.length).toBe(2);
    await cluster.kill(KILLED);
    const killedAt = Date.now();
    await waitFor(
      () => moved.every((s) => nodeOf(s) !== KILLED && nodeOf(s) !== -1),
      60_000,
      'the killed node’s agents on other nodes',
      PROCESS_POLL_MS,
    );
    console.log(`node killed: its agents connected to other nodes within ${Date.now() - killedAt} ms`);
    await waitFor(
      async () => (await alertStates(id)).every((r) => r.state === 'finished'),
      60_000,
      'every station reporting the bulletin finished',
      PROCESS_POLL_MS,
    );
    for (const s of STATIONS) {
      await waitFor(async () => (await playsOf(s, id)).length > 0, 30_000, `${s}'s as-run record`);
      expect((await playsOf(s, id)).length).toBe(1);
    }
  }, 150_000);

  it('closes a revoked station’s connection at its node and refuses it at every node at once, while the other stations stay connected', async () => {
    await cluster.start(KILLED); // back in the cluster: every node is asked
    const stolen = 'st-tan-an';
    await agents.get(stolen)?.stop(); // the stolen Pi is off the air; its secret is in other hands
    const login = stationLogin(`${stolen}@${PROVINCE}`, secrets.get(stolen), {
      clientId: `station-${stolen}@${PROVINCE}`,
      protocolVersion: 4,
    });
    const everyNode = () => Promise.all(cluster.nodes.map((n) => tryConnect(n.mqttUrl, login)));
    expect(await everyNode()).toEqual(['accepted', 'accepted', 'accepted']);
    // the thief is connected at the last node; the controller's take-over reaches the cluster at the first
    const thief = await mqtt.connectAsync(cluster.nodes[2]?.mqttUrl ?? '', login);
    let thiefClosedAt = 0;
    thief.once('close', () => {
      thiefClosedAt = Date.now();
    });
    const others = STATIONS.filter((s) => s !== stolen);
    const connections = () => others.map((s) => connectionsOf(s));
    const before = connections();

    expect((await call('POST', `/api/stations/${stolen}/revoke`)).status).toBe(204);
    const revokedAt = Date.now();
    await waitFor(
      async () => (await everyNode()).every((o) => o !== 'accepted'),
      CACHE_MS + 5000,
      'the revoked station refused at every node',
      100,
    );
    console.log(`revoked station refused at every node ${Date.now() - revokedAt} ms after the revocation`);
    await waitFor(() => thiefClosedAt > 0, 10_000, 'its open connection closed', 100);
    console.log(`its open connection closed ${thiefClosedAt - revokedAt} ms after the revocation`);
    await thief.endAsync(true);
    expect(connections()).toEqual(before); // nobody else was dropped or had to log in again
    const list = (await call('GET', '/api/stations')).body as StationView[];
    for (const s of others) expect(list.find((x) => x.id === s)?.online).toBe(true);
  }, 240_000);
});
