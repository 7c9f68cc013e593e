// The agent's list of brokers (a cluster's nodes): parsed from its config, started at the node its id picks,
// moved to the next after a failed connection or a drop, with the link's usual back-off.
import { afterEach, describe, expect, it } from 'vitest';
import { createAgentBus } from '../../../edge-agent/bus.ts';
import { parseConfig } from '../../../edge-agent/config/config.ts';
import { brokerList, firstBroker, parseBrokerUrls } from '../../../edge-agent/link/brokers.ts';
import { createLink, type Link } from '../../../edge-agent/link/link.ts';
import { type AgentStore, openStore } from '../../../edge-agent/state/store.ts';
import { recordingLogger } from '../../support/log.ts';
import { freePort } from '../../support/process.ts';
import { STATION } from '../../support/records.ts';
import { type TempDir, tempDir } from '../../support/temp.ts';
import { waitFor } from '../../support/wait.ts';
import { SECRET, startBroker } from '../helpers.ts';

const NODES = ['mqtt://10.0.0.1:1883', 'mqtt://10.0.0.2:1883', 'mqtt://10.0.0.3:1883'];

describe('the list of brokers', () => {
  it('reads one URL or several separated by commas, spaces and empty parts ignored', () => {
    expect(parseBrokerUrls('mqtt://a:1883')).toEqual(['mqtt://a:1883']);
    expect(parseBrokerUrls(' mqtt://a:1883 , mqtts://b:8883,,')).toEqual(['mqtt://a:1883', 'mqtts://b:8883']);
  });

  it('starts where it is told and goes round the list from there', () => {
    const list = brokerList(NODES, 1);
    expect(list.current).toBe(NODES[1]);
    expect([list.next(), list.next(), list.next()]).toEqual([NODES[2], NODES[0], NODES[1]]);
    expect(brokerList(NODES, 5).current).toBe(NODES[2]);
    expect(brokerList(NODES).current).toBe(NODES[0]);
    expect(() => brokerList([])).toThrow(/no broker/);
  });

  it('spreads a fleet evenly over the nodes by station id, each station at the same node every time', () => {
    const counts = [0, 0, 0];
    for (let i = 0; i < 3000; i++) {
      const at = firstBroker(`st-${i}`, 3);
      counts[at] = (counts[at] ?? 0) + 1;
    }
    for (const c of counts) expect(c).toBeGreaterThan(900);
    expect(firstBroker('st-7', 3)).toBe(firstBroker('st-7', 3));
    expect(firstBroker('st-7', 1)).toBe(0);
  });
});

describe('the agent config with several brokers', () => {
  const base = {
    stationId: 'st-1',
    secret: 'st_abcdefgh',
    controllerUrl: 'http://controller.local:8080',
    dataDir: 'data',
  };
  it('accepts a comma-separated list of mqtt:// and mqtts:// nodes', () => {
    const c = parseConfig({ ...base, mqttUrl: NODES.join(',') }, '/tmp');
    expect(parseBrokerUrls(c.mqttUrl)).toEqual(NODES);
  });
  it('names the URL that is wrong, and keeps ws:// to a single broker', () => {
    expect(() => parseConfig({ ...base, mqttUrl: 'mqtt://a:1883,http://b' }, '/tmp')).toThrow(
      /mqttUrl: http:\/\/b: must be an mqtt/,
    );
    expect(() => parseConfig({ ...base, mqttUrl: 'mqtt://a:1883,ws://b:9001' }, '/tmp')).toThrow(
      /ws:\/\/b:9001: several brokers must be mqtt:\/\/ or mqtts:\/\//,
    );
    expect(() => parseConfig({ ...base, mqttUrl: ' , ' }, '/tmp')).toThrow(/mqttUrl: must name a broker/);
    expect(parseConfig({ ...base, mqttUrl: 'ws://b:9001' }, '/tmp').mqttUrl).toBe('ws://b:9001');
  });
});

describe('an agent link over several brokers', () => {
  let tmp: TempDir;
  let store: AgentStore;
  let link: Link | undefined;
  const stops: (() => Promise<void>)[] = [];
  afterEach(async () => {
    await link?.stop();
    for (const stop of stops.splice(0)) await stop();
    store.close();
    tmp.cleanup();
  });

  const start = (mqttUrl: string) => {
    tmp = tempDir();
    store = openStore(tmp.dir);
    const log = recordingLogger();
    link = createLink({
      stationId: STATION,
      secret: SECRET,
      mqttUrl,
      store,
      clock: { now: () => new Date() },
      log,
      bus: createAgentBus(log),
      health: () => ({
        at: new Date().toISOString(),
        agentVersion: 'test',
        desiredVersion: 0,
        relayOn: false,
        playing: null,
        clockTrusted: true,
        uptimeSec: 0,
        outboxLength: 0,
      }),
      options: { retryMs: 60_000, healthMs: 60_000, backoff: { minMs: 20, maxMs: 100 } },
    });
    link.start();
    return log;
  };

  it('moves to the next node when its first one refuses the connection', async () => {
    const broker = await startBroker();
    stops.push(() => broker.close());
    const dead = `mqtt://127.0.0.1:${await freePort()}`;
    // the station's first node is the dead one
    const log = start(firstBroker(STATION, 2) === 0 ? `${dead},${broker.url}` : `${broker.url},${dead}`);
    await waitFor(() => link?.connected, 5000, 'the link on the second node');
    expect(log.lines.some((l) => l.includes(`moving to ${broker.url}`))).toBe(true);
    expect(log.lines.some((l) => l.includes(`connected to ${broker.url}`))).toBe(true);
  });

  it('moves on when the node it is on drops it, and comes back round the list', async () => {
    const a = await startBroker();
    const b = await startBroker();
    stops.push(
      () => a.close(),
      () => b.close(),
    );
    const log = start(firstBroker(STATION, 2) === 0 ? `${a.url},${b.url}` : `${b.url},${a.url}`);
    await waitFor(() => link?.connected, 5000, 'the link on the first node');
    expect(log.lines.some((l) => l.includes(`connected to ${a.url}`))).toBe(true);
    a.drop(`station-${STATION}`);
    await waitFor(
      () => log.lines.some((l) => l.includes(`connected to ${b.url}`)),
      5000,
      'the link on the second node',
    );
  });
});
