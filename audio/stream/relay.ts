// A relay (tiếp sóng) at the station: a stream played on the station's output from its start until an end
// instant, through the same player as clips (started ahead and released at the instant like a clip). Each
// connection is fetched by this process and decoded by its own ffmpeg (a stream joined again has headers of
// its own: Ogg pages, an MP3 frame boundary); a drop is followed by connections again with back-off until
// the end. What was heard is counted: the time each connection played, less silencedetect's silences.
import { AudioError } from '../ffmpeg.ts';
import type { Player } from '../player.ts';
import { type Attempt, halted, openAttempt, pause } from './attempt.ts';
import { type StreamCredentials, streamUrlProblem } from './connect.ts';
import { DEFAULT_SILENCE, type SilenceLimits } from './silence.ts';

export type RelayWhy = 'refused-url' | 'not-started' | 'not-audio' | 'silent' | 'dropped' | 'aborted';

export interface RelayResult {
  outcome: 'relay' | 'relay-failed';
  /** Why it failed, or why it ended before its end instant (`aborted`: cut by the caller). */
  why?: RelayWhy;
  /** The last problem seen, in English for logs (e.g. `HTTP 404 Not Found`, `ECONNREFUSED`). */
  detail?: string;
  /** Sound actually heard: played, less silences of at least `silence.countMs`. */
  heardMs: number;
  playedMs: number;
  silentMs: number;
  /** Connections that played (the first one included). */
  connects: number;
  drops: number;
  firstSoundAt: Date | null;
  endedAt: Date;
}

export type RelayEvent =
  | { kind: 'sounding'; at: Date; connect: number }
  | { kind: 'dropped'; at: Date; detail: string }
  | { kind: 'retrying'; at: Date; inMs: number; detail: string }
  | { kind: 'silent'; at: Date }
  | { kind: 'sound'; at: Date };

export interface RelayLimits {
  /** No sound this long after the release: relay-failed `not-started` (the caller falls back to clips). */
  notStartedMs: number;
  /** A server must complete its response headers within this. */
  headersMs: number;
  /** No byte from the upstream for this long is a drop. */
  stallMs: number;
  /** A connection's first samples must be decoded within this. */
  readyMs: number;
  /** A drop not recovered within this: relay-failed `dropped`. */
  droppedMs: number;
  /** Back-off between connection attempts: doubling from the first, to the cap, with jitter (half to whole). */
  backoffFirstMs: number;
  backoffCapMs: number;
  silence: SilenceLimits;
}

export const DEFAULT_RELAY_LIMITS: RelayLimits = {
  notStartedMs: 10_000,
  headersMs: 5000,
  stallMs: 5000,
  readyMs: 5000,
  droppedMs: 60_000,
  backoffFirstMs: 500,
  // not 5 s: a stream back upstream is then heard again within 3 s plus a connection (the goal is 5 s)
  backoffCapMs: 3000,
  silence: DEFAULT_SILENCE,
};

/** A play ending this close to the end instant ended there. */
const END_SLACK_MS = 100;

export interface RelayDeps {
  player: Pick<Player, 'prepare'>;
  clock?: { now(): Date };
  log?: (line: string) => void;
  /** [0, 1), for the back-off's jitter. */
  random?: () => number;
}

export interface RelayOptions {
  /** http(s) only; anything else ends at once as relay-failed `refused-url`. */
  url: string;
  /** The end instant: the relay is cut there, and that end is its success. */
  until: Date;
  /** The output's name for it (the file output writes `<name>.wav`, then `<name>.2.wav`... per connection). */
  name: string;
  credentials?: StreamCredentials;
  volume?: number;
  limits?: Partial<RelayLimits>;
  onEvent?: (e: RelayEvent) => void;
}

export interface PreparedRelay {
  /** Settles once the first connection's samples wait (true) or it failed (false: start() keeps trying). */
  readonly ready: Promise<boolean>;
  /** Releases the relay now; `ended` never rejects. Called once. */
  start(opts?: { signal?: AbortSignal }): { ended: Promise<RelayResult> };
  /** Drops a relay that will not be started (or cuts one that was). */
  cancel(): void;
}

