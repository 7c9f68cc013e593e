// The edge agent assembled: its parts share one store and one event bus (bus.ts), and start and stop in order.
import type { Clock } from '../common/clock.ts';
import type { Logger } from '../common/log.ts';
import { alertEntryId } from '../schedules/entry-ids.ts';
import type { ClipRef, DesiredState, TimetableEntry } from '../schedules/model.ts';
import type { Override } from '../schedules/overrides.ts';
import type { Health } from '../schedules/protocol.ts';
import { type Bulletins, createBulletins } from './bulletins.ts';
import { createAgentBus } from './bus.ts';
import { type ClipCacheDeps, createClipCache } from './clips/cache.ts';
import { createStationClips, type StationClip } from './clips/station.ts';
import { createClipSync } from './clips/sync.ts';
import type { AgentConfig } from './config/config.ts';
import { createDesired } from './desired.ts';
import { type ClockProbe, createClockTrust } from './hardware/clock-trust.ts';
import { sntpOffset } from './hardware/ntp.ts';
import type { Relay } from './hardware/relay.ts';
import { startRelayWatchdog } from './hardware/watchdog.ts';
import { createLink, type LinkOptions } from './link/link.ts';
import { createOverrides, type OverrideInput, type Overrides } from './overrides.ts';
import type { AgentPlayer, InstantWait } from './playout/player.ts';
import { createRunner, type Scheduler } from './playout/runner.ts';
import type { AgentStore } from './state/store.ts';
import { type AgentStatus, agentHealth, agentStatus } from './status.ts';

export type { OverrideInput };

export interface AgentDeps {
  config: AgentConfig;
  clock: Clock;
  relay: Relay;
  player: AgentPlayer;
  store: AgentStore;
  log: Logger;
  /** For clip downloads; defaults to the global fetch. */
  fetch?: typeof fetch;
  /** Defaults to plain timers (playout/jobs.ts). */
  scheduler?: Scheduler;
  monotonic?: () => number;
  /** The last wait before a player's release; defaults to a plain timer (playout/player.ts, spinningWait). */
  instantWait?: InstantWait;
  link?: Partial<LinkOptions>;
  clipRetry?: ClipCacheDeps['retry'];
  /** How often clips still missing are fetched again after the bounded retries gave up (ms). */
  clipResyncMs?: number;
  /** Asks the system whether the clock is synchronised; defaults to chrony/timedatectl. */
  clockProbe?: ClockProbe;
  /** How often the relay watchdog looks (ms). */
  watchdogEveryMs?: number;
  thermalPath?: string;
}

export interface Agent {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Stores and plans a desired state if it is for this station and newer; returns whether it was applied. */
  applyDesired(state: DesiredState): boolean;
  /** Fetches every clip of the stored desired state; resolves when all are cached or have given up. */
  syncClips(): Promise<void>;
  status(): AgentStatus;
  health(): Health;
  /** Local overrides by ward staff (edge-agent/overrides.ts). */
  overrides: Pick<Overrides, 'list' | 'create' | 'cancel'>;
  /** Bulletins known at the station, newest first, with their state here. */
  alerts: Bulletins['list'];
  /** Declines a normal bulletin: a `skip` override on its entry. */
  declineAlert(alertId: string, by: string, reason: string): Override;
  /**
   * The timetable as the runner compiles it (with overrides and bulletins), entries starting in [from, to);
   * with `extra` overrides as if they were made (what a stop or an announcement would do, before it is).
   */
  timetable(from: Date, to: Date, extra?: Override[]): TimetableEntry[];
  /** Clips on the station that can be announced: the desired state's cached clips and local ones. */
  clips(): StationClip[];
  /** Moves a broadcast-ready file into the cache as a local clip; returns its ClipRef. */
  registerLocalClip(file: string, meta: { title: string; by: string; durationMs: number }): Promise<ClipRef>;
}

const MONTH = 30 * 24 * 3_600_000;

