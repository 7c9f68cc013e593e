// End to end: relays and live speech through a real Icecast 2.4 that the controller starts on a free port,
// with the controller and three agents as separate processes. Two stations are in district d-1, one in d-2.
// A relay through the stream server is pulled once for both and survives a drop upstream; a dead relay falls
// back to its clip; live sessions pushed the way the browser pushes reach the district only, an emergency
// one cuts a running clip and speaks into an online class, and a priority one waits for the class to end.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { DEFAULT_TIMEZONE } from '../../schedules/model.ts';
import { utcToZoned } from '../../schedules/time.ts';
import { tone } from '../audio/fixtures.ts';
import { startUpstream, type Upstream } from '../audio/stream/upstream.ts';
import { chunksOf, makeWebm, openMic, pushChunks } from '../controller/live/world.ts';
import {
  type ControllerProcess,
  startAgentProcess,
  startControllerProcess,
  writeAgentConfig,
} from '../support/apps.ts';
import { freePort, type Proc } from '../support/process.ts';
import { tempDir } from '../support/temp.ts';
import { PROCESS_POLL_MS, waitFor } from '../support/wait.ts';

const tmp = tempDir('relay-live');
const { dir } = tmp;
const STATIONS = [
  { id: 'st-d1-a', district: 'd-1', ward: 'w-1a' },
  { id: 'st-d1-b', district: 'd-1', ward: 'w-1b' },
  { id: 'st-d2-a', district: 'd-2', ward: 'w-2a' },
];
const [A, B, C] = STATIONS.map((s) => s.id) as [string, string, string];
const procs: Proc[] = [];
let ctl: ControllerProcess;
let upstream: Upstream;
const call = (method: string, url: string, body?: unknown) => ctl.call(method, url, body);
const local = (d: Date) => utcToZoned(d, DEFAULT_TIMEZONE);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const speaker = (id: string) => {
  try {
    return readdirSync(path.join(dir, id, 'speaker')).sort();
  } catch {
    return [];
  }
};

/** The RMS of a 16-bit WAV's samples (full scale 32768). */
function rms(file: string): number {
  const pcm = readFileSync(file).subarray(44);
  let sum = 0;
  for (let i = 0; i + 1 < pcm.length; i += 2) sum += pcm.readInt16LE(i) ** 2;
  return Math.sqrt(sum / Math.max(1, pcm.length / 2));
}

interface Play {
  entryId: string;
  slotId: string | null;
  outcome: string;
  reason: string | null;
  detail: string | null;
  heardMs?: number | null;
}
const playsOf = async (id: string) => ((await call('GET', `/api/plays?station=${id}`)).body ?? []) as Play[];
const recordOf = (id: string, entryId: string, what: string, ms = 60_000) =>
  waitFor(
    async () => (await playsOf(id)).find((p) => p.entryId === entryId) ?? null,
    ms,
    `${what} at ${id}`,
    PROCESS_POLL_MS,
  );

beforeAll(async () => {
  upstream = await startUpstream({ format: 'ogg', frequency: 660 });
  const icecastPort = await freePort();
  ctl = await startControllerProcess({
    dataDir: path.join(dir, 'controller'),
    env: { ICECAST_PORT: String(icecastPort), ICECAST_HOST: '127.0.0.1' },
  });
  procs.push(ctl.proc);
  for (const s of STATIONS) {
    const st = await call('POST', '/api/stations', { ...s, name: `Đài ${s.id}` });
    expect(st.status).toBe(201);
    const config = writeAgentConfig(path.join(dir, `${s.id}.json`), {
      stationId: s.id,
      secret: st.body.secret,
      controllerUrl: ctl.api,
      mqttUrl: ctl.mqttUrl,
      dataDir: `./${s.id}`,
      audio: `file:./${s.id}/speaker`,
      warmUpMs: 500,
      tailMs: 300,
      agentPort: await freePort(),
      agentHttpsPort: 0,
    });
    procs.push(startAgentProcess(config));
  }
}, 90_000);

afterAll(async () => {
  await Promise.all(procs.map((p) => p.stop()));
  await upstream?.close();
  tmp.cleanup();
});

const everyDay = (at: Date) => ({
  weekdays: [1, 2, 3, 4, 5, 6, 7],
  startDate: local(at).date,
  endDate: local(at).date,
});

