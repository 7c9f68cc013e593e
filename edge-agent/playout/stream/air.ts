// Puts a relay (tiếp sóng) or a live session on air: relay on, warm-up, the stream until its end, tail, relay
// off. A relay that cannot be heard (no start, not audio, silence, a drop for good) falls back to its slot's
// clips once, or to silence with the amplifier off; the record says what was heard, in milliseconds.
import {
  prepareRelay,
  type RelayLimits,
  type RelayResult,
  type RelayWhy,
  type StreamCredentials,
} from '../../../audio/index.ts';
import type { Clock } from '../../../common/clock.ts';
import { errorMessage, type Logger } from '../../../common/log.ts';
import { sleep } from '../../../common/sleep.ts';
import type { ClipRef, TimetableEntry } from '../../../schedules/model.ts';
import type { ReasonCode } from '../../../schedules/reason-words.ts';
import type { ClipCache } from '../../clips/cache.ts';
import type { Relay } from '../../hardware/relay.ts';
import type { AgentStore } from '../../state/store.ts';
import type { AirTimes, RecordFn } from '../asrun.ts';
import type { AgentPlayer } from '../player.ts';
import { EntryAbort, type PlayoutEnd } from '../playout.ts';

/** A relay connects this long before its relay-on time, so its first samples wait at the instant. */
export const CONNECT_AHEAD_MS = 3000;
/** Less than this left of its hours (or half of them, if shorter): not put on air, recorded missed. */
const TOO_LATE_MS = 5000;
/** A live session whose stream ends has ended: no waiting a minute for it to come back. */
const LIVE_LIMITS: Partial<RelayLimits> = { droppedMs: 4000, notStartedMs: 8000 };

export interface StreamAirDeps {
  config: { tailMs: number; stationId: string; secret: string; controllerUrl: string };
  clock: Clock;
  relay: Relay;
  player: AgentPlayer;
  clips: Pick<ClipCache, 'verifiedPath'>;
  store: Pick<AgentStore, 'markStarted' | 'unmarkStarted'>;
  log: Logger;
  record: RecordFn;
  commit(r: ReturnType<RecordFn>): void;
  changed(): void;
  onAir?(): void;
  onSounding?(): void;
  /** Tests shorten the stream player's limits. */
  limits?: Partial<RelayLimits>;
}

