// Runs the station's timetable: compiles it from the stored desired state, arms one job per entry, plays, reports.
import { scheduleJob } from 'node-schedule';
import { compileTimetable } from '../schedules/compile.ts';
import type { ClipRef, DesiredState, TimetableEntry } from '../schedules/model.ts';
import type { Override } from '../schedules/overrides.ts';
import { type AlertPlan, EMERGENCY_RANK, entryRank } from '../schedules/precedence.ts';
import type { AsRunRecord } from '../schedules/protocol.ts';
import { addDays, utcToZoned, zonedToUtc } from '../schedules/time.ts';
import { recorder, skipReason } from './asrun.ts';
import type { ClipCache } from './clips.ts';
import { watchClock } from './clockwatch.ts';
import type { AgentConfig } from './config.ts';
import { type AgentPlayer, type Clock, errorMessage, type Logger } from './deps.ts';
import { EntryAbort, PREPARE_MS, playout } from './playout.ts';
import type { Relay } from './relay.ts';
import { createEdgeGuard } from './slot-edge.ts';
import type { AgentStore } from './store.ts';

export interface Scheduler {
  /** Runs `fn` once at `date`; null if the date is already past (node-schedule's behaviour). */
  scheduleJob(date: Date, fn: () => void): { cancel(): unknown } | null;
}

export interface RunnerDeps {
  config: Pick<
    AgentConfig,
    | 'stationId'
    | 'warmUpMs'
    | 'tailMs'
    | 'graceMs'
    | 'horizonHours'
    | 'clockTrust'
    | 'timezone'
    | 'volume'
    | 'slotEdge'
  >;
  clock: Clock;
  store: AgentStore;
  relay: Relay;
  player: AgentPlayer;
  clips: Pick<ClipCache, 'verifiedPath'>;
  log: Logger;
  /** A record was committed to the outbox. */
  onRecord(record: AsRunRecord): void;
  /** Playing entry or relay state changed. */
  onChange?(): void;
  /** Whether the wall clock is trusted now; defaults to the config (anything but 'never'). */
  clockTrusted?(): boolean;
  scheduler?: Scheduler;
  /** Monotonic milliseconds, for clock-jump detection; defaults to performance.now. */
  monotonic?: () => number;
  clockCheckMs?: number;
  /** Local overrides and bulletins, compiled with the desired state by the precedence rules. */
  overrides?(): Override[];
  alerts?(): AlertPlan[];
  /** The local volume factor in force at an instant (ms). */
  volumeAt?(at: number): number;
  /** An entry went on air (relay on). */
  onAir?(e: TimetableEntry): void;
  /** A plan was made. */
  planned?(entries: readonly TimetableEntry[]): void;
}

export interface RunnerStatus {
  playing: string | null;
  next: TimetableEntry[];
}

const HOUR = 3_600_000;
const ALIVE_EVERY_MS = 60_000;
const ALIVE_KEY = 'runner.aliveAt';
/** A job that fires this much before it is due came from a clock that jumped back: re-arm it. */
const EARLY_MS = 5000;

