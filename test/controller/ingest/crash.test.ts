// Exactly-once as-run storage across a crash: the controller process (controller/main.ts, embedded broker)
// is killed with SIGKILL while stations send records; once it is back, every record is stored once. A
// record acknowledged before the kill was already stored; one that was not is sent again by its station.
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDb } from '../../../controller/db.ts';
import { registerStations } from '../../../scripts/sim/fleet.ts';
import { SimStation } from '../../../scripts/sim/station.ts';
import { type ControllerProcess, startControllerProcess } from '../../support/apps.ts';
import { freePort } from '../../support/process.ts';
import { tempDir } from '../../support/temp.ts';
import { waitFor } from '../../support/wait.ts';

const STATIONS = 20;
const PER_STATION = 1500;
const BATCH = 25;
const TOTAL = STATIONS * PER_STATION;

const tmp = tempDir('ingest-crash');
const stations: SimStation[] = [];
let ctl: ControllerProcess | null = null;
afterAll(async () => {
  await Promise.all(stations.map((s) => s.stop()));
  await ctl?.proc.stop();
  tmp.cleanup();
});

const recordId = (stationId: string, seq: number) => `sim:${stationId}:${seq}`;

describe('as-run ingest across a SIGKILL of the controller', () => {
  it('stores every record once: acknowledged ones before the kill, the rest when their stations resend', async () => {
    const dataDir = path.join(tmp.dir, 'data');
    const dbFile = path.join(dataDir, 'controller.db');
    const mqttPort = await freePort();
    const env = { MQTT_PORT: String(mqttPort) };
    ctl = await startControllerProcess({ dataDir, env });
    const db = openDb(dbFile);
    const creds = registerStations(db, STATIONS, { prefix: 'crash' });
    db.close();
    for (const cred of creds) {
      const s = new SimStation({
        url: `mqtt://127.0.0.1:${mqttPort}`,
        ...cred,
        backoff: { minMs: 100, maxMs: 500 },
        keepaliveSec: 30,
      });
      stations.push(s);
      s.start();
    }
    await waitFor(() => stations.every((s) => s.online), 20_000, 'stations online', 100);
    const acked = () => stations.reduce((n, s) => n + s.acked, 0);

    for (const s of stations) s.sendAsRun(PER_STATION, BATCH);
    await waitFor(() => acked() >= TOTAL / 4, 30_000, 'a quarter acknowledged', 5);
    ctl.proc.child.kill('SIGKILL');
    await ctl.proc.exited();
    // What the stations had been told was stored, when the process died.
    const ackedAtKill = stations.flatMap((s, i) => {
      const id = creds[i]?.id as string;
      return Array.from({ length: PER_STATION }, (_, seq) => recordId(id, seq)).filter(
        (r) => !s.pending.has(r),
      );
    });
    expect(ackedAtKill.length).toBeGreaterThan(0);
    expect(ackedAtKill.length).toBeLessThan(TOTAL);
    const afterKill = openDb(dbFile);
    const stored = new Set(
      (afterKill.prepare('SELECT id FROM plays').all() as { id: string }[]).map((r) => r.id),
    );
    afterKill.close();
    expect(ackedAtKill.filter((id) => !stored.has(id))).toEqual([]);

    // The controller comes back on the same port; the stations reconnect and send what is unacknowledged.
    ctl = await startControllerProcess({ dataDir, env });
    await waitFor(() => acked() === TOTAL, 60_000, 'every record acknowledged', 100);
    const done = openDb(dbFile);
    const counts = done
      .prepare('SELECT COUNT(*) AS n, COUNT(DISTINCT station_id || id) AS distinct_ids FROM plays')
      .get() as { n: number; distinct_ids: number };
    done.close();
    expect(counts).toEqual({ n: TOTAL, distinct_ids: TOTAL });
    expect(stations.every((s) => s.pending.size === 0 && s.malformed === 0)).toBe(true);
  }, 120_000);
});
