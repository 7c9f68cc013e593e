// End to end: a notice typed as text becomes a clip (normalised, spoken by espeak-ng, the broadcast
// pipeline), is approved, is scheduled for a ward, and plays at a real agent process: the station's file
// output holds speech of the clip's length. The controller and the agent run as separate processes.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { DEFAULT_TIMEZONE } from '../../schedules/model.ts';
import { utcToZoned } from '../../schedules/time.ts';
import { durationMs, loudness } from '../audio/fixtures.ts';
import {
  type ControllerProcess,
  startAgentProcess,
  startControllerProcess,
  writeAgentConfig,
} from '../support/apps.ts';
import { freePort, type Proc } from '../support/process.ts';
import { tempDir } from '../support/temp.ts';
import { PROCESS_POLL_MS, waitFor } from '../support/wait.ts';

const tmp = tempDir('text-clip-e2e');
const { dir } = tmp;
const STATION = { id: 'st-an-hoa', district: 'ninh-kieu', ward: 'an-hoa', name: 'Đài phường An Hòa' };
const NOTICE =
  'UBND phường An Hòa thông báo: từ 7h30 ngày 23/9/2021 tiêm vắc-xin COVID-19 tại nhà văn hóa KP 3. ' +
  'Người dân mang theo CCCD. Liên hệ 0292 3821 234.';
const procs: Proc[] = [];
let ctl: ControllerProcess;

beforeAll(async () => {
  ctl = await startControllerProcess({ dataDir: path.join(dir, 'controller') });
  procs.push(ctl.proc);
  const st = await ctl.call('POST', '/api/stations', STATION);
  expect(st.status).toBe(201);
  const config = writeAgentConfig(path.join(dir, 'agent.json'), {
    stationId: STATION.id,
    secret: st.body.secret,
    controllerUrl: ctl.api,
    mqttUrl: ctl.mqttUrl,
    dataDir: './agent',
    audio: 'file:./agent/speaker',
    warmUpMs: 500,
    tailMs: 300,
    agentPort: await freePort(),
    agentHttpsPort: 0,
  });
  procs.push(startAgentProcess(config));
}, 90_000);

afterAll(async () => {
  await Promise.all(procs.map((p) => p.stop()));
  tmp.cleanup();
});

describe('a text clip at a station', () => {
  it('is spoken, approved, scheduled and heard at the agent for its whole length', async () => {
    onTestFailed(() => {
      for (const p of procs) console.error(p.output().slice(-5000));
    });
    const made = await ctl.call('POST', '/api/clips?wait=true', {
      title: 'Lịch tiêm chủng',
      text: NOTICE,
      voice: 'espeak-ng:vi',
    });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ status: 'draft', text: { engine: 'espeak-ng' } });
    const clip = made.body as { id: string; durationMs: number };
    expect((await ctl.call('POST', `/api/clips/${clip.id}/approve`)).status).toBe(200);

    // far enough ahead for the desired state and the clip to reach the station on a loaded machine
    const playAt = new Date(Math.ceil((Date.now() + 20_000) / 1000) * 1000);
    const local = utcToZoned(playAt, DEFAULT_TIMEZONE);
    const slot = await ctl.call('POST', '/api/slots', {
      clipIds: [clip.id],
      startTime: local.time,
      weekdays: [1, 2, 3, 4, 5, 6, 7],
      startDate: local.date,
      endDate: local.date,
      target: { scope: 'area', id: 'an-hoa' },
    });
    expect(slot.status).toBe(201);

    type Play = { outcome: string; clipIds: string[]; audioStartAt: string; audioEndAt: string };
    const play = await waitFor(
      async () =>
        ((await ctl.call('GET', `/api/plays?station=${STATION.id}`)).body as Play[] | null)?.find((p) =>
          p.clipIds.includes(clip.id),
        ),
      playAt.getTime() - Date.now() + clip.durationMs + 40_000,
      'the as-run record of the text clip',
      PROCESS_POLL_MS,
    );
    expect(play.outcome).toBe('played');

    // what the loudspeakers carried: the whole clip, at broadcast loudness (speech, not silence)
    const speaker = path.join(dir, 'agent', 'speaker');
    const [file] = readdirSync(speaker);
    const heard = durationMs(path.join(speaker, file as string));
    expect(Math.abs(heard - clip.durationMs)).toBeLessThan(300);
    expect(loudness(path.join(speaker, file as string)).i).toBeGreaterThan(-20);
  }, 180_000);
});