describe('relays', () => {
  it('through the stream server: pulled once for the district, back after a drop; a dead one falls back', async () => {
    onTestFailed(() => {
      for (const p of procs) console.error(p.output().slice(-5000));
    });
    const fallback = await ctl.upload(tone(path.join(dir, 'fallback.mp3'), 3), 'Chương trình dự phòng');
    expect(fallback.status).toBe(201);
    expect((await call('POST', `/api/clips/${fallback.body.id}/approve`)).status).toBe(200);

    const startAt = new Date(Math.ceil((Date.now() + 15_000) / 1000) * 1000);
    const end = (s: number) => local(new Date(startAt.getTime() + s * 1000)).time;
    const vov = await call('POST', '/api/slots', {
      ...everyDay(startAt),
      id: 'slot-vov',
      clipIds: [],
      startTime: local(startAt).time,
      relay: { url: upstream.url, endTime: end(16) },
      target: { scope: 'district', id: 'd-1' },
    });
    expect(vov.status, JSON.stringify(vov.body)).toBe(201);
    const dead = await call('POST', '/api/slots', {
      ...everyDay(startAt),
      id: 'slot-dead',
      clipIds: [fallback.body.id],
      startTime: local(startAt).time,
      relay: { url: 'http://127.0.0.1:9/tinh.mp3', endTime: end(20), via: 'direct' },
      target: { scope: 'station', id: C },
    });
    expect(dead.status).toBe(201);

    // the upstream goes away for 3 s in the middle, then comes back
    await sleep(startAt.getTime() + 5000 - Date.now());
    expect(upstream.streams).toBe(1); // two stations, one pull
    await upstream.goAway();
    await sleep(3000);
    await upstream.resume();

    const entry = `slot-vov@${local(startAt).date}`;
    for (const id of [A, B]) {
      const r = await recordOf(id, entry, 'the relay record', 40_000);
      expect(r).toMatchObject({ outcome: 'relay', reason: null });
      // 16 s of air, less the 3 s drop and the way back
      expect(r.heardMs).toBeGreaterThan(7000);
      expect(r.heardMs).toBeLessThanOrEqual(16_500);
      expect(r.detail).toMatch(/drop/);
      // what the speakers carried: the upstream's tone (RMS of lavfi's sine at 1/8: about 2,900)
      const heard = speaker(id).filter((f) => f.startsWith(entry));
      expect(heard.length).toBeGreaterThanOrEqual(1);
      expect(rms(path.join(dir, id, 'speaker', heard[0] as string))).toBeGreaterThan(1500);
    }
    // one pull for the whole district: its first connection and the one after the drop
    expect(upstream.streams).toBe(2);

    const failed = await recordOf(C, `slot-dead@${local(startAt).date}`, 'the dead relay', 40_000);
    expect(failed).toMatchObject({ outcome: 'relay-failed', reason: 'stream-not-started' });
    expect(failed.detail).toMatch(/fallback .* played in its place/);
    expect(speaker(C).some((f) => f.includes('fallback'))).toBe(true);
  }, 120_000);
});

/** Opens a live session and speaks `seconds` of tone the way the browser does; answers its bulletin id. */
async function speak(body: object, seconds: number) {
  const opened = await call('POST', '/api/live', body);
  expect(opened.status, JSON.stringify(opened.body)).toBe(201);
  const mic = await openMic(ctl.api, opened.body.pushPath, opened.body.token);
  const chunks = chunksOf(makeWebm(dir, seconds, `mic-${opened.body.id}.webm`));
  const pushed = pushChunks(mic.ws, chunks).then(() => mic.ws.close(1000, 'done'));
  return { id: opened.body.id as string, pushed };
}

describe('live speech', () => {
  it('is heard at the two stations of the district and not at the third', async () => {
    const before = (await playsOf(C)).length;
    const { id, pushed } = await speak(
      { level: 'priority', title: 'Thông báo khẩn của phường', targets: [{ scope: 'district', id: 'd-1' }] },
      6,
    );
    await pushed;
    for (const st of [A, B]) {
      const r = await recordOf(st, `alert:${id}`, 'the live record', 30_000);
      expect(r).toMatchObject({ outcome: 'live', reason: null });
      expect(r.heardMs).toBeGreaterThan(2000);
    }
    expect((await playsOf(C)).length).toBe(before);
  }, 60_000);

  it('in an emergency cuts a running clip and speaks into an online class; a priority one waits for it', async () => {
    const now = new Date();
    const qw = await call('POST', '/api/quiet-windows', {
      ...everyDay(now),
      startTime: local(new Date(now.getTime() - 60_000)).time,
      endTime: local(new Date(now.getTime() + 10 * 60_000)).time,
      reason: 'online-class',
      target: { scope: 'station', id: B },
    });
    expect(qw.status).toBe(201);
    const programme = await ctl.upload(tone(path.join(dir, 'long.mp3'), 40), 'Chương trình thời sự');
    expect((await call('POST', `/api/clips/${programme.body.id}/approve`)).status).toBe(200);
    const playAt = new Date(Math.ceil((Date.now() + 10_000) / 1000) * 1000);
    const slot = await call('POST', '/api/slots', {
      ...everyDay(playAt),
      id: 'slot-thoi-su',
      clipIds: [programme.body.id],
      startTime: local(playAt).time,
      target: { scope: 'station', id: A },
    });
    expect(slot.status).toBe(201);
    await sleep(playAt.getTime() + 3000 - Date.now()); // well into the clip

    // a priority session to the station in class waits for the class: it ends before the class does
    const held = await speak(
      { level: 'priority', title: 'Họp tổ dân phố', targets: [{ scope: 'station', id: B }] },
      3,
    );
    await held.pushed;
    type AtStation = { stationId: string; state: string; reason: string | null };
    const atB = await waitFor(
      async () => {
        const r = await call('GET', `/api/alerts/${held.id}`);
        const s = (r.body.stations as AtStation[]).find((x) => x.stationId === B);
        return s && s.state !== 'received' ? s : null;
      },
      20_000,
      'the held session at the station in class',
      PROCESS_POLL_MS,
    );
    expect(atB.state).toMatch(/held|skipped|expired/);
    expect(atB.reason).toMatch(/online-class|quiet-window|expired/);

    const emergency = await speak(
      {
        level: 'emergency',
        title: 'Cảnh báo cháy',
        targets: [{ scope: 'district', id: 'd-1' }],
        ignoreQuietWindows: true,
      },
      5,
    );
    await emergency.pushed;
    const cut = await recordOf(A, `slot-thoi-su@${local(playAt).date}`, 'the cut clip', 30_000);
    expect(cut).toMatchObject({ outcome: 'interrupted', reason: 'emergency' });
    for (const st of [A, B]) {
      const r = await recordOf(st, `alert:${emergency.id}`, 'the emergency live record', 30_000);
      expect(r).toMatchObject({ outcome: 'live' });
    }
    expect((await playsOf(B)).some((p) => p.entryId === `alert:${held.id}` && p.outcome === 'live')).toBe(
      false,
    );
  }, 90_000);
});