export function createAgent(deps: AgentDeps): Agent {
  const { config, clock, store, relay, log } = deps;
  const { stationId, dataDir } = config;
  const bus = createAgentBus(log);
  const trust = createClockTrust({
    mode: config.clockTrust,
    clock,
    log,
    probe: deps.clockProbe,
    onTrusted: () => bus.emit('clockTrusted'),
    ntp: config.ntpServer ? async () => (await sntpOffset(config.ntpServer)).offsetMs : undefined,
  });
  const clips = createClipCache({
    ...config,
    store,
    log,
    clock,
    fetch: deps.fetch,
    retry: deps.clipRetry,
    budgetBytes: config.clipCacheMB * 2 ** 20,
  });
  const stationClips = createStationClips({ dataDir, clock, store, log });
  const runner = createRunner({ ...deps, clips, bus, clockTrusted: () => trust.trusted });
  const clip = (id: string) => stationClips.ref(id);
  const overrides = createOverrides({ stationId, config, clock, store, log, bus, runner, clip });
  const fetchClip = (c: ClipRef, signal: AbortSignal) => clips.ensure(c, signal);
  const bulletins = createBulletins({ stationId, clock, store, log, bus, fetchClip });
  const desired = createDesired({ stationId, clock, store, log, bus });
  const sync = createClipSync({ clips, stationClips, store, bus, everyMs: deps.clipResyncMs });
  const startedAt = clock.now().getTime();
  const sources = () => ({ ...deps, runner, trust, link, startedAt });
  const health = () => agentHealth(sources());
  const options = { healthMs: config.healthIntervalSec * 1000, ...deps.link };
  const link = createLink({
    ...config,
    store,
    clock,
    log,
    bus,
    health,
    overrideReport: overrides.report,
    options,
  });
  let stopWatchdog = () => {};
  /** Besides its sound and tail, how long an entry may be on air: its warm-up, and an emergency's clip wait. */
  const onAirExtraMs = () => {
    const e = runner.inHand();
    const emergency = e?.source?.kind === 'alert' && e.source.level === 'emergency';
    const warmUp = Math.max(config.warmUpMs, ...Object.values(config.warmUpByLevel));
    return warmUp + (emergency ? config.emergencyClipWaitMs : 0);
  };

  return {
    async start() {
      const stored = store.getDesired();
      log.info(
        stored
          ? `starting from stored desired state v${stored.version}`
          : 'starting without a desired state; waiting for the controller',
      );
      // The first clock check decides whether the runner may plan at all.
      await trust.start();
      const monthAgo = new Date(clock.now().getTime() - MONTH).toISOString();
      store.pruneOverrides(monthAgo);
      store.pruneAlerts(monthAgo);
      // In this order, since the bus calls listeners in the order they came (the runner's first plan
      // is heard by the bulletins; a record is reported by the bulletins before the link sends it).
      desired.start();
      overrides.start();
      bulletins.start();
      runner.start();
      stopWatchdog = startRelayWatchdog({
        relay,
        log,
        monotonic: deps.monotonic,
        everyMs: deps.watchdogEveryMs,
        maxOnMs: () => runner.longestEntryMs() + onAirExtraMs() + config.tailMs + config.watchdogMarginMs,
        onTrip: (onForMs, limitMs) => bus.emit('relayTripped', { onForMs, limitMs }),
      });
      link.start();
      sync.start();
    },
    async stop() {
      const synced = sync.stop();
      bulletins.stop();
      stopWatchdog();
      trust.stop();
      await runner.stop();
      await link.stop();
      overrides.stop();
      desired.stop();
      await synced;
    },
    applyDesired: desired.apply,
    syncClips: sync.sync,
    overrides,
    alerts: bulletins.list,
    declineAlert: (alertId, by, reason) =>
      overrides.create({ kind: 'skip', entryId: alertEntryId(alertId), createdBy: by, reason }),
    timetable: (from, to, extra) => runner.timetable(from, to, extra),
    clips: () => stationClips.list(),
    registerLocalClip: (file, meta) => stationClips.register(file, meta),
    status: () => agentStatus(sources()),
    health,
  };
}