export function createRunner(deps: RunnerDeps) {
  const { config, clock, store, relay, log } = deps;
  const scheduler: Scheduler = deps.scheduler ?? { scheduleJob: (date, fn) => scheduleJob(date, fn) };
  const trusted = deps.clockTrusted ?? (() => config.clockTrust !== 'never');
  const monotonic = deps.monotonic ?? (() => performance.now());
  let startedMono = 0;
  let jobs: { cancel(): unknown }[] = [];
  let entries: TimetableEntry[] = [];
  let planned: DesiredState | null = null;
  let clipRefs = new Map<string, ClipRef>();
  let slotVolume = new Map<string, number>();
  let longestMs = 0;
  const pending = new Set<string>();
  /** The entry in hand (preparing or on air). */
  let current: { entry: TimetableEntry; durationMs: number; abort: AbortController } | null = null;
  let chain: Promise<void> = Promise.resolve();
  let stopped = true;
  /** Until the first plan with a trusted clock, what fell due before it was missed while down or waiting. */
  let firstPlan = true;
  let abort = new AbortController();
  let stopWatch = () => {};
  let lastAlive = 0;

  const nowMs = () => clock.now().getTime();
  const edge = createEdgeGuard({
    edge: config.slotEdge,
    warmUpMs: config.warmUpMs,
    scheduler,
    nowMs,
    onAir: () => relay.on,
    log,
  });
  const changed = () => deps.onChange?.();
  const duration = (e: TimetableEntry) => Date.parse(e.endsAt) - Date.parse(e.startsAt);

  const record = recorder(() => ({
    stationId: config.stationId,
    desiredVersion: planned?.version ?? 0,
    recordedAt: clock.now(),
  }));

  function commit(r: AsRunRecord): void {
    if (!store.recordOutcome(r)) return;
    log.info(`as-run ${r.entryId}: ${r.outcome}${r.reason ? ` (${r.reason})` : ''}`);
    deps.onRecord(r);
  }

  function reportSkipped(e: TimetableEntry): void {
    if (e.status !== 'skipped' || store.isDone(e.id)) return;
    const { reason, detail } = skipReason(e.skip);
    commit(record(e, 'skipped', reason, detail));
  }

  async function play(e: TimetableEntry): Promise<void> {
    if (stopped || store.isDone(e.id)) return;
    const busyDetail = edge.takeBusy(e.id);
    if (busyDetail !== undefined) {
      commit(record(e, 'skipped', 'busy', busyDetail));
      return;
    }
    const due = Date.parse(e.startsAt) - config.warmUpMs - PREPARE_MS;
    if (due - nowMs() > EARLY_MS) {
      arm(due, () => fire(e));
      return;
    }
    const entryAbort = new AbortController();
    const onStop = () => entryAbort.abort(abort.signal.reason);
    abort.signal.addEventListener('abort', onStop, { once: true });
    current = { entry: e, durationMs: duration(e), abort: entryAbort };
    // ward staff's volume applies to all but an emergency, which they cannot silence (precedence row 1)
    const local = entryRank(e) === EMERGENCY_RANK ? 1 : (deps.volumeAt?.(Date.parse(e.startsAt)) ?? 1);
    const volume = Math.min(2, config.volume * (slotVolume.get(e.slotId) ?? 1) * local);
    const onAir = () => deps.onAir?.(e);
    try {
      await playout(
        {
          config,
          clock,
          store,
          relay,
          player: deps.player,
          clips: deps.clips,
          log,
          record,
          commit,
          changed,
          onAir,
        },
        { entry: e, clipRefs, volume, signal: entryAbort.signal },
      );
    } finally {
      abort.signal.removeEventListener('abort', onStop);
      current = null;
      changed();
      // Stopped before it went on air (a stop, a pause, a bulletin): the new plan accounts for it.
      if (!stopped && !store.isDone(e.id)) {
        pending.delete(e.id);
        queueMicrotask(() => plan(`${e.id} did not go on air`));
      }
    }
  }

  function fire(e: TimetableEntry): void {
    if (e.status === 'skipped') {
      reportSkipped(e);
      return;
    }
    if (pending.has(e.id)) return;
    pending.add(e.id);
    const held = current;
    if (held && held.entry.id !== e.id) {
      const cut = (reason: string, detail: string) =>
        held.abort.abort(new EntryAbort('interrupted', reason, detail));
      edge.contend(held.entry, e, () => current === held, cut);
    }
    chain = chain
      .then(() => play(e))
      .catch((err) => log.error(`entry ${e.id}: ${errorMessage(err)}`))
      .finally(() => pending.delete(e.id));
  }

  function arm(at: number, fn: () => void): void {
    const job = at > nowMs() ? scheduler.scheduleJob(new Date(at), fn) : null;
    if (job) jobs.push(job);
    else queueMicrotask(fn);
  }

  function cancelJobs(): void {
    for (const j of jobs) j.cancel();
    jobs = [];
  }

  /** The timetable of [from, to) from the desired state, the overrides (and `extra` ones) and bulletins. */
  function compile(desired: DesiredState, from: Date, to: Date, extra: Override[] = []) {
    const overrides = [...(deps.overrides?.() ?? []), ...extra];
    const alerts = deps.alerts?.() ?? [];
    const more = [...alerts.map((a) => a.alert.clip), ...overrides.flatMap((o) => (o.clip ? [o.clip] : []))];
    const refs = new Map([...desired.clips, ...more].map((c) => [c.id, c]));
    const station = { ...desired.station, timezone: config.timezone ?? desired.station.timezone };
    const input = { ...desired, station, clips: [...refs.values()], overrides, alerts };
    const options = { from, to, leadMs: config.warmUpMs, tailMs: config.tailMs };
    return { entries: compileTimetable(input, options), clipRefs: refs };
  }

  function plan(why: string): void {
    cancelJobs();
    if (stopped) return;
    const desired = store.getDesired();
    planned = desired;
    entries = [];
    if (!desired) return;
    if (!trusted()) {
      log.warn(`runner: clock not trusted; nothing is played or recorded (${why})`);
      return;
    }
    const now = nowMs();
    // The first trusted plan may come long after start (waiting for NTP): the monotonic clock says how long.
    const upSince = firstPlan ? now - (monotonic() - startedMono) : now;
    const aliveAt = Number(store.getMeta(ALIVE_KEY) ?? upSince);
    const from = Math.min(now - config.graceMs, Math.max(Math.min(aliveAt, upSince), now - 24 * HOUR));
    const tz = config.timezone ?? desired.station.timezone;
    const compiled = compile(desired, new Date(from), new Date(now + config.horizonHours * HOUR));
    clipRefs = compiled.clipRefs;
    slotVolume = new Map(desired.slots.flatMap((s) => (s.volume === undefined ? [] : [[s.id, s.volume]])));
    entries = compiled.entries;
    longestMs = Math.max(0, ...entries.filter((e) => e.status === 'scheduled').map(duration));
    let armed = 0;
    for (const e of entries) {
      if (pending.has(e.id) || store.isDone(e.id)) continue;
      const start = Date.parse(e.startsAt);
      if (start < now - config.graceMs) {
        if (e.status === 'skipped') reportSkipped(e);
        else if (firstPlan && start >= upSince)
          commit(record(e, 'missed', 'clock-untrusted', 'the agent was waiting for a trusted clock'));
        else if (firstPlan && start >= aliveAt)
          commit(record(e, 'missed', 'agent-offline', 'the agent was not running'));
        else commit(record(e, 'missed', 'late', 'its time passed before it could be started'));
        continue;
      }
      arm(e.status === 'skipped' ? start : start - config.warmUpMs - PREPARE_MS, () => fire(e));
      armed++;
    }
    const nextHour = Math.floor(now / HOUR) * HOUR + HOUR;
    const midnight = zonedToUtc(addDays(utcToZoned(new Date(now), tz).date, 1), '00:00', tz).getTime();
    for (const at of new Set([nextHour, midnight])) arm(at, () => plan('scheduled re-plan'));
    store.setMeta(ALIVE_KEY, String(now));
    lastAlive = now;
    firstPlan = false;
    store.pruneDone(new Date(now - 7 * 24 * HOUR).toISOString());
    log.info(`runner: planned v${desired.version} (${why}): ${entries.length} entries, ${armed} armed`);
    deps.planned?.(entries);
  }

  return {
    start(): void {
      if (!stopped) return;
      stopped = false;
      startedMono = monotonic();
      abort = new AbortController();
      // Entries that were on air when the agent last died are reported as interrupted, never replayed.
      for (const s of store.startedEntries()) {
        commit({ ...s.pending, recordedAt: clock.now().toISOString() });
      }
      stopWatch = watchClock({
        clock,
        monotonic,
        everyMs: deps.clockCheckMs,
        onJump: (drift) => {
          log.warn(`runner: wall clock jumped ${Math.round(drift / 1000)} s; re-planning`);
          plan('clock jump');
        },
        onTick: (wall) => {
          if (trusted() && planned && wall - lastAlive >= ALIVE_EVERY_MS) {
            store.setMeta(ALIVE_KEY, String(wall));
            lastAlive = wall;
          }
        },
      });
      plan('start');
    },
    replan(why = 'requested'): void {
      plan(why);
    },
    /** Cuts the entry in hand short (relay watchdog, a stop, a withdrawn bulletin); recorded with the given outcome. */
    abortPlaying(reason: EntryAbort): void {
      current?.abort.abort(reason);
    },
    /** The entry in hand (preparing or on air), if any. */
    inHand(): TimetableEntry | null {
      return current?.entry ?? null;
    },
    /** The timetable of [from, to) as the runner compiles it, with `extra` overrides as if they were made. */
    timetable(from: Date, to: Date, extra: Override[] = []): TimetableEntry[] {
      const desired = store.getDesired();
      return desired ? compile(desired, from, to, extra).entries : [];
    },
    /** An entry of the current plan. */
    entry(id: string): TimetableEntry | null {
      return entries.find((e) => e.id === id) ?? null;
    },
    /** The longest scheduled entry's sound, or of the one on air if longer (ms). */
    longestEntryMs(): number {
      return Math.max(longestMs, current?.durationMs ?? 0);
    },
    async stop(): Promise<void> {
      stopped = true;
      cancelJobs();
      edge.cancel();
      stopWatch();
      abort.abort(new EntryAbort('interrupted', 'agent-stopped', 'the agent was stopped'));
      await chain;
      await relay.set(false);
    },
    status(n = 5): RunnerStatus {
      const now = nowMs();
      const next = entries.filter((e) => Date.parse(e.startsAt) >= now && !store.isDone(e.id)).slice(0, n);
      // On air means the relay is on for it (warm-up, sound, tail); preparing is not playing.
      return { playing: current && relay.on ? current.entry.id : null, next };
    },
  };
}

export type Runner = ReturnType<typeof createRunner>;
