// Shared fixtures for the edge agent tests: desired states, the config, a clip server, a broker, a fake player.
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { join } from 'node:path';
import { Aedes, type Client } from 'aedes';
import { type Logger, silentLogger } from '../../common/log.ts';
import { type AgentBus, createAgentBus } from '../../edge-agent/bus.ts';
import type { AgentConfig } from '../../edge-agent/config/config.ts';
import { parseConfig } from '../../edge-agent/config/config.ts';
import type { AgentPlayer, PlayResult, PreparedPlay } from '../../edge-agent/playout/player.ts';
import type { AgentStore } from '../../edge-agent/state/store.ts';
import type { ClipRef, DesiredState, QuietWindow, Slot } from '../../schedules/model.ts';
import type { AsRunRecord } from '../../schedules/protocol.ts';
import { STATION } from '../support/records.ts';

export const SECRET = 'st_test-secret-123';

export function slot(id: string, startTime: string, clipIds: string[], extra: Partial<Slot> = {}): Slot {
  return {
    id,
    campaignId: 'camp-1',
    clipIds,
    startTime,
    weekdays: [1, 2, 3, 4, 5, 6, 7],
    startDate: '2025-01-01',
    endDate: '2025-12-31',
    target: { scope: 'station', id: STATION },
    priority: 0,
    ...extra,
  };
}

export const onlineClass: QuietWindow = {
  id: 'qw-hoc',
  weekdays: [1, 2, 3, 4, 5],
  startTime: '08:00',
  endTime: '11:30',
  startDate: '2025-01-01',
  endDate: '2025-12-31',
  reason: 'online-class',
  note: 'học trực tuyến',
  target: { scope: 'ward', id: 'w-an-binh' },
};

export function desired(version: number, parts: Partial<Omit<DesiredState, 'version'>> = {}): DesiredState {
  return {
    version,
    issuedAt: '2025-03-01T00:00:00.000Z',
    station: {
      id: STATION,
      name: 'Loa An Bình',
      areaPath: ['tp-can-tho', 'd-ninh-kieu', 'w-an-binh'],
      timezone: 'Asia/Ho_Chi_Minh',
    },
    slots: [],
    quietWindows: [],
    clips: [],
    ...parts,
  };
}

/** Puts a clip in the agent's cache as a download leaves it (the file named by its sha256, and its row); answers the path. */
export function cacheClip(store: AgentStore, dataDir: string, ref: ClipRef, bytes: Buffer): string {
  mkdirSync(join(dataDir, 'clips'), { recursive: true });
  const path = join(dataDir, 'clips', `${ref.sha256}.opus`);
  writeFileSync(path, bytes);
  store.putClip({ ...ref, path, fetchedAt: new Date().toISOString() });
  return path;
}

export function testConfig(dataDir: string, extra: Record<string, unknown> = {}): AgentConfig {
  return parseConfig(
    {
      stationId: STATION,
      secret: SECRET,
      controllerUrl: 'http://127.0.0.1:9',
      mqttUrl: 'mqtt://127.0.0.1:9',
      dataDir,
      gpio: 'sim',
      // Tests control time themselves; whether the host's NTP is synchronised must not matter.
      ...('clockTrusted' in extra || 'clockTrust' in extra ? {} : { clockTrust: 'always' }),
      // no NTP query from tests unless one asks for it (a fake server on loopback)
      ntpServer: '',
      ...extra,
    },
    dataDir,
  );
}

export interface PlayCall {
  /** The first input; `files` has them all. */
  file: string;
  files: readonly string[];
  name: string;
  volume?: number;
  timeoutMs?: number;
  /** When the player was released (its first sample). */
  startedAt: Date;
  endedAt: Date | null;
}

/**
 * A player started ahead that "plays" for a fixed time on the (possibly fake) timers. `calls` are its
 * releases; `prepared` every player started ahead. `readyMs` is how long one takes to get ready (Infinity:
 * never); `failBeforeReady` makes the next players fail before they are ready (a file they cannot read), one
 * error each; `failWith` makes every play fail at its release (a clip that does not decode at the instant).
 */
