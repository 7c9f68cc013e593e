// The end-to-end chain as separate processes: a controller (on any broker), one agent, and the
// play/skip scenario of test/e2e/chain.test.ts, for reuse against other brokers.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { resolveFfmpeg } from '../../audio/index.ts';
import { DEFAULT_TIMEZONE } from '../../schedules/model.ts';
import { utcToZoned } from '../../schedules/time.ts';
import { tone } from '../audio/fixtures.ts';
import { freePort, type Proc, startProcess, waitFor } from './process.ts';

export interface Chain {
  api: string;
  procs: Proc[];
  dataDir: string;
  // biome-ignore lint/suspicious/noExplicitAny: tests read JSON answers loosely
  call(method: string, url: string, body?: unknown): Promise<{ status: number; body: any }>;
  stop(): Promise<void>;
}

const ADMIN = 'e2e-password';
const local = (d: Date) => utcToZoned(d, DEFAULT_TIMEZONE);

/**
 * Starts the controller with `env` (e.g. MQTT_URL for an external broker, or MQTT_PORT for the embedded
 * one), registers station st-e2e, calls `afterStation` (an external broker learns its secret there),
 * and starts the agent on `mqttUrl`.
 */
export async function startChain(o: {
  dir: string;
  env: NodeJS.ProcessEnv;
  mqttUrl: string;
  afterStation?: (dataDir: string) => Promise<void>;
}): Promise<Chain> {
  const procs: Proc[] = [];
  const [port, agentPort, agentHttpsPort] = [await freePort(), await freePort(), await freePort()];
  const api = `http://127.0.0.1:${port}`;
  const dataDir = path.join(o.dir, 'controller');
  let token = '';
  const call = async (method: string, url: string, body?: unknown) => {
    const headers: Record<string, string> = { authorization: `Bearer ${token}` };
    if (body !== undefined && !(body instanceof FormData)) headers['content-type'] = 'application/json';
    const res = await fetch(`${api}${url}`, {
      method,
      headers,
      body: body === undefined ? undefined : body instanceof FormData ? body : JSON.stringify(body),
    });
    // biome-ignore lint/suspicious/noExplicitAny: tests read JSON answers loosely
    return { status: res.status, body: (await res.json().catch(() => null)) as any };
  };
  const chain: Chain = {
    api,
    procs,
    dataDir,
    call,
    stop: async () => {
      await Promise.all(procs.map((p) => p.stop()));
    },
  };
  procs.push(
    startProcess('controller/main.ts', [], {
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      ADMIN_PASSWORD: ADMIN,
      ...o.env,
    }),
  );
  await waitFor(() => fetch(`${api}/healthz`).then((r) => r.ok), 30_000, 'controller health');
  const login = await fetch(`${api}/api/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: ADMIN }),
  });
  token = ((await login.json()) as { token: string }).token;
  const st = await call('POST', '/api/stations', {
    id: 'st-e2e',
    name: 'Đài phường E2E',
    district: 'd-e2e',
    ward: 'w-e2e',
  });
  expect(st.status).toBe(201);
  await o.afterStation?.(dataDir);
  writeFileSync(
    path.join(o.dir, 'agent.json'),
    JSON.stringify({
      stationId: 'st-e2e',
      secret: st.body.secret,
      controllerUrl: api,
      mqttUrl: o.mqttUrl,
      dataDir: './agent',
      gpio: 'sim',
      clockTrust: 'always',
      audio: 'file:./speaker',
      warmUpMs: 500,
      tailMs: 300,
      agentPort,
      agentHttpsPort,
      agentHost: '127.0.0.1',
    }),
  );
  procs.push(startProcess('edge-agent/cli/main.ts', ['--config', path.join(o.dir, 'agent.json')], {}));
  return chain;
}

/** Uploads a clip; one slot plays a few seconds ahead, one inside an online-class window is skipped. */
export async function playAndSkip(chain: Chain, dir: string): Promise<void> {
  const { call } = chain;
  const form = new FormData();
  form.set('file', new File([readFileSync(tone(path.join(dir, 'tone.mp3'), 3))], 'tone.mp3'));
  form.set('title', 'Thông báo');
  const clip = await call('POST', '/api/clips?wait=true', form);
  expect(clip.status).toBe(201);
  expect((await call('POST', `/api/clips/${clip.body.id}/approve`)).status).toBe(200);

  // Far enough ahead for the agent to fetch the clip even on a loaded CI machine.
  const playAt = new Date(Math.ceil((Date.now() + 12_000) / 1000) * 1000);
  const skipAt = new Date(playAt.getTime() + 6_000);
  const rule = {
    weekdays: [1, 2, 3, 4, 5, 6, 7],
    startDate: local(playAt).date,
    endDate: local(skipAt).date,
    target: { scope: 'ward', id: 'w-e2e' },
  };
  const qw = await call('POST', '/api/quiet-windows', {
    ...rule,
    startDate: local(skipAt).date,
    startTime: local(new Date(skipAt.getTime() - 2_000)).time,
    endTime: local(new Date(skipAt.getTime() + 30_000)).time,
    reason: 'online-class',
  });
  expect(qw.status).toBe(201);
  for (const [id, at] of [
    ['slot-play', playAt],
    ['slot-class', skipAt],
  ] as const) {
    const r = await call('POST', '/api/slots', {
      ...rule,
      id,
      clipIds: [clip.body.id],
      startTime: local(at).time,
    });
    expect(r.status).toBe(201);
  }

  type Play = {
    slotId: string;
    outcome: string;
    reason: string | null;
    audioStartAt: string;
    audioEndAt: string;
  };
  const plays = await waitFor(
    async () => {
      const r = await call('GET', '/api/plays?station=st-e2e');
      return r.body?.length >= 2 ? (r.body as Play[]) : null;
    },
    50_000,
    'two as-run records at the controller',
  );
  expect(plays).toHaveLength(2);
  const played = plays.find((p) => p.slotId === 'slot-play');
  const skipped = plays.find((p) => p.slotId === 'slot-class');
  expect(played).toMatchObject({ outcome: 'played', reason: null });
  expect(skipped).toMatchObject({ outcome: 'skipped', reason: 'online-class' });

  const journal = readFileSync(path.join(dir, 'agent', 'relay.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { at: string; on: boolean });
  const on = journal.find((j) => j.on);
  const off = journal.findLast((j) => !j.on);
  if (!played || !on || !off) throw new Error('missing play or relay changes');
  expect(Date.parse(on.at)).toBeLessThanOrEqual(Date.parse(played.audioStartAt));
  expect(Date.parse(off.at)).toBeGreaterThanOrEqual(Date.parse(played.audioEndAt));
  expect(Math.abs(Date.parse(played.audioStartAt) - playAt.getTime())).toBeLessThan(1000);

  const files = readdirSync(path.join(dir, 'speaker'));
  expect(files).toHaveLength(1);
  const { ffprobe } = resolveFfmpeg(process.env);
  const seconds = Number(
    execFileSync(ffprobe, [
      '-v',
      'error',
      '-show_entries',
      'format=duration',
      '-of',
      'csv=p=0',
      path.join(dir, 'speaker', files[0] as string),
    ])
      .toString()
      .trim(),
  );
  expect(Math.abs(seconds * 1000 - clip.body.durationMs)).toBeLessThan(100);
}
