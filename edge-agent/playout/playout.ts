// Puts one timetable entry on air: relay on, warm-up, the player started ahead released at the instant, tail,
// relay off; records what happened. Every wait re-reads the wall clock, so an entry in hand is judged again
// after a step: played within its grace, else missed, never left on air waiting.
import type { Clock } from '../../common/clock.ts';
import { errorMessage, type Logger } from '../../common/log.ts';
import { sleep } from '../../common/sleep.ts';
import type { TimetableEntry } from '../../schedules/model.ts';
import type { AsRunRecord, Outcome } from '../../schedules/protocol.ts';
import type { ReasonCode } from '../../schedules/reason-words.ts';
import { placementDetail } from '../../schedules/reasons.ts';
import type { AgentConfig } from '../config/config.ts';
import type { Relay } from '../hardware/relay.ts';
import type { AgentStore } from '../state/store.ts';
import type { AirTimes, RecordFn } from './asrun.ts';
import { timeline } from './clockwatch.ts';
import { PREPARE_MS } from './plan.ts';
import type { InstantWait, PreparedPlay } from './player.ts';
import type { Preparing } from './prepare.ts';

/** Why an entry was cut short; carried as the abort reason of the entry's signal. */
export class EntryAbort extends Error {
  override name = 'EntryAbort';
  constructor(
    readonly outcome: Extract<Outcome, 'failed' | 'interrupted'>,
    readonly reason: ReasonCode,
    detail: string,
  ) {
    super(detail);
  }
}

/** How long a clip's player may run past the clip's duration before it is stopped. */
export const PLAYER_SLACK_MS = 30_000;
/** An entry whose relay-on time is this much further away than its preparation was given back (clock stepped back). */
const EARLY_MS = 5000;
/** On air, waiting for the instant: the wall clock may read this much before the warm-up began. */
const ON_AIR_EARLY_MS = 1000;
/**
 * A player not ready at the relay-on time (normally it has had 10 s) is waited for this long, then replaced by
 * another waited for as long; the relay goes on only with a player ready (or for an emergency whose clip comes).
 * ffmpeg gets ready in 0.1-0.3 s on an idle machine but took up to 2.6 s on this one loaded by other work (the
 * slot-timing benchmark): an entry taken in hand late (due now, after a restart) must not fail for that.
 */
const READY_WAIT_MS = 3000;
/**
 * A relay that went on this little after its time (its timer woke late: 1 ms at the median, up to tens of ms
 * on a busy machine) shortens the warm-up rather than delaying the sound; later than that, the warm-up is full.
 */
const WARM_UP_SLACK_MS = 50;

export interface PlayoutDeps {
  config: Pick<AgentConfig, 'tailMs' | 'graceMs'>;
  clock: Clock;
  monotonic: () => number;
  store: Pick<AgentStore, 'markStarted' | 'unmarkStarted'>;
  relay: Relay;
  log: Logger;
  record: RecordFn;
  commit(r: AsRunRecord): void;
  /** Relay or playing state changed. */
  changed(): void;
  /** The entry went on air (relay on). */
  onAir?(): void;
  /** The entry's first sample left for the output. */
  onSounding?(): void;
  /** The last wait before the release (player.ts, spinningWait); without it, a plain timer (fake timers drive it). */
  instantWait?: InstantWait;
}

export interface PlayoutInput {
  entry: TimetableEntry;
  /** Its clips and its player, started when the entry was taken in hand. */
  preparing: Preparing;
  warmUpMs: number;
  /** How long the entry may wait on air past its instant for clips still downloading (an emergency); 0: not at all. */
  clipWaitMs: number;
  /** The length of its sound (ms). */
  durationMs: number;
  /** Aborted to stop the entry (agent stopping, relay watchdog); its reason is an EntryAbort. */
  signal: AbortSignal;
}

/** Done: recorded (or stopped with nothing to record). Given back: the runner plans it again (a step moved it). */
export type PlayoutEnd = 'done' | 'given-back';

/** Rejects with the signal's reason as soon as it aborts, even if `p` never settles (a hung player). */
function untilAborted<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