export class FakePlayer implements AgentPlayer {
  calls: PlayCall[] = [];
  prepared: { name: string; files: readonly string[]; at: Date; cancelled: boolean }[] = [];
  failWith: Error | null = null;
  failBeforeReady: Error[] = [];
  readyMs = 0;
  /** How long a play of these files lasts; by default `durationMs` whatever they are. */
  durationOf?: (files: readonly string[]) => number;
  constructor(public durationMs = 30_000) {}

  prepare(files: readonly string[], opts: { name: string; volume?: number }): PreparedPlay {
    const me = { name: opts.name, files, at: new Date(), cancelled: false };
    this.prepared.push(me);
    let isReady = false;
    let fail: (err: Error) => void = () => {};
    let cancel = () => {};
    const ready = new Promise<void>((resolve, reject) => {
      fail = reject;
      const early = this.failBeforeReady.shift();
      if (early) return reject(early);
      const done = () => {
        isReady = !me.cancelled;
        if (isReady) resolve();
      };
      if (this.readyMs === 0) done();
      else if (Number.isFinite(this.readyMs)) setTimeout(done, this.readyMs);
    });
    ready.catch(() => {});
    return {
      ready,
      get isReady() {
        return isReady;
      },
      cancel: () => {
        if (me.cancelled) return;
        me.cancelled = true;
        fail(new Error('cancelled'));
        cancel();
      },
      start: (s) => {
        if (!isReady || me.cancelled) throw new Error('not ready');
        const call: PlayCall = {
          file: files[0] as string,
          files,
          name: opts.name,
          volume: opts.volume,
          timeoutMs: s.timeoutMs,
          startedAt: new Date(),
          endedAt: null,
        };
        this.calls.push(call);
        const failWith = this.failWith;
        const ended = new Promise<PlayResult>((resolve, reject) => {
          if (failWith) return reject(failWith);
          const t = setTimeout(() => {
            call.endedAt = new Date();
            resolve({ startedAt: call.startedAt, endedAt: call.endedAt, outputFile: null });
          }, this.durationOf?.(files) ?? this.durationMs);
          cancel = () => {
            clearTimeout(t);
            reject(new Error('cancelled'));
          };
          s.signal?.addEventListener('abort', () => {
            clearTimeout(t);
            reject(new Error('aborted'));
          });
        });
        return { startedAt: call.startedAt, ended };
      },
    };
  }
}

export type ClipHandler = (req: IncomingMessage, res: ServerResponse, clipId: string) => void;

/** Serves `/api/clips/{id}/audio` for a bearer secret; `handler` can override a response. */
export async function startClipServer(
  clips: Map<string, Buffer>,
  handler?: ClipHandler,
): Promise<{ url: string; hits: string[]; server: Server; close(): Promise<void> }> {
  const hits: string[] = [];
  const server = createServer((req, res) => {
    const m = /^\/api\/clips\/([^/]+)\/audio$/.exec(req.url ?? '');
    if (!m) return void res.writeHead(404).end();
    const id = decodeURIComponent(m[1] as string);
    hits.push(id);
    if (req.headers.authorization !== `Bearer ${SECRET}`) return void res.writeHead(401).end();
    if (handler) return handler(req, res, id);
    const body = clips.get(id);
    if (!body) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'audio/ogg', 'content-length': body.length }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    hits,
    server,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export async function startBroker(port = 0) {
  const broker = await Aedes.createBroker();
  const clients = new Map<string, Client>();
  broker.on('client', (c) => clients.set(c.id, c));
  const server = createNetServer(broker.handle);
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const addr = server.address();
  const bound = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    broker,
    url: `mqtt://127.0.0.1:${bound}`,
    port: bound,
    /** Cuts a client's connection without a DISCONNECT, as a network failure would. */
    drop: (clientId: string) => clients.get(clientId)?.conn.destroy(),
    close: async () => {
      await new Promise<void>((resolve) => broker.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** An agent bus whose as-run records go to `onRecord` (what a test of the runner watches). */
export function recordingBus(onRecord: (r: AsRunRecord) => void, log: Logger = silentLogger): AgentBus {
  const bus = createAgentBus(log);
  bus.on('recordCommitted', 'test', onRecord);
  return bus;
}
