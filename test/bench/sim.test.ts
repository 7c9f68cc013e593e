// The fleet simulator's pieces that the benchmarks count on (not a benchmark): a simulated station answers a
// bulletin sent through POST /api/alerts; on protocol v2 it logs in as `<id>@<province>`, says hello on every
// connect and to a roll call, and moves to the next broker of its list when its broker goes. (The embedded
// broker's retained index is tested with the broker, in test/controller/mqtt/persistence.test.ts.)

import { createServer, type Server } from 'node:net';
import { Aedes } from 'aedes';
import mqtt from 'mqtt';
import { afterAll, describe, expect, it } from 'vitest';
import { type SimController, startSimController } from '../../scripts/sim/controller.ts';
import { registerStations } from '../../scripts/sim/fleet.ts';
import { SimStation } from '../../scripts/sim/station.ts';
import { tempDir } from '../support/temp.ts';
import { waitFor } from '../support/wait.ts';
import { apiToken, benchClip } from './support/fleet-phases.ts';

describe('simulated station', () => {
  const tmp = tempDir('sim-test');
  const { dir } = tmp;
  let ctl: SimController | null = null;
  let station: SimStation | null = null;
  afterAll(async () => {
    await station?.stop();
    await ctl?.close();
    tmp.cleanup();
  });

  it('applies its desired state and answers an emergency bulletin: received, started, then finished', async () => {
    const c = await startSimController({ dataDir: dir, http: { adminPassword: 'sim-test-password' } });
    ctl = c;
    const [cred] = registerStations(c.db, 1, { prefix: 'simtest' });
    if (!cred) throw new Error('no station');
    c.desired.sync();
    const s = new SimStation({ url: c.url, ...cred, backoff: { minMs: 200, maxMs: 1000 }, keepaliveSec: 30 });
    station = s;
    s.start();
    await waitFor(
      () => s.online && s.appliedVersion > 0,
      10_000,
      'the station online with its desired state',
    );

    const clipId = benchClip(c, 300);
    const res = await fetch(`${c.api}/api/alerts`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${await apiToken(c.api as string, 'sim-test-password')}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        level: 'emergency',
        title: 'Thử',
        reason: 'test',
        clipId,
        targets: [{ scope: 'area', id: cred.areaPath[1] }],
      }),
    });
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: string };
    const state = () =>
      (
        c.db
          .prepare('SELECT state FROM alert_stations WHERE alert_id = ? AND station_id = ?')
          .get(id, cred.id) as { state: string }
      ).state;
    await waitFor(() => state() === 'started', 5000, 'started at the controller');
    await waitFor(() => state() === 'finished', 5000, 'finished after the clip');
    expect(s.alerts.get(id)).toBe('finished');
    expect(s.malformed).toBe(0);
  }, 30_000);
});

/** A bare broker (no logins checked) that notes who logged in, and can be dropped like a killed node. */
async function node(): Promise<{ url: string; users: string[]; kill(): Promise<void> }> {
  const broker = await Aedes.createBroker();
  const users: string[] = [];
  broker.authenticate = (_client, username, _password, done) => {
    users.push(username ?? '');
    done(null, true);
  };
  const server: Server = createServer(broker.handle);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as { port: number };
  return {
    url: `mqtt://127.0.0.1:${port}`,
    users,
    kill: async () => {
      server.close();
      for (const c of Object.values(
        (broker as unknown as { clients: Record<string, { conn: { destroy(): void } }> }).clients,
      ))
        c.conn.destroy();
      await new Promise<void>((r) => broker.close(() => r()));
    },
  };
}

describe('simulated station on protocol v2', () => {
  const closers: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const c of closers.reverse()) await c();
  });

  it('logs in as <id>@<province>, says hello and answers a roll call, and moves to the other node when its node dies', async () => {
    const nodes = [await node(), await node()];
    const watcher = await mqtt.connectAsync(nodes[0]?.url as string);
    const watcher2 = await mqtt.connectAsync(nodes[1]?.url as string);
    closers.push(
      () => watcher.endAsync(),
      () => watcher2.endAsync(),
    );
    const hellos: { desiredVersion: number; alerts: string[] }[] = [];
    for (const w of [watcher, watcher2]) {
      await w.subscribeAsync('loa/v2/can-tho/station/+/hello', { qos: 1 });
      w.on('message', (_t, p) => hellos.push(JSON.parse(p.toString())));
    }
    const s = new SimStation({
      urls: nodes.map((n) => n.url),
      id: 'ct-000001',
      secret: 'secret',
      areaPath: ['ct-root'],
      province: 'can-tho',
      backoff: { minMs: 50, maxMs: 200 },
      keepaliveSec: 30,
    });
    closers.push(() => s.stop());
    s.start();
    await waitFor(() => s.online && hellos.length === 1, 5000, 'online and its hello');
    expect(hellos[0]).toMatchObject({ desiredVersion: 0, alerts: [] });
    const first = s.node;
    expect(nodes[first]?.users.filter(Boolean)).toEqual(['ct-000001@can-tho']);

    const here = first === 0 ? watcher : watcher2;
    await here.publishAsync(
      'loa/v2/can-tho/control/roll-call',
      JSON.stringify({ at: new Date().toISOString(), withinMs: 50 }),
      { qos: 1 },
    );
    await waitFor(() => hellos.length === 2, 5000, 'the hello answering the roll call');
    expect(s.rollCalls).toBe(1);

    await nodes[first]?.kill();
    await waitFor(() => s.online && s.node !== first, 5000, 'the station on the other node');
    await waitFor(() => hellos.length === 3, 5000, 'its hello on the other node');
    expect(s.moves.map((m) => m.node)).toEqual([first, 1 - first]);
    expect(nodes[1 - first]?.users.filter(Boolean)).toEqual(['ct-000001@can-tho']);
    expect(s.malformed).toBe(0);
  }, 20_000);
});