const seconds = (ms: number) => `${(Math.max(0, ms) / 1000).toFixed(1)} s`;
const stepWords = (ms: number) => `the wall clock stepped ${ms > 0 ? '+' : '-'}${seconds(Math.abs(ms))}`;

export async function playout(deps: PlayoutDeps, input: PlayoutInput): Promise<PlayoutEnd> {
  const { config, clock, relay, log, record, commit } = deps;
  const { entry: e, preparing: prep, signal, warmUpMs } = input;
  const start = Date.parse(e.startsAt);
  const tl = timeline(clock, deps.monotonic);
  const wall = () => clock.now().getTime();
  type Judgement = 'ok' | 'late' | 'early';
  const judge = (earliest: number): Judgement => {
    const now = wall();
    return now - start > config.graceMs ? 'late' : now < earliest ? 'early' : 'ok';
  };
  /**
   * Waits until the wall clock reads `at` or `done()` holds, reading it again at least every second; `release`:
   * the last second through `instantWait`, the player being released then.
   */
  const until = async (at: number, earliest: number, done = () => false, pollMs = 1000, release = false) => {
    for (;;) {
      const j = judge(earliest);
      const left = at - wall();
      if (j !== 'ok' || done() || left <= 0) return j;
      if (release && deps.instantWait && left <= pollMs) await deps.instantWait(at, signal);
      else await sleep(Math.min(left, pollMs), signal);
    }
  };
  /** Off air (or never on) with nothing played: late is missed, unless a step made it so (the runner decides). */
  const offBeat = (j: Judgement, t: AirTimes = {}): PlayoutEnd => {
    const stepped = tl.stepped();
    if (j === 'early' || stepped > 0) return 'given-back';
    const late = wall() - start;
    commit(record(e, 'missed', 'late', `started ${Math.round(late / 1000)} s after its time`, t));
    return 'done';
  };
  const onAirAt = start - warmUpMs;
  const prepEarliest = onAirAt - PREPARE_MS - EARLY_MS;

  // Preparing: the clips are verified and the player started in the background until the relay-on time.
  try {
    const j = await until(onAirAt, prepEarliest);
    if (j !== 'ok') return offBeat(j);
  } catch {
    return 'given-back'; // stopped before going on air: nothing happened, nothing to record
  }
  await prep.looked; // an entry taken in hand late has its clips verified now
  if (!prep.files && input.clipWaitMs === 0) {
    commit(record(e, 'failed', 'clip-missing', `clip ${prep.missing} is not cached or its file is corrupt`));
    return 'done';
  }
  if (prep.files) {
    try {
      let [waited, renewed] = [false, false];
      while (!prep.player?.isReady) {
        // a player that failed, or hangs, gets one successor
        if (prep.failure || waited) {
          if (renewed || !prep.renew() || !prep.player) {
            const why = prep.failure ?? `it did not get ready in ${seconds(2 * READY_WAIT_MS)}`;
            commit(record(e, 'failed', 'player-error', `the player did not start: ${why}`));
            return 'done';
          }
          log.warn(`entry ${e.id}: the player ${prep.failure ? 'failed' : 'is not ready'}; starting another`);
          [waited, renewed] = [false, true];
        }
        const j = await until(wall() + READY_WAIT_MS, prepEarliest, () => prep.player?.isReady === true, 20);
        if (j !== 'ok') return offBeat(j);
        waited = true;
      }
    } catch {
      return 'given-back';
    }
  }

  const t: AirTimes = {};
  let stage: 'relay-error' | 'player-error' = 'relay-error';
  let player: PreparedPlay | null = null;
  let soundAt = 0;
  const off = async (): Promise<void> => {
    await relay.set(false);
    t.relayOffAt = tl.now();
  };
  t.relayOnAt = tl.now();
  try {
    // Durable before the relay goes on: if the process dies on air, the next start reports it.
    deps.store.markStarted(e.id, record(e, 'interrupted', 'agent-restart', 'the agent stopped mid-entry', t));
  } catch (err) {
    // what the station cannot note down it does not put on air (its record waits for the disk)
    commit(record(e, 'failed', 'storage-error', `not put on air: ${errorMessage(err)}`));
    prep.cancel();
    return 'done';
  }
  try {
    await relay.set(true);
    deps.changed();
    deps.onAir?.();
    stage = 'player-error';
    // Warm-up: a full one when late by more than the slack (within grace); a step that moves the instant off is
    // judged again.
    const onAirWall = wall();
    soundAt = onAirWall + warmUpMs - start <= WARM_UP_SLACK_MS ? start : onAirWall + warmUpMs;
    let j = await until(soundAt, soundAt - warmUpMs - ON_AIR_EARLY_MS, undefined, 1000, true);
    const ready = () => prep.player?.isReady === true;
    if (j === 'ok' && !ready() && input.clipWaitMs > 0) {
      // an emergency whose clip is still coming waits for it on air, a bounded time
      const renewed = { done: false };
      j = await until(
        soundAt + input.clipWaitMs,
        start - warmUpMs - ON_AIR_EARLY_MS,
        () => {
          if (prep.failure && !renewed.done) renewed.done = prep.renew();
          return ready();
        },
        100,
      );
      if (j === 'ok' && !ready()) {
        log.warn(
          `entry ${e.id}: clip ${prep.missing ?? ''} still missing ${seconds(input.clipWaitMs)} after its time; off air`,
        );
        await off();
        deps.store.unmarkStarted(e.id);
        return 'given-back';
      }
    }
    if (j !== 'ok') {
      await off();
      deps.store.unmarkStarted(e.id);
      return offBeat(j, t);
    }
    player = prep.player;
    if (!player?.isReady) {
      await off();
      const why = prep.failure ?? 'it was not ready at its time';
      commit(record(e, 'failed', 'player-error', `the player did not start: ${why}`, t));
      return 'done';
    }
    const s = player.start({ timeoutMs: input.durationMs + PLAYER_SLACK_MS, signal });
    t.audioStartAt = tl.of(s.startedAt);
    deps.onSounding?.();
    try {
      t.audioEndAt = tl.of((await untilAborted(s.ended, signal)).endedAt);
    } catch (err) {
      if (signal.aborted) throw err;
      // the clip failed while playing (a decode error at the instant): what did play is recorded
      t.audioEndAt = tl.now();
      await off();
      const played = Date.parse(t.audioEndAt) - Date.parse(t.audioStartAt);
      const detail = `the player stopped after ${seconds(played)} of ${seconds(input.durationMs)}: ${errorMessage(err)}`;
      commit(record(e, 'failed', 'player-error', detail, t));
      return 'done';
    }
    await sleep(config.tailMs, signal);
    stage = 'relay-error';
    await off();
    // A flexible entry moved from its window start says why, for the reports; a step of the clock is told.
    const moved = e.status === 'scheduled' && e.placement ? placementDetail(e.placement) : null;
    const step = tl.stepped()
      ? `${stepWords(tl.stepped())} during it; its times are as measured on air`
      : null;
    commit(record(e, 'played', null, [moved, step].filter(Boolean).join('; ') || null, t));
    return 'done';
  } catch (err) {
    try {
      relay.offSync();
    } catch (e2) {
      log.error(`relay: cannot switch off: ${errorMessage(e2)}`);
    }
    t.relayOffAt = tl.now();
    if (t.audioStartAt && !t.audioEndAt) t.audioEndAt = t.relayOffAt;
    const played = t.audioStartAt
      ? `; ${seconds(Date.parse(t.audioEndAt as string) - Date.parse(t.audioStartAt))} of ${seconds(input.durationMs)} had played`
      : '';
    const why = signal.aborted && signal.reason instanceof EntryAbort ? signal.reason : null;
    if (why) commit(record(e, why.outcome, why.reason, `${why.message}${played}`, t));
    else commit(record(e, 'failed', stage, `${errorMessage(err)}${played}`, t));
    return 'done';
  } finally {
    prep.cancel();
    deps.changed();
  }
}
