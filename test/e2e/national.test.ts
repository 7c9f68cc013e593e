// End to end: a national emergency from the national controller reaches the stations of two provinces. Two
// province controllers, the national controller and one real agent per province run as separate processes
// over real TCP; the national view shows each province's stations started.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { tone } from '../audio/fixtures.ts';
import {
  type ProvinceUnderTest,
  startNational,
  startProvince,
  writeProvincesFile,
} from '../controller/national/provinces.ts';
import { type ControllerProcess, startAgentProcess, writeAgentConfig } from '../support/apps.ts';
import { freePort, type Proc } from '../support/process.ts';
import { tempDir } from '../support/temp.ts';
import { PROCESS_POLL_MS, waitFor } from '../support/wait.ts';

const tmp = tempDir('national-e2e');
const { dir } = tmp;
const procs: Proc[] = [];
let provinces: ProvinceUnderTest[] = [];
let nat: ControllerProcess;

async function startAgent(p: ProvinceUnderTest, stationId: string) {
  const config = writeAgentConfig(path.join(dir, `${stationId}.json`), {
    stationId,
    secret: p.secrets[stationId],
    controllerUrl: p.ctl.api,
    mqttUrl: p.ctl.mqttUrl,
    dataDir: `./${stationId}`,
    audio: `file:./${stationId}/speaker`,
    warmUpMs: 300,
    tailMs: 200,
    agentPort: await freePort(),
    agentHttpsPort: 0,
  });
  procs.push(startAgentProcess(config));
}

beforeAll(async () => {
  provinces = await Promise.all([
    startProvince(dir, 'can-tho', 'Thành phố Cần Thơ', [
      { id: 'st-ct-1', district: 'ninh-kieu', ward: 'an-hoa' },
    ]),
    startProvince(dir, 'hau-giang', 'Tỉnh Hậu Giang', [{ id: 'st-hg-1', district: 'vi-thanh', ward: 'p-1' }]),
  ]);
  for (const p of provinces) procs.push(p.ctl.proc);
  await startAgent(provinces[0] as ProvinceUnderTest, 'st-ct-1');
  await startAgent(provinces[1] as ProvinceUnderTest, 'st-hg-1');
  nat = await startNational(dir, writeProvincesFile(dir, provinces));
  procs.push(nat.proc);
  // both stations online at their provinces before the emergency
  for (const p of provinces)
    await waitFor(
      async () => (await p.ctl.call('GET', '/api/stations')).body.every((s: { online: boolean }) => s.online),
      60_000,
      `${p.id}'s station online`,
      PROCESS_POLL_MS,
    );
}, 240_000);

afterAll(async () => {
  await Promise.all(procs.map((p) => p.stop()));
  tmp.cleanup();
});

describe('national emergency', () => {
  it('reaches the stations of both provinces, and the national view shows them started', async () => {
    onTestFailed(() => {
      for (const p of procs) console.error(p.output().slice(-4000));
    });
    const form = new FormData();
    form.set('file', new File([readFileSync(tone(path.join(dir, 'bao.mp3'), 3))], 'bao.mp3'));
    form.set('title', 'Cảnh báo bão khẩn cấp');
    const clip = await nat.call('POST', '/api/national/clips', form);
    expect(clip.status).toBe(201);
    const sent = await nat.call('POST', '/api/national/bulletins', {
      level: 'emergency',
      title: 'Bão số 9 đổ bộ',
      reason: 'Ban Chỉ đạo quốc gia về phòng, chống thiên tai',
      clipId: clip.body.id,
      ignoreQuietWindows: true,
      provinces: 'all',
    });
    expect(sent.status, JSON.stringify(sent.body)).toBe(201);
    const id = sent.body.id as string;
    const view = await waitFor(
      async () => {
        const v = (await nat.call('GET', `/api/national/items/${id}`)).body;
        const started = v.provinces.map(
          (p: { stations: { started: number } | null }) => p.stations?.started ?? 0,
        );
        return started.every((n: number) => n === 1) ? v : null;
      },
      60_000,
      'both provinces report their station started',
      PROCESS_POLL_MS,
    );
    expect(
      view.provinces.map((p: { provinceName: string; state: string }) => [p.provinceName, p.state]),
    ).toEqual([
      ['Thành phố Cần Thơ', 'accepted'],
      ['Tỉnh Hậu Giang', 'accepted'],
    ]);
    // at each province, the bulletin is its own, to its whole area, and its station started it
    for (const [i, p] of provinces.entries()) {
      const there = await p.ctl.call('GET', `/api/alerts/${view.provinces[i].remoteId}`);
      expect(there.body.stations.map((s: { startedAt: string | null }) => !!s.startedAt)).toEqual([true]);
    }
    // the measurement hook: the counts over time, per province
    const counts = (await nat.call('GET', `/api/national/items/${id}/counts`)).body as {
      provinceId: string;
      started: number;
    }[];
    for (const p of ['can-tho', 'hau-giang'])
      expect(counts.filter((c) => c.provinceId === p).at(-1)?.started).toBe(1);
  }, 120_000);
});
