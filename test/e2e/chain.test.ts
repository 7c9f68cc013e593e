// End to end: controller and an edge agent as separate processes over a real TCP broker; a clip is
// uploaded, one slot plays a few seconds ahead and one inside an online-class quiet window is skipped.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { resolveFfmpeg } from '../../audio/ffmpeg.ts';
import { DEFAULT_TIMEZONE } from '../../schedules/model.ts';
import { utcToZoned } from '../../schedules/time.ts';
import { tone } from '../audio/fixtures.ts';
import { freePort, type Proc, startProcess, waitFor } from '../support/process.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'loa-e2e-'));
const procs: Proc[] = [];
let api = '';
let token = '';

async function call(method: string, url: string, body?: unknown) {
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  if (body !== undefined && !(body instanceof FormData)) headers['content-type'] = 'application/json';
  const res = await fetch(`${api}${url}`, {
    method,
    headers,
    body: body === undefined ? undefined : body instanceof FormData ? body : JSON.stringify(body),
  });
  // biome-ignore lint/suspicious/noExplicitAny: test reads JSON answers loosely
  return { status: res.status, body: (await res.json().catch(() => null)) as any };
}

const local = (d: Date) => utcToZoned(d, DEFAULT_TIMEZONE);

beforeAll(async () => {
  const [port, mqttPort, agentPort] = [await freePort(), await freePort(), await freePort()];
  api = `http://127.0.0.1:${port}`;
  procs.push(
    startProcess('controller/main.ts', [], {
      PORT: String(port),
      HOST: '127.0.0.1',
      MQTT_PORT: String(mqttPort),
      MQTT_HOST: '127.0.0.1',
      DATA_DIR: path.join(dir, 'controller'),
      ADMIN_PASSWORD: 'e2e-password',
    }),
  );
  await waitFor(() => fetch(`${api}/healthz`).then((r) => r.ok), 30_000, 'controller health');
  const login = await fetch(`${api}/api/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: 'e2e-password' }),
  });
  token = ((await login.json()) as { token: string }).token;

  const st = await call('POST', '/api/stations', {
    id: 'st-e2e',
    name: 'Đài phường E2E',
    district: 'd-e2e',
    ward: 'w-e2e',
  });
  expect(st.status).toBe(201);
  writeFileSync(
    path.join(dir, 'agent.json'),
    JSON.stringify({
      stationId: 'st-e2e',
      secret: st.body.secret,
      controllerUrl: api,
      mqttUrl: `mqtt://127.0.0.1:${mqttPort}`,
      dataDir: './agent',
      gpio: 'sim',
      audio: 'file:./speaker',
      warmUpMs: 500,
      tailMs: 300,
      agentPort,
      agentHost: '127.0.0.1',
    }),
  );
  procs.push(startProcess('edge-agent/main.ts', ['--config', path.join(dir, 'agent.json')], {}));
}, 60_000);

afterAll(async () => {
  await Promise.all(procs.map((p) => p.stop()));
  rmSync(dir, { recursive: true, force: true });
});

describe('clip to loudspeaker', () => {
  it('plays one slot with the relay around the sound and skips the one in online-class hours', async () => {
    // The processes' logs say why, when this fails.
    onTestFailed(() => {
      for (const p of procs) console.error(p.output().slice(-6000));
    });
    const form = new FormData();
    form.set('file', new File([readFileSync(tone(path.join(dir, 'tone.mp3'), 3))], 'tone.mp3'));
    form.set('title', 'Thông báo');
    const clip = await call('POST', '/api/clips?wait=true', form);
    expect(clip.status).toBe(201);
    // only reviewed clips are scheduled and sent to stations (admin may review its own upload)
    expect((await call('POST', `/api/clips/${clip.body.id}/approve`)).status).toBe(200);

    // Slots at whole seconds, far enough ahead for the agent to fetch the clip.
    const playAt = new Date(Math.ceil((Date.now() + 8_000) / 1000) * 1000);
    const skipAt = new Date(playAt.getTime() + 6_000);
    const today = local(playAt).date;
    const rule = {
      weekdays: [1, 2, 3, 4, 5, 6, 7],
      startDate: today,
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
      relayOnAt: string;
      relayOffAt: string;
    };
    const plays = await waitFor(
      async () => {
        const r = await call('GET', '/api/plays?station=st-e2e');
        return r.body?.length >= 2 ? (r.body as Play[]) : null;
      },
      40_000,
      'two as-run records at the controller',
    );
    expect(plays).toHaveLength(2);
    const played = plays.find((p) => p.slotId === 'slot-play');
    const skipped = plays.find((p) => p.slotId === 'slot-class');
    expect(played).toMatchObject({ outcome: 'played', reason: null });
    expect(skipped).toMatchObject({ outcome: 'skipped', reason: 'online-class' });

    // The relay journal (another process's simulated GPIO) brackets the sound.
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

    // What the speakers would have heard has the clip's duration.
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
  }, 90_000);
});
