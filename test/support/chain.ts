// The end-to-end chain as separate processes: a controller (on any broker), one agent, and the
// play/skip scenario of test/e2e/chain.test.ts, for reuse against other brokers.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, expect, onTestFailed } from 'vitest';
import { DEFAULT_TIMEZONE } from '../../schedules/model.ts';
import { utcToZoned } from '../../schedules/time.ts';
import { durationMs, tone } from '../audio/fixtures.ts';
import {
  type ControllerProcess,
  startAgentProcess,
  startControllerProcess,
  writeAgentConfig,
} from './apps.ts';
import { freePort, type Proc } from './process.ts';
import { relayJournal } from './records.ts';
import { tempDir } from './temp.ts';
import { PROCESS_POLL_MS, waitFor } from './wait.ts';

const local = (d: Date) => utcToZoned(d, DEFAULT_TIMEZONE);

export interface Chain {
  ctl: ControllerProcess;
  procs: Proc[];
  dataDir: string;
  stop(): Promise<void>;
}

/**
 * Starts the controller with `env` (e.g. MQTT_URL for an external broker; the embedded one otherwise),
 * registers station st-e2e, calls `afterStation` (an external broker learns its secret there), and
 * starts the agent on `mqttUrl` (the embedded broker's by default).
 */
export async function startChain(o: {
  dir: string;
  env?: NodeJS.ProcessEnv;
  mqttUrl?: string;
  afterStation?: (dataDir: string) => Promise<void>;
}): Promise<Chain> {
  const dataDir = path.join(o.dir, 'controller');
  const ctl = await startControllerProcess({ dataDir, env: o.env });
  const procs: Proc[] = [ctl.proc];
  const chain: Chain = {
    ctl,
    procs,
    dataDir,
    stop: async () => {
      await Promise.all(procs.map((p) => p.stop()));
    },
  };
  const st = await ctl.call('POST', '/api/stations', {
    id: 'st-e2e',
    name: 'Đài phường E2E',
    district: 'd-e2e',
    ward: 'w-e2e',
  });
  expect(st.status).toBe(201);
  await o.afterStation?.(dataDir);
  const config = writeAgentConfig(path.join(o.dir, 'agent.json'), {
    stationId: 'st-e2e',
    secret: st.body.secret,
    controllerUrl: ctl.api,
    mqttUrl: o.mqttUrl ?? ctl.mqttUrl,
    dataDir: './agent',
    audio: 'file:./speaker',
    warmUpMs: 500,
    tailMs: 300,
    agentPort: await freePort(),
    agentHttpsPort: await freePort(),
  });
  procs.push(startAgentProcess(config));
  return chain;
}

/**
 * For an end-to-end file: the chain `start` makes in the file's temp dir before all tests, stopped after
 * them, then `o.after`; when a test fails, the processes' logs (and `o.logs`) are printed.
 */
export function useChain(
  start: (dir: string) => Promise<Chain>,
  o: { logs?: () => string | undefined; after?: () => Promise<void> | undefined } = {},
) {
  const tmp = tempDir('e2e');
  const ref = { dir: tmp.dir, chain: null as Chain | null };
  beforeAll(async () => {
    ref.chain = await start(tmp.dir);
  }, 60_000);
  afterAll(async () => {
    await ref.chain?.stop();
    await o.after?.();
    tmp.cleanup();
  });
  beforeEach(() => {
    onTestFailed(() => {
      for (const p of ref.chain?.procs ?? []) console.error(p.output().slice(-6000));
      const more = o.logs?.();
      if (more) console.error(more.slice(-6000));
    });
  });
  return ref;
}

/** Uploads a clip; one slot plays a few seconds ahead, one inside an online-class window is skipped. */
export async function playAndSkip(chain: Chain, dir: string): Promise<void> {
  const { call } = chain.ctl;
  const clip = await chain.ctl.upload(tone(path.join(dir, 'tone.mp3'), 3), 'Thông báo');
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
    PROCESS_POLL_MS,
  );
  expect(plays).toHaveLength(2);
  const played = plays.find((p) => p.slotId === 'slot-play');
  const skipped = plays.find((p) => p.slotId === 'slot-class');
  expect(played).toMatchObject({ outcome: 'played', reason: null });
  expect(skipped).toMatchObject({ outcome: 'skipped', reason: 'online-class' });

  const journal = relayJournal(path.join(dir, 'agent', 'relay.jsonl'));
  const on = journal.find((j) => j.on);
  const off = journal.findLast((j) => !j.on);
  if (!played || !on || !off) throw new Error('missing play or relay changes');
  expect(Date.parse(on.at)).toBeLessThanOrEqual(Date.parse(played.audioStartAt));
  expect(Date.parse(off.at)).toBeGreaterThanOrEqual(Date.parse(played.audioEndAt));
  expect(Math.abs(Date.parse(played.audioStartAt) - playAt.getTime())).toBeLessThan(1000);

  const files = readdirSync(path.join(dir, 'speaker'));
  expect(files).toHaveLength(1);
  expect(
    Math.abs(durationMs(path.join(dir, 'speaker', files[0] as string)) - clip.body.durationMs),
  ).toBeLessThan(100);
}
