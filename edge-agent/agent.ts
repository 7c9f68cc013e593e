// Wires the edge agent together: MQTT link, clip cache and runner over one store, relay and player.
import type { DesiredState } from '../schedules/model.ts';
import type { Health } from '../schedules/protocol.ts';
import { type ClipCacheDeps, createClipCache } from './clips.ts';
import { type ClockProbe, createClockTrust } from './clock.ts';
import type { AgentConfig } from './config.ts';
import type { AgentPlayer, Clock, Logger } from './deps.ts';
import { systemMetrics } from './health.ts';
import { createLink, type LinkOptions } from './link.ts';
import { EntryAbort } from './playout.ts';
import type { Relay } from './relay.ts';
import { createRunner, type Scheduler } from './runner.ts';
import type { AgentStatus } from './status.ts';
import type { AgentStore } from './store.ts';
import { startRelayWatchdog } from './watchdog.ts';

export const AGENT_VERSION = '0.1.0';

export interface AgentDeps {
  config: AgentConfig;
  clock: Clock;
  relay: Relay;
  player: AgentPlayer;
  store: AgentStore;
  log: Logger;
  /** For clip downloads; defaults to the global fetch. */
  fetch?: typeof fetch;
  /** Defaults to node-schedule. */
  scheduler?: Scheduler;
  monotonic?: () => number;
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
}

export function createAgent(deps: AgentDeps): Agent {
  const { config, clock, store, relay, log } = deps;
  const startedAt = clock.now().getTime();
  let clipSync: Promise<void> | null = null;
  let resyncTimer: NodeJS.Timeout | null = null;
  let abort = new AbortController();
  let stopWatchdog = () => {};

  const trust = createClockTrust({
    mode: config.clockTrust,
    clock,
    log,
    probe: deps.clockProbe,
    onTrusted: () => {
      runner.replan('clock trusted');
      link.healthChanged();
    },
  });

  const clips = createClipCache({
    dataDir: config.dataDir,
    controllerUrl: config.controllerUrl,
    secret: config.secret,
    store,
    log,
    fetch: deps.fetch,
    retry: deps.clipRetry,
    clock,
    budgetBytes: config.clipCacheMB * 2 ** 20,
  });

  const runner = createRunner({
    config,
    clock,
    store,
    relay,
    player: deps.player,
    clips,
    log,
    scheduler: deps.scheduler,
    monotonic: deps.monotonic,
    clockTrusted: () => trust.trusted,
    onRecord: () => {
      link.flush();
      link.healthChanged();
    },
    onChange: () => link.healthChanged(),
  });

  const link = createLink({
    stationId: config.stationId,
    secret: config.secret,
    mqttUrl: config.mqttUrl,
    store,
    clock,
    log,
    onDesired: (state) => applyDesired(state),
    health: () => health(),
    options: { healthMs: config.healthIntervalSec * 1000, ...deps.link },
  });

  function health(): Health {
    return {
      at: clock.now().toISOString(),
      agentVersion: AGENT_VERSION,
      desiredVersion: store.desiredVersion(),
      relayOn: relay.on,
      playing: runner.status(0).playing,
      clockTrusted: trust.trusted,
      uptimeSec: Math.max(0, Math.round((clock.now().getTime() - startedAt) / 1000)),
      outboxLength: store.outboxLength(),
      relays: relay.lines(),
      relaySimulated: relay.simulated,
      clockOffsetMs: trust.offsetMs,
      ...systemMetrics({ dataDir: config.dataDir, thermalPath: deps.thermalPath }),
    };
  }

  function syncClips(): Promise<void> {
    if (clipSync) return clipSync;
    const sync: Promise<void> = (async () => {
      // every clip the stored state names (slots not yet over), the soonest needed first
      await clips.prefetch(store.getDesired(), abort.signal);
    })().finally(() => {
      if (clipSync === sync) clipSync = null;
    });
    clipSync = sync;
    return sync;
  }

  function applyDesired(state: DesiredState): boolean {
    if (state.station.id !== config.stationId) {
      log.warn(`desired state for station ${state.station.id} ignored`);
      return false;
    }
    if (!store.applyDesired(state, clock.now().toISOString())) return false;
    log.info(
      `desired state v${state.version} applied (${state.slots.length} slots, ${state.clips.length} clips)`,
    );
    runner.replan(`desired v${state.version}`);
    // A sync already running may be working from the previous state; chain a fresh one after it.
    const running = clipSync;
    void (running ? running.then(syncClips) : syncClips());
    link.healthChanged();
    return true;
  }

  return {
    async start() {
      abort = new AbortController();
      const desired = store.getDesired();
      log.info(
        desired
          ? `starting from stored desired state v${desired.version}`
          : 'starting without a desired state; waiting for the controller',
      );
      // The first clock check decides whether the runner may plan at all.
      await trust.start();
      runner.start();
      stopWatchdog = startRelayWatchdog({
        relay,
        log,
        monotonic: deps.monotonic,
        everyMs: deps.watchdogEveryMs,
        maxOnMs: () => runner.longestEntryMs() + config.warmUpMs + config.tailMs + config.watchdogMarginMs,
        onTrip: (onFor, limit) => {
          const detail = `relay on for ${Math.round(onFor / 1000)} s, longer than ${Math.round(limit / 1000)} s; switched off by the watchdog`;
          runner.abortPlaying(new EntryAbort('failed', 'watchdog', detail));
          link.healthChanged();
        },
      });
      link.start();
      void syncClips();
      resyncTimer = setInterval(() => void syncClips(), deps.clipResyncMs ?? 10 * 60_000);
    },
    async stop() {
      abort.abort(new Error('agent stopping'));
      stopWatchdog();
      trust.stop();
      if (resyncTimer) clearInterval(resyncTimer);
      resyncTimer = null;
      await runner.stop();
      await link.stop();
      await clipSync?.catch(() => {});
    },
    applyDesired,
    syncClips,
    status() {
      const s = runner.status(10);
      return {
        station: config.stationId,
        stationName: store.getDesired()?.station.name ?? null,
        relay: { on: relay.on },
        relays: relay.lines(),
        relaySimulated: relay.simulated,
        playing: s.playing,
        next: s.next,
        desiredVersion: store.desiredVersion(),
        clockTrusted: trust.trusted,
        clockOffsetMs: trust.offsetMs,
        online: link.connected,
        outboxLength: store.outboxLength(),
      };
    },
    health,
  };
}
