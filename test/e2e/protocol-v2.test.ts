// End to end: a v1 agent and a v2 agent side by side against one controller of province can-tho speaking
// both protocols (docs/protocol.md). The controller and the two agents run as separate processes over real
// TCP with the embedded broker: both apply their desired states, both play a bulletin for the city, both
// have their as-run stored and acknowledged, each on its own root.
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { tone } from '../audio/fixtures.ts';
import {
  type ControllerProcess,
  startAgentProcess,
  startControllerProcess,
  writeAgentConfig,
} from '../support/apps.ts';
import { freePort, type Proc } from '../support/process.ts';
import { tempDir } from '../support/temp.ts';
import { PROCESS_POLL_MS, waitFor } from '../support/wait.ts';

const tmp = tempDir('protocol-v2');
const { dir } = tmp;
const STATIONS = [
  { id: 'st-v1', district: 'd-1', ward: 'w-1', province: undefined },
  { id: 'st-v2', district: 'd-1', ward: 'w-2', province: 'can-tho' },
];
const procs: Proc[] = [];
const agentPorts = new Map<string, number>();
let ctl: ControllerProcess;
const call = (method: string, url: string, body?: unknown) => ctl.call(method, url, body);
const agentStatus = async (id: string) =>
  (await fetch(`http://127.0.0.1:${agentPorts.get(id)}/api/status`)).json() as Promise<{
    desiredVersion: number;
    online: boolean;
    outboxLength: number;
  }>;

beforeAll(async () => {
  ctl = await startControllerProcess({
    dataDir: path.join(dir, 'controller'),
    env: { PROVINCE_ID: 'can-tho' },
  });
  procs.push(ctl.proc);
  for (const s of STATIONS) {
    const st = await call('POST', '/api/stations', {
      id: s.id,
      district: s.district,
      ward: s.ward,
      name: `Đài ${s.id}`,
    });
    expect(st.status).toBe(201);
    const agentPort = await freePort();
    agentPorts.set(s.id, agentPort);
    const config = writeAgentConfig(path.join(dir, `${s.id}.json`), {
      stationId: s.id,
      secret: st.body.secret,
      controllerUrl: ctl.api,
      mqttUrl: ctl.mqttUrl,
      ...(s.province ? { province: s.province } : {}),
      dataDir: `./${s.id}`,
      audio: `file:./${s.id}/speaker`,
      warmUpMs: 300,
      tailMs: 200,
      agentPort,
      agentHttpsPort: 0,
    });
    procs.push(startAgentProcess(config));
  }
}, 90_000);

afterAll(async () => {
  await Promise.all(procs.map((p) => p.stop()));
  tmp.cleanup();
});

describe('a v1 agent and a v2 agent against one controller speaking both', () => {
  it('both apply their desired states, play a bulletin for the city and have their as-run stored and acknowledged, each on its own root', async () => {
    onTestFailed(() => {
      for (const p of procs) console.error(p.output().slice(-5000));
    });
    const db = new Database(path.join(dir, 'controller', 'controller.db'), { readonly: true });
    try {
      const versionOf = (id: string) =>
        db.prepare('SELECT desired_version FROM stations WHERE id = ?').pluck().get(id) as number;
      for (const s of STATIONS)
        await waitFor(
          async () => {
            const st = await agentStatus(s.id).catch(() => null);
            return st?.online && st.desiredVersion > 0 && st.desiredVersion === versionOf(s.id);
          },
          60_000,
          `${s.id} online with its desired state`,
          PROCESS_POLL_MS,
        );
      const roots = () =>
        Object.fromEntries(
          (db.prepare('SELECT id, mqtt_root FROM stations').all() as { id: string; mqtt_root: string }[]).map(
            (r) => [r.id, r.mqtt_root],
          ),
        );
      await waitFor(
        () => roots()['st-v2'] === 'loa/v2/can-tho',
        10_000,
        'the v2 root learnt',
        PROCESS_POLL_MS,
      );
      expect(roots()).toEqual({ 'st-v1': 'loa/v1', 'st-v2': 'loa/v2/can-tho' });

      const clip = await ctl.upload(tone(path.join(dir, 'alarm.mp3'), 2), 'Cảnh báo');
      expect(clip.status).toBe(201);
      const alert = await call('POST', '/api/alerts', {
        level: 'emergency',
        title: 'Cảnh báo lũ',
        reason: 'Nước sông Hậu dâng cao',
        clipId: clip.body.id,
        targets: [{ scope: 'city' }],
      });
      expect(alert.status).toBe(201);
      for (const s of STATIONS) {
        const plays = await waitFor(
          async () => {
            const r = await call('GET', `/api/plays?station=${s.id}`);
            const list = (r.body ?? []) as { entryId: string; outcome: string }[];
            return list.some((p) => p.entryId === `alert:${alert.body.id}`) ? list : null;
          },
          60_000,
          `the as-run of ${s.id}`,
          PROCESS_POLL_MS,
        );
        expect(plays.find((p) => p.entryId === `alert:${alert.body.id}`)).toMatchObject({
          outcome: 'played',
        });
        await waitFor(
          async () => (await agentStatus(s.id)).outboxLength === 0,
          30_000,
          `${s.id}'s as-run acknowledged`,
          PROCESS_POLL_MS,
        );
      }
      const states = (await call('GET', `/api/alerts/${alert.body.id}`)).body.stations as { state: string }[];
      expect(states.map((s) => s.state)).toEqual(['finished', 'finished']);
    } finally {
      db.close();
    }
  }, 180_000);
});
