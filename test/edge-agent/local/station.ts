// A real station for the local page's tests: the wired agent (real broker, clip server, SQLite, ffmpeg
// playing into `file:DIR`, simulated relay journal) with its local app served over real HTTP, and the
// staff's side of that page.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, beforeEach, vi } from 'vitest';
import { createPlayer, parseAudioOutput } from '../../../audio/index.ts';
import { createLocalApp } from '../../../edge-agent/local/app.ts';
import { hashPin } from '../../../edge-agent/local/auth.ts';
import { serveLocal } from '../../../edge-agent/local/serve.ts';
import type { AgentPlayer } from '../../../edge-agent/playout/player.ts';
import type { ClipRef, DesiredState } from '../../../schedules/model.ts';
import type { AsRunRecord } from '../../../schedules/protocol.ts';
import { paths } from '../../audio/fixtures.ts';
import { type RelayChange, relayJournal } from '../../support/records.ts';
import { waitFor } from '../../support/wait.ts';
import { type AgentWorld, useAgentWorld, type WiredAgent, wiredAgent } from '../rigs.ts';

export const PIN = '2468';
let pinHash: Promise<string> | null = null;
export const testPinHash = () => {
  pinHash ??= hashPin(PIN);
  return pinHash;
};

/** Local time `HH:MM[:SS.mmm]` on `date` in Hồ Chí Minh City (UTC+7). */
export const vn = (date: string, time: string) => new Date(`${date}T${time}+07:00`);

/** Moves fake time forward to `to` (never back). */
export async function advanceTo(to: Date): Promise<void> {
  const ms = to.getTime() - Date.now();
  if (ms > 0) await vi.advanceTimersByTimeAsync(ms);
}

export interface Station extends WiredAgent<AgentPlayer> {
  base: string;
  speaker: string;
  dataDir: string;
  /** The as-run records waiting in the outbox (the controller does not acknowledge them here). */
  records(): AsRunRecord[];
  record(entryId: string): AsRunRecord | undefined;
  /** The relay journal, `{at, on}` per change. */
  journal(): RelayChange[];
  /** The wav the file output wrote for an entry, or null. */
  wav(entryId: string): string | null;
}

/**
 * A wired agent in `dir` playing into `dir/speaker` through ffmpeg (the `file:` output), with the PIN
 * set unless `pin` is false, and its local page served over HTTP on a free port.
 */
export async function openStation(o: {
  dir: string;
  mqttUrl: string;
  controllerUrl: string;
  config?: Record<string, unknown>;
  pin?: boolean;
}): Promise<Station> {
  const dataDir = join(o.dir, 'data');
  const speaker = join(o.dir, 'speaker');
  const clock = { now: () => new Date() };
  const wired = wiredAgent<AgentPlayer>({
    dataDir,
    config: {
      controllerUrl: o.controllerUrl,
      mqttUrl: o.mqttUrl,
      audio: `file:${speaker}`,
      warmUpMs: 500,
      tailMs: 300,
      ...(o.pin === false ? {} : { localPinHash: await testPinHash() }),
      ...o.config,
    },
    player: createPlayer(paths, parseAudioOutput(`file:${speaker}`), clock),
  });
  const { agent, config, store, relay, log } = wired;
  await agent.start();
  const local = createLocalApp({
    agent,
    config,
    clock,
    log,
    ffmpeg: paths,
    timezone: () => 'Asia/Ho_Chi_Minh',
    speechDictionary: () => store.getDesired()?.speechDictionary,
  });
  await local.clips.clean();
  const servers = await serveLocal({ app: local.app, config, clock, log, ports: { http: 0, https: null } });
  const records = () => store.outboxBatch(500);
  let closed = false;
  return {
    ...wired,
    base: `http://127.0.0.1:${servers.httpPort}`,
    speaker,
    dataDir,
    records,
    record: (entryId) => records().find((r) => r.entryId === entryId),
    journal: () => relayJournal(join(dataDir, 'relay.jsonl')),
    wav: (entryId) => {
      const file = join(speaker, `${entryId.replace(/[^A-Za-z0-9._@-]/g, '_')}.wav`);
      return existsSync(file) ? file : null;
    },
    close: async () => {
      if (closed) return;
      closed = true;
      await servers.close();
      await agent.stop();
      await relay.close();
      store.close();
    },
  };
}

export interface LocalStation {
  world: AgentWorld;
  /** The station opened last. */
  st: Station;
  /** Staff signed in on it, when `staff` was given. */
  staff: StaffClient;
  /** Opens a station in the world (closed after the test), waits for its clips, signs the staff in. */
  open(config?: Record<string, unknown>, pin?: boolean): Promise<Station>;
}

/**
 * For a describe block of local page tests: the agent world (fake time from `startAt`, a broker, a clip
 * server of `clips`, the controller having published `desired` and watching `watch`), and before each
 * test (unless `open` is false) a station opened in it, every clip fetched, `staff` signed in if given.
 */
export function useLocalStation(o: {
  startAt: Date;
  clips: { ref: ClipRef; bytes: Buffer }[];
  desired: DesiredState;
  watch?: string[];
  staff?: string;
  open?: boolean;
}): LocalStation {
  const world = useAgentWorld({
    startAt: o.startAt,
    clips: new Map(o.clips.map((c) => [c.ref.id, c.bytes])),
    desired: o.desired,
    watch: o.watch,
  });
  const local = {
    world,
    async open(config: Record<string, unknown> = {}, pin = true) {
      const st = await openStation({
        dir: world.dir,
        mqttUrl: world.broker.url,
        controllerUrl: world.clips.url,
        config,
        pin,
      });
      local.st = st;
      world.closeAfter(st.close);
      await waitFor(() => o.clips.every((c) => st.store.getClip(c.ref.id)), 5000, 'clip download');
      if (o.staff) local.staff = await signIn(st.base, o.staff);
      return st;
    },
  } as LocalStation;
  beforeAll(() => testPinHash());
  if (o.open !== false) beforeEach(() => local.open().then(() => {}));
  return local;
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
