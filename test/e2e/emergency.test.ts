// End to end: an emergency bulletin to one district while its stations are mid-clip. The controller and
// three agents run as separate processes over real TCP; two stations are in the district, one outside.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { DEFAULT_TIMEZONE } from '../../schedules/model.ts';
import { utcToZoned } from '../../schedules/time.ts';
import { tone } from '../audio/fixtures.ts';
import { freePort, type Proc, startProcess, waitFor } from '../support/process.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'loa-emergency-'));
const ADMIN = 'e2e-password';
const STATIONS = [
  { id: 'st-d1-a', district: 'd-1', ward: 'w-1a' },
  { id: 'st-d1-b', district: 'd-1', ward: 'w-1b' },
  { id: 'st-d2-a', district: 'd-2', ward: 'w-2a' },
];
const procs: Proc[] = [];
const agentPorts = new Map<string, number>();
let api = '';
let token = '';

// biome-ignore lint/suspicious/noExplicitAny: tests read JSON answers loosely
async function call(method: string, url: string, body?: unknown): Promise<{ status: number; body: any }> {
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  if (body !== undefined && !(body instanceof FormData)) headers['content-type'] = 'application/json';
  const payload = body === undefined || body instanceof FormData ? body : JSON.stringify(body);
  const res = await fetch(`${api}${url}`, { method, headers, body: payload as RequestInit['body'] });
  return { status: res.status, body: await res.json().catch(() => null) };
}

async function upload(file: string, title: string): Promise<{ id: string; durationMs: number }> {
  const form = new FormData();
  form.set('file', new File([readFileSync(file)], path.basename(file)));
  form.set('title', title);
  const r = await call('POST', '/api/clips?wait=true', form);
  expect(r.status).toBe(201);
  return r.body;
}

const agentStatus = async (id: string) =>
  (await fetch(`http://127.0.0.1:${agentPorts.get(id)}/api/status`)).json() as Promise<{
    playing: string | null;
  }>;

beforeAll(async () => {
  const [port, mqttPort] = [await freePort(), await freePort()];
  api = `http://127.0.0.1:${port}`;
  procs.push(
    startProcess('controller/main.ts', [], {
      PORT: String(port),
      HOST: '127.0.0.1',
      MQTT_PORT: String(mqttPort),
      MQTT_HOST: '127.0.0.1',
      DATA_DIR: path.join(dir, 'controller'),
      ADMIN_PASSWORD: ADMIN,
    }),
  );
  await waitFor(() => fetch(`${api}/healthz`).then((r) => r.ok), 30_000, 'controller health');
  const login = await fetch(`${api}/api/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: ADMIN }),
  });
  token = ((await login.json()) as { token: string }).token;
  for (const s of STATIONS) {
    const st = await call('POST', '/api/stations', { ...s, name: `Đài ${s.id}` });
    expect(st.status).toBe(201);
    const agentPort = await freePort();
    agentPorts.set(s.id, agentPort);
    const config = path.join(dir, `${s.id}.json`);
    writeFileSync(
      config,
      JSON.stringify({
        stationId: s.id,
        secret: st.body.secret,
        controllerUrl: api,
        mqttUrl: `mqtt://127.0.0.1:${mqttPort}`,
        dataDir: `./${s.id}`,
        gpio: 'sim',
        clockTrust: 'always',
        audio: `file:./${s.id}/speaker`,
        warmUpMs: 500,
        tailMs: 300,
        agentPort,
        agentHttpsPort: 0,
        agentHost: '127.0.0.1',
      }),
    );
    procs.push(startProcess('edge-agent/cli/main.ts', ['--config', config], {}));
  }
}, 90_000);

afterAll(async () => {
  await Promise.all(procs.map((p) => p.stop()));
  rmSync(dir, { recursive: true, force: true });
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
