// Wires the edge agent together: MQTT link, clip cache and runner over one store, relay and player.
import type { Alert, AlertState } from '../schedules/alerts.ts';
import type { ClipRef, DesiredState, TimetableEntry } from '../schedules/model.ts';
import type { Override } from '../schedules/overrides.ts';
import { alertFilters, type Health } from '../schedules/protocol.ts';
import { alertEntryId, createAlerts } from './alerts.ts';
import { type ClipCacheDeps, createClipCache } from './clips.ts';
import { type ClockProbe, createClockTrust } from './clock.ts';
import type { AgentConfig } from './config.ts';
import type { AgentPlayer, Clock, Logger } from './deps.ts';
import { systemMetrics } from './health.ts';
import { createLink, type LinkOptions } from './link.ts';
import { createOverrides, type OverrideInput, type Overrides } from './overrides.ts';
import { EntryAbort } from './playout.ts';
import type { Relay } from './relay.ts';
import { createRunner, type Scheduler } from './runner.ts';
import { createStationClips, type StationClip } from './station-clips.ts';
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
  /** Local overrides by ward staff (edge-agent/overrides.ts). */
  overrides: Pick<Overrides, 'list' | 'create' | 'cancel'>;
  /** Bulletins known at the station, newest first, with their state here. */
  alerts(): { alert: Alert; state: AlertState; at: string; reason: string | null; detail: string | null }[];
  /** Declines a normal bulletin: a `skip` override on its entry. */
  declineAlert(alertId: string, by: string, reason: string): Override;
  /** The timetable as the runner compiles it (with overrides and bulletins), entries starting in [from, to). */
  timetable(from: Date, to: Date): TimetableEntry[];
  /** Clips on the station that can be announced: the desired state's cached clips and local ones. */
  clips(): StationClip[];
  /** Moves a broadcast-ready file into the cache as a local clip; returns its ClipRef. */
  registerLocalClip(file: string, meta: { title: string; by: string; durationMs: number }): Promise<ClipRef>;
}

export type { OverrideInput };

const DAY = 24 * 3_600_000;

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

  const stationClips = createStationClips({ dataDir: config.dataDir, clock, store, log });

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
    onRecord: (r) => {
      alerts.onRecord(r);
      link.flush();
      link.healthChanged();
    },
    onChange: () => link.healthChanged(),
    overrides: () => overrides.list(),
    alerts: () => alerts.plans(),
    volumeAt: (at) => overrides.volumeAt(at),
    onAir: (e) => alerts.onAir(e),
    planned: (entries) => alerts.planned(entries),
  });

  const overrides = createOverrides({
    stationId: config.stationId,
    config,
    clock,
    store,
    onAir: () => runner.inHand(),
    entry: (id) =>
      runner.entry(id) ??
      runner.timetable(clock.now(), new Date(clock.now().getTime() + 2 * DAY)).find((e) => e.id === id) ??
      null,
    clip: (id) => stationClips.ref(id),
    announcementEntry: (o) =>
      runner
        .timetable(new Date(Date.parse(o.startsAt) - 1000), new Date(Date.parse(o.endsAt)), [o])
        .find((e) => e.id === `local:${o.id}`) ?? null,
    cut: (reason, detail) => runner.abortPlaying(new EntryAbort('interrupted', reason, detail)),
    changed: (o) => {
      runner.replan(`override ${o.id}`);
      link.overridesChanged();
      link.healthChanged();
    },
    log,
  });

  const alerts = createAlerts({
    stationId: config.stationId,
    clock,
    store,
    log,
    station: () => store.getDesired()?.station ?? null,
    fetchClip: (clip, signal) => clips.ensure(clip, signal ?? abort.signal),
    replan: (why) => runner.replan(why),
    cut: (entryId) => {
      if (runner.inHand()?.id === entryId)
        runner.abortPlaying(new EntryAbort('interrupted', 'cancelled', 'withdrawn by its sender'));
    },
    statusChanged: () => link.alertStatusChanged(),
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
    alertFilters: () => {
      const station = store.getDesired()?.station;
      return station ? alertFilters(station) : [];
    },
    onAlert: (topic, payload) => alerts.receive(topic, payload),
    alertStatuses: () => store.unsentAlertStatuses(config.stationId),
    alertStatusesSent: (statuses) => store.markAlertStatusesSent(statuses),
    overrideReport: () => overrides.report(),
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
      // every clip the stored state names (slots not yet over), the soonest needed first, bulletins' before
      await clips.prefetch(store.getDesired(), abort.signal, stationClips.prefetchMore());
      alerts.resume(abort.signal);
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
    const before = store.getDesired()?.station;
    if (!store.applyDesired(state, clock.now().toISOString())) return false;
    for (const id of state.cancelledOverrides ?? []) {
      const o = store.getOverride(id);
      if (o && o.cancelledAt === null && Date.parse(o.endsAt) > clock.now().getTime())
        overrides.cancel(id, 'controller');
    }
    if (before?.district !== state.station.district || before?.ward !== state.station.ward)
      link.alertFiltersChanged();
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
      const monthAgo = new Date(clock.now().getTime() - 30 * DAY).toISOString();
      store.pruneOverrides(monthAgo);
      store.pruneAlerts(monthAgo);
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
    overrides,
    alerts() {
      return store.alertsSince(new Date(clock.now().getTime() - 7 * DAY).toISOString()).map((a) => ({
        alert: a.alert,
        state: a.state,
        at: a.stateAt,
        reason: a.reason,
        detail: a.detail,
      }));
    },
    declineAlert(alertId, by, reason) {
      return overrides.create({ kind: 'skip', entryId: alertEntryId(alertId), createdBy: by, reason });
    },
    timetable: (from, to) => runner.timetable(from, to),
    clips: () => stationClips.list(),
    registerLocalClip: (file, meta) => stationClips.register(file, meta),
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
