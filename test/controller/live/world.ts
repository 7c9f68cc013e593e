// The live speech tests' world: a controller app on a real SQLite file served on a free port with the live
// sessions' socket, its stream server (a real icecast2 asking the controller who may listen), real ffmpeg, the MQTT messages it publishes,
// WebM/Opus made with ffmpeg and pushed in 100 ms chunks the way MediaRecorder sends them.
import { execFileSync } from 'node:child_process';
import { chmodSync, readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import path from 'node:path';
import { serve } from '@hono/node-server';
import WebSocket from 'ws';
import { resolveFfmpeg } from '../../../audio/index.ts';
import { silentLogger } from '../../../common/log.ts';
import { loadConfig } from '../../../controller/config.ts';
import { openDb } from '../../../controller/db.ts';
import { createApp } from '../../../controller/http/app.ts';
import { liveAudience } from '../../../controller/live/audience.ts';
import { createLiveSessions, type LiveSettings } from '../../../controller/live/sessions.ts';
import { attachLiveSockets } from '../../../controller/live/socket.ts';
import { createDesiredSync } from '../../../controller/mqtt/desired.ts';
import { startStreamService } from '../../../controller/stream/service.ts';
import { ensureAdmin } from '../../../controller/users/auth.ts';
import type { JsonAnswer } from '../../support/apps.ts';
import { ADMIN_PASSWORD } from '../../support/controller.ts';
import { freePort } from '../../support/process.ts';
import { tempDir } from '../../support/temp.ts';

export const STATIONS = [
  ['st-an-hoa', 'Đài phường An Hòa', 'ninh-kieu', 'an-hoa'],
  ['st-tan-an', 'Đài phường Tân An', 'ninh-kieu', 'tan-an'],
  ['st-le-binh', 'Đài phường Lê Bình', 'cai-rang', 'le-binh'],
] as const;

const AREA_NAMES = [
  ['ninh-kieu', 'Ninh Kiều'],
  ['cai-rang', 'Cái Răng'],
  ['an-hoa', 'An Hòa'],
  ['tan-an', 'Tân An'],
  ['le-binh', 'Lê Bình'],
] as const;

/**
 * A WebM/Opus file as MediaRecorder makes it (20 ms frames, a cluster per 100 ms): a tone of `seconds`, or
 * the lavfi `source` given.
 */
export function makeWebm(dir: string, seconds = 4, name = 'mic.webm', source?: string): string {
  const out = path.join(dir, name);
  execFileSync('ffmpeg', [
    ...['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi'],
    ...['-i', source ?? `sine=f=440:r=48000:d=${seconds}`, '-ac', '1'],
    ...['-c:a', 'libopus', '-b:a', '32k', '-frame_duration', '20', '-f', 'webm', '-live', '1'],
    ...['-cluster_time_limit', '100', out],
  ]);
  return out;
}

const CLUSTER_ID = Buffer.from([0x1f, 0x43, 0xb6, 0x75]);

/**
 * The file cut where MediaRecorder cuts it: the header with the first cluster, then one cluster (100 ms,
 * `-cluster_time_limit 100`) per chunk.
 */
export function chunksOf(file: string): Buffer[] {
  const data = readFileSync(file);
  const starts: number[] = [];
  for (let i = data.indexOf(CLUSTER_ID); i >= 0; i = data.indexOf(CLUSTER_ID, i + 4)) starts.push(i);
  const cuts = [0, ...starts.slice(1), data.length];
  return cuts.slice(0, -1).map((from, k) => data.subarray(from, cuts[k + 1]));
}

export interface Closed {
  code: number;
  reason: string;
}

/** A WebSocket to the session's audio path; `closed` settles with the close code and reason. */
export async function openMic(base: string, pushPath: string, token: string) {
  const ws = new WebSocket(`${base.replace(/^http/, 'ws')}${pushPath}?token=${encodeURIComponent(token)}`);
  const closed = new Promise<Closed>((r) =>
    ws.once('close', (code, why) => r({ code, reason: String(why) })),
  );
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return { ws, closed };
}

/**
 * Sends the chunks one per `everyMs`, as MediaRecorder with a 100 ms timeslice does: on an absolute
 * schedule (the recorder follows the audio clock), not a sleep after each send, which falls behind.
 */
export async function pushChunks(ws: WebSocket, chunks: Buffer[], everyMs = 100): Promise<void> {
  const start = performance.now();
  for (const [i, c] of chunks.entries()) {
    if (ws.readyState !== ws.OPEN) return;
    ws.send(c);
    await new Promise((r) => setTimeout(r, Math.max(0, start + (i + 1) * everyMs - performance.now())));
  }
}

/** Reads a mount as a station does: HTTP basic credentials of its id and secret; throws on a refusal. */
export async function listen(
  url: string,
  as: { user: string; pass: string },
  signal?: AbortSignal,
): Promise<Buffer> {
  const authorization = `Basic ${Buffer.from(`${as.user}:${as.pass}`).toString('base64')}`;
  const res = await fetch(url, { signal, headers: { authorization } });
  if (!res.ok || !res.body) throw new Error(`listen ${url}: HTTP ${res.status}`);
  const parts: Buffer[] = [];
  try {
    for await (const c of res.body) parts.push(Buffer.from(c));
  } catch {}
  return Buffer.concat(parts);
}

export async function startLiveWorld(settings: Partial<LiveSettings> = {}) {
  const tmp = tempDir('live');
  // as root, Icecast writes its logs as the icecast2 account, which must reach the folder
  chmodSync(tmp.dir, 0o755);
  const config = loadConfig({ DATA_DIR: tmp.dir, ADMIN_PASSWORD });
  const db = openDb(path.join(tmp.dir, 'controller.db'));
  const clock = { now: () => new Date() };
  await ensureAdmin(db, ADMIN_PASSWORD, clock.now());
  const published: { topic: string; payload: string }[] = [];
  const bus = { publish: (topic: string, payload: string) => void published.push({ topic, payload }) };
  const ffmpeg = resolveFfmpeg(process.env);
  // the stream server as the controller runs it: Icecast asks the controller's listener check, which
  // lets in a station with its own secret, and for a live mount only a station of the session
  const port = await freePort();
  const stream = await startStreamService({
    settings: { kind: 'embedded', host: '127.0.0.1', port: await freePort(), publicUrl: null },
    dataDir: tmp.dir,
    controllerUrl: `http://127.0.0.1:${port}`,
    ffmpeg: ffmpeg.ffmpeg,
    log: silentLogger,
  });
  if (!stream) throw new Error('the stream server did not start (is icecast2 installed?)');
  stream.gate.mayListen = liveAudience(db);
  const live = createLiveSessions({
    db,
    clock,
    log: silentLogger,
    ffmpeg: ffmpeg.ffmpeg,
    stream: stream.server,
    bus,
    settings,
  });
  const desired = createDesiredSync({ db, clock, log: silentLogger, publish: () => {} });
  const deps = { config, db, clock, ffmpeg, desired, log: silentLogger, bus, live, stream };
  const app = createApp(deps, { mqttConnected: () => true });
  const server = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }) as Server;
  await new Promise((r) => server.once('listening', r));
  const detach = attachLiveSockets(server, live, silentLogger);
  const base = `http://127.0.0.1:${port}`;

  const call = async (method: string, url: string, body?: unknown, auth?: string): Promise<JsonAnswer> => {
    const headers: Record<string, string> = { authorization: `Bearer ${auth ?? tokens.admin}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await app.request(url, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  };
  const login = async (username: string, password: string) =>
    (await call('POST', '/api/auth/token', { username, password })).body.token as string;
  const tokens: Record<string, string> = {};
  tokens.admin = await login('admin', ADMIN_PASSWORD);
  const secrets: Record<string, string> = {};
  for (const [id, name, district, ward] of STATIONS)
    secrets[id] = (await call('POST', '/api/stations', { id, name, district, ward })).body.secret;
  // the areas the stations' districts and wards made, with their real names (shown, never the ids)
  for (const [id, name] of AREA_NAMES) await call('PATCH', `/api/areas/${id}`, { name });
  const user = async (username: string, role: string, extra: object) => {
    await call('POST', '/api/users', { username, role, password: 'mat-khau-thu-nghiem', ...extra });
    tokens[username] = await login(username, 'mat-khau-thu-nghiem');
  };
  await user('kt-ninh-kieu', 'technician', { districts: ['ninh-kieu'] });
  await user('kt-cai-rang', 'technician', { districts: ['cai-rang'] });
  await user('cb-an-hoa', 'ward', { ward: 'an-hoa' });
  await user('xem', 'viewer', {});

  return {
    base,
    db,
    app,
    live,
    stream: stream.server,
    /** Each station's secret, as it logs in to the stream server. */
    secrets,
    published,
    tokens,
    call,
    dir: tmp.dir,
    /** Reads a mount as station `stationId` does, with its own secret. */
    listen: (url: string, stationId: string, signal?: AbortSignal) =>
      listen(url, { user: stationId, pass: secrets[stationId] as string }, signal),
    /** The bulletins published on a topic of this session, parsed. */
    alertsOf: (id: string) =>
      published.filter((p) => p.topic.endsWith(`/${id}`) && p.payload).map((p) => JSON.parse(p.payload)),
    async stop() {
      await live.close();
      detach();
      await new Promise((r) => server.close(r));
      await stream.close();
      db.close();
      tmp.cleanup();
    },
  };
}

export type LiveWorld = Awaited<ReturnType<typeof startLiveWorld>>;
