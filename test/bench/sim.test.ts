// The fleet simulator's pieces that the benchmarks count on (not a benchmark): a simulated station answers a
// bulletin sent through POST /api/alerts, and the retained-message index answers subscriptions as aedes does.

import { createRequire } from 'node:module';
import { afterAll, describe, expect, it } from 'vitest';
import { type SimController, startSimController } from '../../scripts/sim/controller.ts';
import { registerStations } from '../../scripts/sim/fleet.ts';
import { useRetainedIndex } from '../../scripts/sim/retained-index.ts';
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
        targets: [{ scope: 'district', id: cred.district }],
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

describe('retained-message index (prototype)', () => {
  // the patch is process-wide: leave it answering the original way for whatever runs next
  afterAll(() => useRetainedIndex(false));
  it('answers every subscription pattern as the full scan does', async () => {
    useRetainedIndex(true);
    const Memory = createRequire(import.meta.url)('aedes-persistence/asyncPersistence.js');
    const store = new Memory();
    const topics = [
      ...['desired', 'presence', 'health'].flatMap((k) => [0, 1, 2].map((i) => `loa/v1/station/s${i}/${k}`)),
      'loa/v1/alerts/city/all/a1',
      'loa/v1/alerts/city/all/a2',
      'loa/v1/alerts/city/all',
      'loa/v1/alerts/city/all/a2/deeper',
      'loa/v1/alerts/district/d1/a3',
    ];
    for (const topic of topics)
      await store.storeRetained({ cmd: 'publish', topic, payload: Buffer.from('x'), qos: 1, retain: true });
    // an empty retained message clears the topic
    await store.storeRetained({
      cmd: 'publish',
      topic: topics[9],
      payload: Buffer.alloc(0),
      qos: 1,
      retain: true,
    });
    const patterns = [
      ['loa/v1/station/s1/desired', 'loa/v1/station/s1/as-run/ack'],
      ['loa/v1/alerts/city/all/+', 'loa/v1/alerts/district/d1/+', 'loa/v1/alerts/ward/w1/+'],
      ['loa/v1/alerts/#'],
      ['loa/v1/station/+/health'],
    ];
    const read = async (p: string[]) => {
      const out: string[] = [];
      for await (const m of store.createRetainedStreamCombi(p)) out.push((m as { topic: string }).topic);
      return out;
    };
    for (const p of patterns) {
      useRetainedIndex(true);
      const indexed = await read(p);
      useRetainedIndex(false);
      expect(indexed, p.join(' ')).toEqual(await read(p));
    }
    useRetainedIndex(true);
    expect(await read(['loa/v1/alerts/city/all/+'])).toEqual(['loa/v1/alerts/city/all/a2']);
  });
});
