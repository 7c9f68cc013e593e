// Runs the station's timetable: compiles it from the stored desired state, arms one job per entry, plays, reports.
import { scheduleJob } from 'node-schedule';
import { compileTimetable } from '../schedules/compile.ts';
import type { ClipRef, DesiredState, TimetableEntry } from '../schedules/model.ts';
import type { AsRunRecord, Outcome } from '../schedules/protocol.ts';
import { addDays, utcToZoned, zonedToUtc } from '../schedules/time.ts';
import { type AirTimes, asRunRecord, skipReason } from './asrun.ts';
import type { ClipCache } from './clips.ts';
import { watchClock } from './clockwatch.ts';
import type { AgentConfig } from './config.ts';
import { type AgentPlayer, type Clock, errorMessage, type Logger, sleep } from './deps.ts';
import type { Relay } from './relay.ts';
import type { AgentStore } from './store.ts';

export interface Scheduler {
  /** Runs `fn` once at `date`; null if the date is already past (node-schedule's behaviour). */
  scheduleJob(date: Date, fn: () => void): { cancel(): unknown } | null;
}

export interface RunnerDeps {
  config: Pick<
    AgentConfig,
    'stationId' | 'warmUpMs' | 'tailMs' | 'graceMs' | 'horizonHours' | 'clockTrusted' | 'timezone' | 'volume'
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
  scheduler?: Scheduler;
  /** Monotonic milliseconds, for clock-jump detection; defaults to performance.now. */
  monotonic?: () => number;
  clockCheckMs?: number;
}

export interface RunnerStatus {
  playing: string | null;
  next: TimetableEntry[];
}

const HOUR = 3_600_000;
const ALIVE_EVERY_MS = 60_000;
const ALIVE_KEY = 'runner.aliveAt';

