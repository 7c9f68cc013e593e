// Puts one timetable entry on air: relay on, warm-up, clips, tail, relay off; records what happened.
import type { Clock } from '../../common/clock.ts';
import { errorMessage, type Logger } from '../../common/log.ts';
import { sleep } from '../../common/sleep.ts';
import type { ClipRef, TimetableEntry } from '../../schedules/model.ts';
import type { AsRunRecord, Outcome } from '../../schedules/protocol.ts';
import type { ReasonCode } from '../../schedules/reason-words.ts';
import { placementDetail } from '../../schedules/reasons.ts';
import type { ClipCache } from '../clips/cache.ts';
import type { AgentConfig } from '../config/config.ts';
import type { Relay } from '../hardware/relay.ts';
import type { AgentStore } from '../state/store.ts';
import type { AirTimes, RecordFn } from './asrun.ts';
import type { AgentPlayer } from './player.ts';

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

export interface PlayoutDeps {
  config: Pick<AgentConfig, 'warmUpMs' | 'tailMs' | 'graceMs'>;
  clock: Clock;
  store: Pick<AgentStore, 'markStarted'>;
  relay: Relay;
  player: AgentPlayer;
  clips: Pick<ClipCache, 'verifiedPath'>;
  log: Logger;
  record: RecordFn;
  commit(r: AsRunRecord): void;
  /** Relay or playing state changed. */
  changed(): void;
  /** The entry went on air (relay on). */
  onAir?(): void;
}

export interface PlayoutInput {
  entry: TimetableEntry;
  clipRefs: ReadonlyMap<string, ClipRef>;
  volume: number;
  /** Aborted to stop the entry (agent stopping, relay watchdog); its reason is an EntryAbort. */
  signal: AbortSignal;
}

/** Rejects with the signal's reason as soon as it aborts, even if `p` never settles (a hung player). */
function untilAborted<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

export async function playout(deps: PlayoutDeps, input: PlayoutInput): Promise<void> {
  const { config, clock, relay, log, record, commit } = deps;
  const { entry: e, signal } = input;
  const start = Date.parse(e.startsAt);
  const tooLate = () => {
    const late = clock.now().getTime() - start;
    if (late <= config.graceMs) return false;
    commit(record(e, 'missed', 'late', `started ${Math.round(late / 1000)} s after its time`));
    return true;
  };
  if (tooLate()) return;
  // Verifying clips reads them whole, which takes a moment on an SD card: it is done ahead of time (the
  // runner starts an entry PREPARE_MS early, plan.ts), then the relay goes on exactly at warm-up time. A clip
  // still downloading may arrive until then; only at warm-up time is it missing.
  const found = new Map<string, string>();
  for (;;) {
    for (const id of e.clipIds) {
      const ref = input.clipRefs.get(id);
      const path = found.get(id) ?? (ref ? await deps.clips.verifiedPath(ref) : null);
      if (path) found.set(id, path);
    }
    const missing = e.clipIds.find((id) => !found.has(id));
    if (!missing) break;
    const left = start - config.warmUpMs - clock.now().getTime();
    if (left <= 0) {
      commit(record(e, 'failed', 'clip-missing', `clip ${missing} is not cached or its file is corrupt`));
      return;
    }
    try {
      await sleep(Math.min(1000, left), signal);
    } catch {
      return; // stopped before going on air
    }
  }
  const files = e.clipIds.map((id) => found.get(id) as string);
  if (tooLate()) return;
  const wait = start - config.warmUpMs - clock.now().getTime();
  if (wait > 0) {
    try {
      await sleep(wait, signal);
    } catch {
      return; // stopped before going on air: nothing happened, nothing to record
    }
  }
  const t: AirTimes = {};
  let stage: 'relay-error' | 'player-error' = 'relay-error';
  try {
    t.relayOnAt = clock.now().toISOString();
    // Durable before the relay goes on: if the process dies on air, the next start reports it.
    deps.store.markStarted(e.id, record(e, 'interrupted', 'agent-restart', 'the agent stopped mid-entry', t));
    await relay.set(true);
    deps.changed();
    deps.onAir?.();
    stage = 'player-error';
    await sleep(Math.max(start - clock.now().getTime(), config.warmUpMs), signal);
    for (const [i, file] of files.entries()) {
      const durationMs = input.clipRefs.get(e.clipIds[i] as string)?.durationMs ?? 0;
      const name = files.length === 1 ? e.id : `${e.id}-${i + 1}`;
      const opts = { name, timeoutMs: durationMs + PLAYER_SLACK_MS, volume: input.volume, signal };
      const r = await untilAborted(deps.player.play(file, opts), signal);
      t.audioStartAt ??= r.startedAt.toISOString();
      t.audioEndAt = r.endedAt.toISOString();
    }
    await sleep(config.tailMs, signal);
    stage = 'relay-error';
    await relay.set(false);
    t.relayOffAt = clock.now().toISOString();
    // A flexible entry moved from its window start says why, for the reports.
    const moved = e.status === 'scheduled' && e.placement ? placementDetail(e.placement) : null;
    commit(record(e, 'played', null, moved, t));
  } catch (err) {
    try {
      relay.offSync();
    } catch (e2) {
      log.error(`relay: cannot switch off: ${errorMessage(e2)}`);
    }
    t.relayOffAt = clock.now().toISOString();
    const why = signal.aborted && signal.reason instanceof EntryAbort ? signal.reason : null;
    if (why) commit(record(e, why.outcome, why.reason, why.message, t));
    else commit(record(e, 'failed', stage, errorMessage(err), t));
  } finally {
    deps.changed();
  }
}
