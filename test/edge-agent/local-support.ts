// A real station for the local page's tests: the wired agent (real broker, clip server, SQLite, ffmpeg
// playing into `file:DIR`, simulated relay journal) with its local app served over real HTTP.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { vi } from 'vitest';
import { createPlayer, parseAudioOutput, resolveFfmpeg } from '../../audio/index.ts';
import { type Agent, createAgent } from '../../edge-agent/agent.ts';
import { SimRelay } from '../../edge-agent/hardware/relay.ts';
import { createLocalApp } from '../../edge-agent/local/app.ts';
import { hashPin } from '../../edge-agent/local/auth.ts';
import { serveLocal } from '../../edge-agent/local/serve.ts';
import { type AgentStore, openStore } from '../../edge-agent/state/store.ts';
import type { ClipRef } from '../../schedules/model.ts';
import type { AsRunRecord } from '../../schedules/protocol.ts';
import { clipRef, memoryLogger, testConfig, waitFor } from './helpers.ts';

export const PIN = '2468';
export const ffmpeg = resolveFfmpeg(process.env);
let pinHash: Promise<string> | null = null;
export const testPinHash = () => {
  pinHash ??= hashPin(PIN);
  return pinHash;
};

/** Runs ffmpeg to make a fixture (lavfi sources); `args` are everything between the flags and the output. */
export function makeAudio(out: string, args: string[]): string {
  execFileSync(ffmpeg.ffmpeg, ['-hide_banner', '-nostdin', '-v', 'error', '-y', ...args, out], {
    stdio: 'pipe',
  });
  return out;
}

/** `seconds` of a 440 Hz tone as broadcast-format Opus, and its ClipRef. */
export function opusTone(dir: string, id: string, seconds: number): { ref: ClipRef; bytes: Buffer } {
  const file = makeAudio(join(dir, `${id}.opus`), [
    ...['-f', 'lavfi', '-i', `sine=frequency=440:duration=${seconds}`],
    ...['-ac', '1', '-ar', '48000', '-c:a', 'libopus', '-b:a', '40k'],
  ]);
  const bytes = readFileSync(file);
  return { ref: clipRef(id, bytes, seconds * 1000), bytes };
}

/** Local time `HH:MM[:SS.mmm]` on `date` in Hồ Chí Minh City (UTC+7). */
export const vn = (date: string, time: string) => new Date(`${date}T${time}+07:00`);

/** Moves fake time forward to `to` (never back). */
export async function advanceTo(to: Date): Promise<void> {
  const ms = to.getTime() - Date.now();
  if (ms > 0) await vi.advanceTimersByTimeAsync(ms);
}

export interface Station {
  agent: Agent;
  log: ReturnType<typeof memoryLogger>;
  store: AgentStore;
  relay: SimRelay;
  base: string;
  speaker: string;
  dataDir: string;
  /** The as-run records waiting in the outbox (the controller does not acknowledge them here). */
  records(): AsRunRecord[];
  record(entryId: string): AsRunRecord | undefined;
  /** The relay journal, `{at, on}` per change. */
  journal(): { at: string; on: boolean }[];
  /** The wav the file output wrote for an entry, or null. */
  wav(entryId: string): string | null;
  close(): Promise<void>;
}

