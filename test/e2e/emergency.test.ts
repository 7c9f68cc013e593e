// End to end: an emergency bulletin to one district while its stations are mid-clip. The controller and
// three agents run as separate processes over real TCP; two stations are in the district, one outside.
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { DEFAULT_TIMEZONE } from '../../schedules/model.ts';
import { utcToZoned } from '../../schedules/time.ts';
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

const tmp = tempDir('emergency');
const { dir } = tmp;
const STATIONS = [
  { id: 'st-d1-a', district: 'd-1', ward: 'w-1a' },
  { id: 'st-d1-b', district: 'd-1', ward: 'w-1b' },
  { id: 'st-d2-a', district: 'd-2', ward: 'w-2a' },
];
const procs: Proc[] = [];
const agentPorts = new Map<string, number>();
let ctl: ControllerProcess;
const call = (method: string, url: string, body?: unknown) => ctl.call(method, url, body);

async function upload(file: string, title: string): Promise<{ id: string; durationMs: number }> {
  const r = await ctl.upload(file, title);
  expect(r.status).toBe(201);
  return r.body;
}

const agentStatus = async (id: string) =>
  (await fetch(`http://127.0.0.1:${agentPorts.get(id)}/api/status`)).json() as Promise<{
    playing: string | null;
  }>;

beforeAll(async () => {
  ctl = await startControllerProcess({ dataDir: path.join(dir, 'controller') });
  procs.push(ctl.proc);
  for (const s of STATIONS) {
    const st = await call('POST', '/api/stations', { ...s, name: `Đài ${s.id}` });
    expect(st.status).toBe(201);
    const agentPort = await freePort();
    agentPorts.set(s.id, agentPort);
    const config = writeAgentConfig(path.join(dir, `${s.id}.json`), {
      stationId: s.id,
      secret: st.body.secret,
      controllerUrl: ctl.api,
      mqttUrl: ctl.mqttUrl,
      dataDir: `./${s.id}`,
      audio: `file:./${s.id}/speaker`,
      warmUpMs: 500,
      tailMs: 300,
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

describe('emergency bulletin to a district', () => {
  it('cuts what plays at every station of the district, which report it started; nothing plays elsewhere', async () => {
    onTestFailed(() => {
      for (const p of procs) console.error(p.output().slice(-5000));
    });
    const programme = await upload(tone(path.join(dir, 'long.mp3'), 40), 'Chương trình phát thanh');
    expect((await call('POST', `/api/clips/${programme.id}/approve`)).status).toBe(200);
    // Uploaded for the emergency and sent as a draft: the emergency level takes an unreviewed recording.
    const bulletin = await upload(tone(path.join(dir, 'alarm.mp3'), 3), 'Cảnh báo khẩn cấp');

    const playAt = new Date(Math.ceil((Date.now() + 15_000) / 1000) * 1000);
    const local = utcToZoned(playAt, DEFAULT_TIMEZONE);
    const slot = await call('POST', '/api/slots', {
      id: 'slot-d1',
      clipIds: [programme.id],
      startTime: local.time,
      weekdays: [1, 2, 3, 4, 5, 6, 7],
      startDate: local.date,
      endDate: local.date,
      target: { scope: 'district', id: 'd-1' },
    });
    expect(slot.status).toBe(201);
    const inDistrict = STATIONS.filter((s) => s.district === 'd-1').map((s) => s.id);
    const entry = `slot-d1@${local.date}`;
    await waitFor(
      async () => (await Promise.all(inDistrict.map(agentStatus))).every((s) => s.playing === entry),
      60_000,
      'the district stations mid-clip',
      PROCESS_POLL_MS,
    );
    await new Promise((r) => setTimeout(r, 2000)); // well into the clip

    const sent = Date.now();
    const alert = await call('POST', '/api/alerts', {
      level: 'emergency',
      title: 'Cảnh báo lũ',
      reason: 'Nước sông Hậu dâng cao',
      clipId: bulletin.id,
      targets: [{ scope: 'district', id: 'd-1' }],
    });
    expect(alert.status).toBe(201);
    type StationState = { stationId: string; state: string; at: string | null };
    const started = await waitFor(
      async () => {
        const r = await call('GET', `/api/alerts/${alert.body.id}`);
        const rows = r.body?.stations as StationState[] | undefined;
        const done = rows?.length === 2 && rows.every((s) => ['started', 'finished'].includes(s.state));
        return done ? rows : null;
      },
      20_000,
      'every district station reporting started',
      PROCESS_POLL_MS,
    );
    expect(started.map((s) => s.stationId).sort()).toEqual(inDistrict);
    console.log(
      `emergency: all district stations reported started ${Date.now() - sent} ms after the API call`,
    );

    type Play = { entryId: string; outcome: string; reason: string | null; audioStartAt: string | null };
    for (const id of inDistrict) {
      const plays = await waitFor(
        async () => {
          const r = await call('GET', `/api/plays?station=${id}`);
          const list = (r.body ?? []) as Play[];
          return list.some((p) => p.entryId === `alert:${alert.body.id}`) ? list : null;
        },
        30_000,
        `the as-run records of ${id}`,
        PROCESS_POLL_MS,
      );
      expect(plays.find((p) => p.entryId === entry)).toMatchObject({
        outcome: 'interrupted',
        reason: 'emergency',
      });
      expect(plays.find((p) => p.entryId === `alert:${alert.body.id}`)).toMatchObject({ outcome: 'played' });
      // what the speakers carried: the programme, cut, then the bulletin
      expect(readdirSync(path.join(dir, id, 'speaker')).sort()).toHaveLength(2);
    }
    const outside = await call('GET', '/api/plays?station=st-d2-a');
    expect(outside.body).toEqual([]);
    const outsideSpeaker = path.join(dir, 'st-d2-a', 'speaker');
    expect(existsSync(outsideSpeaker) ? readdirSync(outsideSpeaker) : []).toEqual([]);
    expect((await agentStatus('st-d2-a')).playing).toBeNull();
  }, 150_000);
});
