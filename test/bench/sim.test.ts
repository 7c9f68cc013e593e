// The fleet simulator's pieces that the benchmarks count on (not a benchmark): a simulated station answers a
// bulletin sent through POST /api/alerts. (The embedded broker's retained index is tested with the broker, in
// test/controller/mqtt/persistence.test.ts.)

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