export interface StreamAirInput {
  entry: TimetableEntry;
  warmUpMs: number;
  volume: number;
  clipRefs: ReadonlyMap<string, ClipRef>;
  signal: AbortSignal;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * The controller's stream server as this station reaches it: a controller that does not know its public
 * name (ICECAST_PUBLIC_URL unset) says 127.0.0.1, and the station then uses the host it reaches the
 * controller at, on the stream server's port.
 */
export function reachable(listenUrl: string, controllerUrl: string): string {
  const url = new URL(listenUrl);
  const controller = new URL(controllerUrl);
  if (LOOPBACK.has(url.hostname) && !LOOPBACK.has(controller.hostname)) url.hostname = controller.hostname;
  return url.toString();
}

/** Where the station listens, and whether with its own credentials (the controller's stream server). */
export function streamSource(e: TimetableEntry, station: StreamAirDeps['config']) {
  const own: StreamCredentials = { user: station.stationId, password: station.secret };
  const server = (url: string) => ({ url: reachable(url, station.controllerUrl), credentials: own });
  if (e.live) return server(e.live.url);
  if (!e.relay) return null;
  const viaServer = e.relay.via === 'stream-server' && e.relay.listenUrl;
  return viaServer ? server(e.relay.listenUrl as string) : { url: e.relay.url };
}

const reasonOf = (why: RelayWhy | undefined): ReasonCode =>
  why === 'refused-url' || why === 'not-audio' || why === 'silent' || why === 'dropped'
    ? `stream-${why}`
    : 'stream-not-started';
const seconds = (ms: number) => `${Math.round(ms / 1000)} s`;

export async function streamAir(deps: StreamAirDeps, input: StreamAirInput): Promise<PlayoutEnd> {
  const { clock, relay, log, record, commit, config } = deps;
  const { entry: e, warmUpMs, signal } = input;
  const source = streamSource(e, config);
  const wall = () => clock.now().getTime();
  const start = Date.parse(e.startsAt);
  const end = Date.parse(e.endsAt);
  if (!source) throw new Error(`entry ${e.id} has no stream`);
  if (end - wall() < Math.min(TOO_LATE_MS, (end - start) / 2)) {
    commit(record(e, 'missed', 'late', `its hours ended at ${e.endsAt}`));
    return 'done';
  }
  const onAirAt = Math.max(start - warmUpMs, wall());
  try {
    // a live session connects at its sound, not before: what was buffered would be heard late
    if (!e.live) await sleep(onAirAt - CONNECT_AHEAD_MS - wall(), signal);
  } catch {
    return 'given-back';
  }
  const limits = { ...(e.live ? LIVE_LIMITS : {}), ...deps.limits };
  const relayDeps = { player: deps.player, clock, log: (line: string) => log.info(line) };
  const t: AirTimes = {};
  /** Relay on with its warm-up; the record's relayOnAt is when it went on. */
  const goOnAir = async (warmUp: number) => {
    await relay.set(true);
    t.relayOnAt ??= clock.now().toISOString();
    deps.changed();
    deps.onAir?.();
    await sleep(warmUp, signal);
  };
  // a relay not connected at its time plays from its first sound, the amplifier coming on then
  let whenSounding = () => deps.onSounding?.();
  const open = () =>
    prepareRelay(relayDeps, {
      ...source,
      until: new Date(end),
      name: e.id,
      volume: input.volume,
      limits,
      onEvent: (ev) => {
        if (ev.kind === 'sounding' && ev.connect === 1) whenSounding();
      },
    });
  let prepared = e.live ? null : open();
  let ready = false;
  void prepared?.ready.then((ok) => {
    ready = ok;
  });
  try {
    await sleep(onAirAt - wall(), signal);
  } catch {
    prepared?.cancel();
    return 'given-back';
  }
  try {
    // durable before anything goes on air: if the process dies on air, the next start reports it
    deps.store.markStarted(e.id, record(e, 'interrupted', 'agent-restart', 'the agent stopped mid-entry', t));
  } catch (err) {
    prepared?.cancel();
    commit(record(e, 'failed', 'storage-error', `not put on air: ${errorMessage(err)}`));
    return 'done';
  }
  let result: RelayResult | null = null;
  let fallback = '';
  try {
    if (e.live || ready) await goOnAir(Math.max(start, onAirAt + warmUpMs) - wall());
    else {
      log.warn(
        `entry ${e.id}: its stream is not there at its time; the amplifier goes on with its first sound`,
      );
      whenSounding = () => {
        void goOnAir(0).then(
          () => deps.onSounding?.(),
          () => {},
        );
      };
    }
    prepared ??= open();
    result = await prepared.start({ signal }).ended;
    t.audioStartAt = result.firstSoundAt?.toISOString() ?? null;
    t.audioEndAt = result.firstSoundAt ? result.endedAt.toISOString() : null;
    t.heardMs = Math.round(result.heardMs);
    if (signal.aborted) throw signal.reason;
    if (result.outcome === 'relay-failed' && e.relay) {
      const clips = await fallbackFiles(deps, input);
      if (typeof clips === 'string') fallback = clips;
      else {
        if (!relay.on) await goOnAir(warmUpMs);
        fallback = await playFallback(deps, input, clips, end);
      }
    }
    if (relay.on) {
      await sleep(config.tailMs, signal);
      await relay.set(false);
      t.relayOffAt = clock.now().toISOString();
    }
    commit(recordOf(record, e, result, fallback, t));
    return 'done';
  } catch (err) {
    prepared?.cancel();
    try {
      relay.offSync();
    } catch (e2) {
      log.error(`relay: cannot switch off: ${errorMessage(e2)}`);
    }
    if (t.relayOnAt) t.relayOffAt = clock.now().toISOString();
    const heard = result ? `; ${seconds(result.heardMs)} heard` : '';
    const why = signal.aborted && signal.reason instanceof EntryAbort ? signal.reason : null;
    if (why) commit(record(e, why.outcome, why.reason, `${why.message}${heard}`, t));
    else commit(record(e, 'failed', 'relay-error', `${errorMessage(err)}${heard}`, t));
    return 'done';
  } finally {
    deps.changed();
  }
}

/** The fallback clips' files, or why there is nothing to play in the relay's place. */
async function fallbackFiles(deps: StreamAirDeps, input: StreamAirInput): Promise<string[] | string> {
  const { entry: e } = input;
  if (e.clipIds.length === 0) return 'nothing in its place (amplifier off)';
  const files: string[] = [];
  for (const id of e.clipIds) {
    const ref = input.clipRefs.get(id);
    const path = ref ? await deps.clips.verifiedPath(ref).catch(() => null) : null;
    if (!path) return `its fallback clip ${id} is not at the station (amplifier off)`;
    files.push(path);
  }
  return files;
}

/** The slot's clips, once, in what is left of its hours; the words for the record. */
async function playFallback(
  deps: StreamAirDeps,
  input: StreamAirInput,
  files: string[],
  end: number,
): Promise<string> {
  const { entry: e } = input;
  const left = end - deps.clock.now().getTime();
  if (left <= 0) return 'no time left for its fallback';
  const p = deps.player.prepare(files, { name: `${e.id}.fallback`, volume: input.volume });
  try {
    await p.ready;
    await p.start({ timeoutMs: left, signal: input.signal }).ended;
    return `its fallback ${e.clipIds.join(', ')} played in its place`;
  } catch (err) {
    if (input.signal.aborted) throw input.signal.reason;
    return `its fallback did not play (${errorMessage(err)})`;
  } finally {
    p.cancel();
  }
}

function recordOf(record: RecordFn, e: TimetableEntry, r: RelayResult, fallback: string, t: AirTimes) {
  const drops = r.drops ? `; ${r.drops} drop(s), back ${r.connects - 1} time(s)` : '';
  const heard = `${seconds(r.heardMs)} heard of ${seconds(r.playedMs)} played${drops}`;
  // a live session's stream ends when its speaker ends it
  const liveEnded = e.live && r.heardMs > 0 && r.why === 'dropped';
  if (r.outcome === 'relay' || liveEnded) return record(e, e.live ? 'live' : 'relay', null, heard, t);
  const detail = [r.detail, heard, fallback].filter(Boolean).join('; ');
  return record(e, e.live ? 'failed' : 'relay-failed', reasonOf(r.why), detail, t);
}