export async function openStation(o: {
  dir: string;
  mqttUrl: string;
  controllerUrl: string;
  config?: Record<string, unknown>;
  pin?: boolean;
}): Promise<Station> {
  const dataDir = join(o.dir, 'data');
  const speaker = join(o.dir, 'speaker');
  const config = testConfig(dataDir, {
    controllerUrl: o.controllerUrl,
    mqttUrl: o.mqttUrl,
    audio: `file:${speaker}`,
    warmUpMs: 500,
    tailMs: 300,
    ...(o.pin === false ? {} : { localPinHash: await testPinHash() }),
    ...o.config,
  });
  const clock = { now: () => new Date() };
  const log = memoryLogger();
  const store = openStore(dataDir);
  const relay = new SimRelay(clock, join(dataDir, 'relay.jsonl'));
  const agent = createAgent({
    config,
    clock,
    relay,
    player: createPlayer(ffmpeg, parseAudioOutput(config.audio), clock),
    store,
    log,
    link: { keepaliveSec: 3600, retryMs: 15_000, backoff: { minMs: 100, maxMs: 1000 } },
    clipRetry: { attempts: 3, baseMs: 10, maxMs: 50 },
  });
  await agent.start();
  const local = createLocalApp({ agent, config, clock, log, ffmpeg, timezone: () => 'Asia/Ho_Chi_Minh' });
  await local.clips.clean();
  const servers = await serveLocal({ app: local.app, config, clock, log, ports: { http: 0, https: null } });
  const records = () => store.outboxBatch(500);
  return {
    agent,
    log,
    store,
    relay,
    base: `http://127.0.0.1:${servers.httpPort}`,
    speaker,
    dataDir,
    records,
    record: (entryId) => records().find((r) => r.entryId === entryId),
    journal: () =>
      readFileSync(join(dataDir, 'relay.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { at: string; on: boolean }),
    wav: (entryId) => {
      const file = join(speaker, `${entryId.replace(/[^A-Za-z0-9._@-]/g, '_')}.wav`);
      return existsSync(file) ? file : null;
    },
    close: async () => {
      await servers.close();
      await agent.stop();
      await relay.close();
      store.close();
    },
  };
}

/**
 * Drives one entry due at `at` to its as-run record: fake time to just after its relay went on (the clip is
 * verified then; a skipped entry has no relay), then to its sound's start, then real time while ffmpeg plays.
 */
export async function playEntry(st: Station, entryId: string, at: Date): Promise<AsRunRecord> {
  await advanceTo(new Date(at.getTime() - 400));
  const skipped = () =>
    st.agent
      .timetable(new Date(at.getTime() - 60_000), new Date(at.getTime() + 60_000))
      .find((e) => e.id === entryId)?.status === 'skipped';
  await waitFor(() => st.relay.on || skipped() || st.record(entryId), 5000, `${entryId} on air or skipped`);
  await advanceTo(new Date(at.getTime() + 50));
  return recordOf(st, entryId);
}

/** Waits (real time) for an entry's as-run record: for I/O to settle, never to pass schedule time. */
export const recordOf = (st: Station, entryId: string, timeoutMs = 15_000): Promise<AsRunRecord> =>
  waitFor(() => st.record(entryId), timeoutMs, `as-run record of ${entryId}`) as Promise<AsRunRecord>;

// biome-ignore lint/suspicious/noExplicitAny: tests read JSON answers loosely
export type Answer = { status: number; headers: Headers; body: any };

export interface StaffClient {
  csrf: string;
  cookie: string;
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Answer>;
}

export async function answer(res: Response): Promise<Answer> {
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {}
  return { status: res.status, headers: res.headers, body };
}

export const postJson = (base: string, path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  }).then(answer);

/** Signs in on the station's page with the PIN; the client sends the cookie and CSRF token. */
export async function signIn(base: string, name = 'Chị Lan', pin = PIN): Promise<StaffClient> {
  const res = await fetch(`${base}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ pin, name }),
  });
  if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] as string;
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  return {
    csrf: csrfToken,
    cookie,
    call: (method, path, body, headers = {}) =>
      fetch(`${base}${path}`, {
        method,
        headers: {
          cookie,
          'x-csrf-token': csrfToken,
          ...(body !== undefined && !(body instanceof FormData)
            ? { 'content-type': 'application/json' }
            : {}),
          ...headers,
        },
        body: body === undefined ? undefined : body instanceof FormData ? body : JSON.stringify(body),
      }).then(answer),
  };
}

/** Peak sample (0..1) of a 16-bit PCM wav, over its data chunk. */
export function wavPeak(file: string): number {
  const buf = readFileSync(file);
  let at = 12;
  while (at + 8 <= buf.length) {
    const id = buf.toString('ascii', at, at + 4);
    const size = buf.readUInt32LE(at + 4);
    if (id === 'data') {
      let peak = 0;
      const end = Math.min(buf.length, at + 8 + size);
      for (let i = at + 8; i + 1 < end; i += 2) peak = Math.max(peak, Math.abs(buf.readInt16LE(i)));
      return peak / 32768;
    }
    at += 8 + size + (size % 2);
  }
  throw new Error(`${file}: no data chunk`);
}

/** Length of a wav in ms, by ffprobe. */
export function wavMs(file: string): number {
  const out = execFileSync(ffmpeg.ffprobe, [
    ...['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', file],
  ]).toString();
  return Math.round(Number(out.trim()) * 1000);
}