export function createRunner(deps: RunnerDeps) {
  const { config, clock, store, relay, log } = deps;
  const scheduler: Scheduler = deps.scheduler ?? { scheduleJob: (date, fn) => scheduleJob(date, fn) };
  let jobs: { cancel(): unknown }[] = [];
  let entries: TimetableEntry[] = [];
  let planned: DesiredState | null = null;
  let clipRefs = new Map<string, ClipRef>();
  const pending = new Set<string>();
  let playing: string | null = null;
  let chain: Promise<void> = Promise.resolve();
  let stopped = true;
  let abort = new AbortController();
  let stopWatch = () => {};
  let lastAlive = 0;

  const nowMs = () => clock.now().getTime();
  const changed = () => deps.onChange?.();

  const record = (
    e: TimetableEntry,
    outcome: Outcome,
    reason: string | null,
    detail: string | null,
    t?: AirTimes,
  ) =>
    asRunRecord(
      e,
      { stationId: config.stationId, desiredVersion: planned?.version ?? 0, recordedAt: clock.now() },
      outcome,
      reason,
      detail,
      t,
    );

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
    const start = Date.parse(e.startsAt);
    const late = nowMs() - start;
    if (late > config.graceMs) {
      commit(record(e, 'missed', 'late', `started ${Math.round(late / 1000)} s after its time`));
      return;
    }
    const files: string[] = [];
    for (const id of e.clipIds) {
      const ref = clipRefs.get(id);
      const path = ref ? await deps.clips.verifiedPath(ref) : null;
      if (!path) {
        commit(record(e, 'failed', 'clip-missing', `clip ${id} is not cached or its file is corrupt`));
        return;
      }
      files.push(path);
    }
    const t: AirTimes = {};
    const signal = abort.signal;
    let stage: 'relay-error' | 'player-error' = 'relay-error';
    playing = e.id;
    try {
      t.relayOnAt = clock.now().toISOString();
      store.markStarted(e.id, record(e, 'interrupted', 'agent-restart', 'the agent stopped mid-entry', t));
      await relay.set(true);
      changed();
      stage = 'player-error';
      await sleep(Math.max(start - nowMs(), config.warmUpMs), signal);
      for (const [i, file] of files.entries()) {
        const durationMs = clipRefs.get(e.clipIds[i] as string)?.durationMs ?? 0;
        const name = files.length === 1 ? e.id : `${e.id}-${i + 1}`;
        const timeoutMs = Math.round(durationMs * 1.5) + 30_000;
        const r = await deps.player.play(file, { name, timeoutMs, volume: config.volume, signal });
        t.audioStartAt ??= r.startedAt.toISOString();
        t.audioEndAt = r.endedAt.toISOString();
      }
      await sleep(config.tailMs, signal);
      stage = 'relay-error';
      await relay.set(false);
      t.relayOffAt = clock.now().toISOString();
      commit(record(e, 'played', null, null, t));
    } catch (err) {
      await relay.set(false).catch((e2) => log.error(`relay: cannot switch off: ${errorMessage(e2)}`));
      t.relayOffAt = clock.now().toISOString();
      if (signal.aborted) commit(record(e, 'interrupted', 'agent-stopped', 'the agent was stopped', t));
      else commit(record(e, 'failed', stage, errorMessage(err), t));
    } finally {
      playing = null;
      changed();
    }
  }

  function fire(e: TimetableEntry): void {
    if (e.status === 'skipped') {
      reportSkipped(e);
      return;
    }
    if (pending.has(e.id)) return;
    pending.add(e.id);
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

  function plan(why: string): void {
    cancelJobs();
    if (stopped) return;
    const desired = store.getDesired();
    planned = desired;
    entries = [];
    if (!desired) return;
    if (!config.clockTrusted) {
      log.warn('runner: clock not trusted; nothing is played or recorded');
      return;
    }
    const now = nowMs();
    const aliveAt = Number(store.getMeta(ALIVE_KEY) ?? now);
    const from = Math.min(now - config.graceMs, Math.max(aliveAt, now - 24 * HOUR));
    const tz = config.timezone ?? desired.station.timezone;
    clipRefs = new Map(desired.clips.map((c) => [c.id, c]));
    const station = { ...desired.station, timezone: tz };
    const to = new Date(now + config.horizonHours * HOUR);
    const options = { from: new Date(from), to, leadMs: config.warmUpMs, tailMs: config.tailMs };
    entries = compileTimetable({ ...desired, station }, options);
    let armed = 0;
    for (const e of entries) {
      if (pending.has(e.id) || store.isDone(e.id)) continue;
      const start = Date.parse(e.startsAt);
      if (start < now - config.graceMs) {
        if (e.status === 'skipped') reportSkipped(e);
        else if (why === 'start' && start >= aliveAt)
          commit(record(e, 'missed', 'agent-offline', 'the agent was not running'));
        else commit(record(e, 'missed', 'late', 'its time passed before it could be started'));
        continue;
      }
      arm(e.status === 'skipped' ? start : start - config.warmUpMs, () => fire(e));
      armed++;
    }
    const nextHour = Math.floor(now / HOUR) * HOUR + HOUR;
    const midnight = zonedToUtc(addDays(utcToZoned(new Date(now), tz).date, 1), '00:00', tz).getTime();
    for (const at of new Set([nextHour, midnight])) arm(at, () => plan('scheduled re-plan'));
    store.setMeta(ALIVE_KEY, String(now));
    lastAlive = now;
    store.pruneDone(new Date(now - 7 * 24 * HOUR).toISOString());
    log.info(`runner: planned v${desired.version} (${why}): ${entries.length} entries, ${armed} armed`);
  }

  return {
    start(): void {
      if (!stopped) return;
      stopped = false;
      abort = new AbortController();
      // Entries that were on air when the agent last died are reported as interrupted, never replayed.
      for (const s of store.startedEntries()) {
        commit({ ...s.pending, recordedAt: clock.now().toISOString() });
      }
      stopWatch = watchClock({
        clock,
        monotonic: deps.monotonic,
        everyMs: deps.clockCheckMs,
        onJump: (drift) => {
          log.warn(`runner: wall clock jumped ${Math.round(drift / 1000)} s; re-planning`);
          plan('clock jump');
        },
        onTick: (wall) => {
          if (config.clockTrusted && planned && wall - lastAlive >= ALIVE_EVERY_MS) {
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
    async stop(): Promise<void> {
      stopped = true;
      cancelJobs();
      stopWatch();
      abort.abort(new Error('agent stopping'));
      await chain;
      await relay.set(false);
    },
    status(n = 5): RunnerStatus {
      const now = nowMs();
      const next = entries.filter((e) => Date.parse(e.startsAt) >= now && !store.isDone(e.id)).slice(0, n);
      return { playing, next };
    },
  };
}

export type Runner = ReturnType<typeof createRunner>;
