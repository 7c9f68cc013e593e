// Runs the station's timetable: makes a plan from the stored state (plan.ts), carries its steps out, and
// puts each entry on air in its turn (playout.ts). It hears and tells the rest of the agent on the bus.
import type { Clock } from '../../common/clock.ts';
import type { Logger } from '../../common/log.ts';
import type { TimetableEntry } from '../../schedules/model.ts';
import type { Override } from '../../schedules/overrides.ts';
import { EMERGENCY_RANK, entryRank } from '../../schedules/precedence/precedence.ts';
import type { AsRunRecord } from '../../schedules/protocol.ts';
import type { AgentBus } from '../bus.ts';
import type { ClipCache } from '../clips/cache.ts';
import type { AgentConfig } from '../config/config.ts';
import type { Relay } from '../hardware/relay.ts';
import type { AgentStore } from '../state/store.ts';
import { createAliveMarks } from './alive.ts';
import { createCommitter, recorder, skipReason } from './asrun.ts';
import { type ClockWatch, createStepDoubt, watchClock } from './clockwatch.ts';
import { createInHand } from './in-hand.ts';
import { bulletinPlans, recentOverrides, volumeAt } from './inputs.ts';
import { createJobs, type Scheduler, timerScheduler } from './jobs.ts';
import {
  compileFor,
  idlePlan,
  makePlan,
  type Plan,
  type PlanConfig,
  PREPARE_MS,
  planSummary,
  type Step,
  warmUpFor,
} from './plan.ts';
import type { AgentPlayer, InstantWait } from './player.ts';
import { EntryAbort, type PlayoutEnd, playout } from './playout.ts';
import { type Preparing, startPreparing } from './prepare.ts';
import { soundMsOf } from './shape/sounds.ts';
import { createEdgeGuard } from './slot-edge.ts';
import { streamAir } from './stream/air.ts';

export type { Scheduler } from './jobs.ts';

export interface RunnerDeps {
  config: PlanConfig &
    Pick<AgentConfig, 'stationId' | 'warmUpByLevel' | 'emergencyClipWaitMs' | 'stepDoubtMs' | 'clockTrust'> &
    Pick<AgentConfig, 'volume' | 'slotEdge' | 'secret' | 'controllerUrl'>;
  clock: Clock;
  store: AgentStore;
  relay: Relay;
  player: AgentPlayer;
  clips: Pick<ClipCache, 'verifiedPath'>;
  log: Logger;
  bus: AgentBus;
  /** Whether the wall clock is trusted now; defaults to the config (anything but 'never'). */
  clockTrusted?(): boolean;
  scheduler?: Scheduler;
  /** Monotonic milliseconds, for clock-jump detection; defaults to performance.now. */
  monotonic?: () => number;
  /** The last wait before a player's release (player.ts, spinningWait); defaults to a plain timer. */
  instantWait?: InstantWait;
  clockCheckMs?: number;
}

export interface RunnerStatus {
  playing: string | null;
  next: TimetableEntry[];
}

/** A job that fires this much before it is due came from a clock that jumped back: re-arm it. */
const EARLY_MS = 5000;
const WEEK = 7 * 24 * 3_600_000;
const OWNER = 'runner';
const DOUBT_KEY = 'runner.stepDoubt';