/** Connects now (the first connection waits ready) and plays from the release until `until`. */
export function prepareRelay(deps: RelayDeps, o: RelayOptions): PreparedRelay {
  const clock = deps.clock ?? { now: () => new Date() };
  const log = deps.log ?? (() => {});
  const random = deps.random ?? Math.random;
  const limits = { ...DEFAULT_RELAY_LIMITS, ...o.limits };
  const emit = (e: RelayEvent) => o.onEvent?.(e);
  let started = false;
  const halt = new AbortController();
  // the play is cut by anything that halts the relay but its end instant, where the player ends it itself
  const cut = new AbortController();
  let haltWhy: RelayWhy | 'ended' | null = null;
  let haltDetail: string | undefined;
  const stop = (why: RelayWhy | 'ended', detail?: string) => {
    if (haltWhy) return;
    haltWhy = why;
    haltDetail = detail;
    halt.abort();
    if (why !== 'ended') cut.abort();
    // a relay prepared but never started (its end came first, or it was cancelled) lets its connection go
    if (!started) dropFirst();
  };
  const timers = new Set<NodeJS.Timeout>();
  const after = (ms: number, fn: () => void) => {
    const t = setTimeout(
      () => {
        timers.delete(t);
        fn();
      },
      Math.max(0, ms),
    );
    timers.add(t);
    return t;
  };
  const clear = (t: NodeJS.Timeout | undefined) => {
    if (t) timers.delete(t);
    clearTimeout(t);
  };
  const urlProblem = streamUrlProblem(o.url);
  if (!urlProblem) after(o.until.getTime() - clock.now().getTime(), () => stop('ended'));
  let connects = 0;

  const attempt = () =>
    openAttempt(deps.player, {
      url: o.url,
      name: connects === 0 ? o.name : `${o.name}.${connects + 1}`,
      credentials: o.credentials,
      volume: o.volume,
      limits,
      signal: halt.signal,
    });

  const first: Promise<Attempt> = urlProblem ? Promise.resolve(halted()) : attempt();
  if (urlProblem) stop('refused-url', urlProblem);
  function dropFirst() {
    void first.then((a) => {
      if (!a.ok) return;
      a.prep.cancel();
      a.close();
    });
  }

  async function run(signal?: AbortSignal): Promise<RelayResult> {
    const onAbort = () => stop('aborted', 'cut by the caller');
    if (signal?.aborted) onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    let playedMs = 0;
    let silentMs = 0;
    let drops = 0;
    let firstSoundAt: Date | null = null;
    let lastDetail = '';
    const notStarted = after(limits.notStartedMs, () => {
      if (!firstSoundAt) stop('not-started', lastDetail || `no sound within ${limits.notStartedMs / 1000} s`);
    });
    let droppedTimer: NodeJS.Timeout | undefined;
    let pending: Promise<Attempt> | null = first;
    let delay = limits.backoffFirstMs;
    while (!haltWhy) {
      const a = await (pending ?? attempt());
      pending = null;
      if (!a.ok || haltWhy) {
        if (a.ok) {
          a.prep.cancel();
          a.close();
        }
        if (haltWhy) break;
        if (a.ok) break; // unreachable: keeps the narrowing below
        lastDetail = a.detail;
        if (a.failure === 'not-audio' && connects === 0) stop('not-audio', a.detail);
        if (a.failure === 'refused-url') stop('refused-url', a.detail);
        if (haltWhy) break;
        const wait = Math.round(delay * (0.5 + random() / 2));
        log(`relay ${o.name}: ${a.detail}; again in ${wait} ms`);
        emit({ kind: 'retrying', at: clock.now(), inMs: wait, detail: a.detail });
        await pause(wait, halt.signal);
        delay = Math.min(delay * 2, limits.backoffCapMs);
        continue;
      }
      delay = limits.backoffFirstMs;
      const s = a.prep.start({
        timeoutMs: o.until.getTime() - clock.now().getTime() + 60_000,
        endsAt: o.until,
        signal: cut.signal,
      });
      connects++;
      firstSoundAt ??= s.startedAt;
      clear(droppedTimer);
      emit({ kind: 'sounding', at: s.startedAt, connect: connects });
      let silentTimer: NodeJS.Timeout | undefined;
      a.said((said) => {
        clear(silentTimer);
        if ('ended' in said) return emit({ kind: 'sound', at: clock.now() });
        emit({ kind: 'silent', at: clock.now() });
        const failAt = s.startedAt.getTime() + said.started + limits.silence.failMs;
        silentTimer = after(failAt - clock.now().getTime(), () =>
          stop('silent', `silent for ${limits.silence.failMs / 1000} s`),
        );
      });
      let dropDetail = 'the stream ended';
      try {
        await s.ended;
        // the player's cut at the end instant may come a moment before the relay's own timer
        if (clock.now().getTime() >= o.until.getTime() - END_SLACK_MS) stop('ended');
      } catch (err) {
        if (!haltWhy && err instanceof AudioError) dropDetail = err.message.split('\n')[0] ?? err.code;
      }
      // what was released, not the time it took: a stream that ran late was not heard meanwhile
      const played = s.playedMs?.() ?? clock.now().getTime() - s.startedAt.getTime();
      clear(silentTimer);
      a.close();
      playedMs += played;
      silentMs += a.silence.silentWithin(played);
      if (haltWhy) break;
      drops++;
      lastDetail = dropDetail;
      log(`relay ${o.name}: dropped (${dropDetail})`);
      emit({ kind: 'dropped', at: clock.now(), detail: dropDetail });
      droppedTimer = after(limits.droppedMs, () =>
        stop('dropped', `${lastDetail}; not back within ${limits.droppedMs / 1000} s`),
      );
    }
    signal?.removeEventListener('abort', onAbort);
    clear(notStarted);
    for (const t of timers) clearTimeout(t);
    timers.clear();
    const heardMs = Math.max(0, Math.round(playedMs - silentMs));
    const base = { heardMs, playedMs, silentMs, connects, drops, firstSoundAt, endedAt: clock.now() };
    const why: RelayWhy | 'ended' = haltWhy ?? 'ended';
    const detail = haltDetail ?? (lastDetail || undefined);
    if (why === 'ended') {
      if (heardMs > 0) return { outcome: 'relay', ...base };
      const failed: RelayWhy = connects === 0 ? 'not-started' : 'silent';
      return { outcome: 'relay-failed', why: failed, ...(detail ? { detail } : {}), ...base };
    }
    const outcome = why === 'aborted' && heardMs > 0 ? 'relay' : 'relay-failed';
    return { outcome, why, ...(detail ? { detail } : {}), ...base };
  }

  return {
    ready: first.then((a) => a.ok),
    start(s = {}) {
      if (started) throw new Error('a prepared relay is started once');
      started = true;
      return { ended: run(s.signal) };
    },
    cancel() {
      stop('aborted', 'cancelled');
      if (!started) for (const t of timers) clearTimeout(t);
    },
  };
}

/** Plays `url` from now until `until`: prepares and releases at once. */
export function playRelay(deps: RelayDeps, o: RelayOptions & { signal?: AbortSignal }): Promise<RelayResult> {
  return prepareRelay(deps, o).start(o.signal ? { signal: o.signal } : {}).ended;
}