export function createRunner(deps: RunnerDeps) {
  const { config, clock, store, relay, log, bus } = deps;
  const scheduler = deps.scheduler ?? timerScheduler;
  const trusted = deps.clockTrusted ?? (() => config.clockTrust !== 'never');
  const monotonic = deps.monotonic ?? (() => performance.now());
  const nowMs = () => clock.now().getTime();
  const jobs = createJobs(scheduler, nowMs);
  const warmUpOf = (e: TimetableEntry) => warmUpFor(e, config);
  const edge = createEdgeGuard({
    edge: config.slotEdge,
    warmUpOf,
    scheduler,
    nowMs,
    onAir: () => relay.on,
    log,
  });
  const hand = createInHand({ edge, log });
  const alive = createAliveMarks(store, monotonic);
  /** The plan in force: null before the first, or without a desired state. */
  let plan: Plan | null = null;
  /** Null while stopped; `abort` cuts the entry in hand when the runner stops. */
  let running: { abort: AbortController; watch: ClockWatch | null } | null = null;
  const doubt = createStepDoubt({
    doubtMs: config.stepDoubtMs,
    nowMs,
    monotonic,
    onOver: () => replan('a clock step no longer in doubt'),
    saved: { load: () => store.getMeta(DOUBT_KEY), save: (json) => store.setMeta(DOUBT_KEY, json) },
  });

  const record = recorder(() => ({
    stationId: config.stationId,
    desiredVersion: plan?.version ?? 0,
    recordedAt: clock.now(),
  }));
  const changed = () => bus.emit('onAirChanged');

  const records = createCommitter({
    store,
    log,
    committed: (r) => {
      log.info(`as-run ${r.entryId}: ${r.outcome}${r.reason ? ` (${r.reason})` : ''}`);
      bus.emit('recordCommitted', r);
    },
    retry: () => replan('records waiting for the disk'),
  });
  const commit = (r: AsRunRecord) => records.commit(r);

  function reportSkipped(e: TimetableEntry): void {
    if (e.status !== 'skipped' || store.isDone(e.id)) return;
    const { reason, detail } = skipReason(e.skip);
    commit(record(e, 'skipped', reason, detail));
  }

  /** The overrides and bulletins in the store, planned with the desired state. */
  const emergencyWarmUp = config.warmUpByLevel.emergency ?? config.warmUpMs;
  const inputs = () => ({
    overrides: recentOverrides(store, nowMs()),
    alerts: bulletinPlans(store, nowMs(), { warmUpMs: emergencyWarmUp, idle: !relay.on && !hand.entry }),
    config,
  });

  /** A step of the wall clock: what a forward one jumped over is not recorded missed while it is in doubt. */
  function stepped(drift: number): void {
    log.warn(`runner: wall clock jumped ${Math.round(drift / 1000)} s; re-planning`);
    doubt.stepped(drift);
  }

  const execute: { [A in Step['action']]: (step: Extract<Step, { action: A }>) => void } = {
    'report-missed': (s) => commit(record(s.entry, 'missed', s.reason, s.detail)),
    'report-skipped': (s) => reportSkipped(s.entry),
    'arm-entry': (s) => jobs.arm(s.at, () => fire(s.entry)),
    'arm-replan': (s) => jobs.arm(s.at, () => replan('scheduled re-plan')),
    'hold-in-doubt': () => {},
  };

  function replan(why: string): void {
    jobs.cancel();
    if (!running) return;
    const desired = store.getDesired();
    plan = desired && idlePlan(desired.version);
    if (!desired) return;
    if (!trusted()) {
      log.warn(`runner: clock not trusted; nothing is played or recorded (${why})`);
      return;
    }
    const drift = running.watch?.poll() ?? null;
    if (drift !== null) stepped(drift);
    records.flush();
    const now = nowMs();
    const settled = (id: string) => hand.has(id) || records.has(id) || store.isDone(id);
    plan = makePlan({ desired, ...inputs(), now, settled, ...alive.at(now), doubt: doubt.spans() });
    for (const step of plan.steps) (execute[step.action] as (s: Step) => void)(step);
    alive.planned(now);
    try {
      store.pruneDone(new Date(now - WEEK).toISOString());
    } catch {} // a full disk: pruned next time
    log.info(`runner: planned v${desired.version} (${why}): ${planSummary(plan)}`);
    bus.emit('planned', plan.entries);
  }

  /** Takes an entry in hand: its preparation starts now, its air time comes in its turn. */
  function fire(e: TimetableEntry) {
    if (e.status === 'skipped') return reportSkipped(e);
    if (hand.has(e.id) || !running) return;
    const due = Date.parse(e.startsAt) - warmUpOf(e) - PREPARE_MS;
    if (due - nowMs() > EARLY_MS) {
      jobs.arm(due, () => fire(e));
      return;
    }
    // a relay or a live session connects to its stream when its time comes (stream/air.ts)
    const prep = e.relay || e.live ? null : startPreparing(deps, e, plan?.clipRefs ?? new Map(), volumeOf(e));
    hand.enqueue(e, () => play(e, prep));
  }

  /** Ward staff's volume applies to all but an emergency, which they cannot silence (precedence row 1). */
  function volumeOf(e: TimetableEntry): number {
    const local = entryRank(e) === EMERGENCY_RANK ? 1 : volumeAt(inputs().overrides, Date.parse(e.startsAt));
    return Math.min(2, config.volume * (plan?.slotVolume.get(e.slotId) ?? 1) * local);
  }

  async function play(e: TimetableEntry, prep: Preparing | null): Promise<void> {
    if (!running || store.isDone(e.id) || records.has(e.id)) return prep?.cancel();
    const busy = edge.takeBusy(e.id);
    if (busy !== undefined) {
      prep?.cancel();
      return commit(record(e, 'skipped', 'busy', busy));
    }
    const clipRefs = plan?.clipRefs ?? new Map();
    const durationMs = soundMsOf(e, clipRefs);
    const clipWaitMs = entryRank(e) === EMERGENCY_RANK ? config.emergencyClipWaitMs : 0;
    const [onAir, onSounding] = [() => bus.emit('entryOnAir', e), () => bus.emit('entrySounding', e)];
    const airDeps = { ...deps, monotonic, record, commit, changed, onAir, onSounding };
    const [entry, warmUpMs] = [e, warmUpOf(e)];
    const put = (signal: AbortSignal) =>
      prep
        ? playout(airDeps, { entry, preparing: prep, warmUpMs, clipWaitMs, durationMs, signal })
        : streamAir(airDeps, { entry, warmUpMs, volume: volumeOf(e), clipRefs, signal });
    let end: PlayoutEnd = 'done';
    try {
      end = await hand.hold(e, running.abort.signal, put);
    } finally {
      prep?.cancel();
      changed();
      // Not on air (a stop, a pause, a bulletin) or given back (a clock step): the new plan accounts for it.
      if (running && !store.isDone(e.id) && !records.has(e.id)) {
        hand.forget(e.id);
        const why = end === 'given-back' ? 'was given back' : 'did not go on air';
        queueMicrotask(() => replan(`${e.id} ${why}`));
      }
    }
  }

  function listen(): void {
    bus.on('replanNeeded', OWNER, ({ why }) => replan(why));
    bus.on('overrideChanged', OWNER, (o) => replan(`override ${o.id}`));
    bus.on('desiredApplied', OWNER, ({ state }) => replan(`desired v${state.version}`));
    bus.on('clockTrusted', OWNER, () => replan('clock trusted'));
    bus.on('cutRequested', OWNER, (c) => hand.cut(new EntryAbort(c.outcome, c.reason, c.detail), c.entryId));
    bus.on('relayTripped', OWNER, ({ onForMs, limitMs }) => {
      const detail = `relay on for ${Math.round(onForMs / 1000)} s, longer than ${Math.round(limitMs / 1000)} s; switched off by the watchdog`;
      hand.cut(new EntryAbort('failed', 'watchdog', detail));
    });
  }

  return {
    start(): void {
      if (running) return;
      running = { abort: new AbortController(), watch: null };
      alive.started();
      listen();
      // Entries that were on air when the agent last died are reported as interrupted, never replayed.
      for (const s of store.startedEntries()) commit({ ...s.pending, recordedAt: clock.now().toISOString() });
      running.watch = watchClock({
        clock,
        monotonic,
        everyMs: deps.clockCheckMs,
        onJump: (drift) => {
          stepped(drift);
          replan('clock jump');
        },
        onTick: (wall) => {
          if (trusted() && plan) alive.tick(wall);
        },
      });
      replan('start');
    },
    replan(why = 'requested'): void {
      replan(why);
    },
    /** The entry in hand (preparing or on air), if any. */
    inHand: (): TimetableEntry | null => hand.entry,
    /** The timetable of [from, to) as the runner compiles it, with `extra` overrides as if they were made. */
    timetable(from: Date, to: Date, extra: Override[] = []): TimetableEntry[] {
      const desired = store.getDesired();
      if (!desired) return [];
      const given = inputs();
      return compileFor({ ...given, desired, overrides: [...given.overrides, ...extra] }, from, to).entries;
    },
    /** An entry of the plan in force. */
    entry: (id: string): TimetableEntry | null => plan?.entries.find((e) => e.id === id) ?? null,
    /** The longest scheduled entry's sound, or of the one in hand if longer (ms). */
    longestEntryMs: (): number => Math.max(plan?.longestMs ?? 0, hand.durationMs),
    async stop(): Promise<void> {
      const was = running;
      running = null;
      bus.removeListeners(OWNER);
      jobs.cancel();
      edge.cancel();
      was?.watch?.stop();
      doubt.clear();
      records.stop();
      was?.abort.abort(new EntryAbort('interrupted', 'agent-stopped', 'the agent was stopped'));
      await hand.drained();
      await relay.set(false);
    },
    status(n = 5): RunnerStatus {
      const now = nowMs();
      const next = (plan?.entries ?? [])
        .filter((e) => Date.parse(e.startsAt) >= now && !store.isDone(e.id))
        .slice(0, n);
      // On air means the relay is on for it (warm-up, sound, tail); preparing is not playing.
      return { playing: hand.entry && relay.on ? hand.entry.id : null, next };
    },
  };
}

export type Runner = ReturnType<typeof createRunner>;
