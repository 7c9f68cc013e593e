// Wires the edge agent together: MQTT link, clip cache and runner over one store, relay and player.
import { rename, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { sha256File } from '../audio/broadcast.ts';
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
  clips(): { id: string; title: string | null; durationMs: number; local: boolean }[];
  /** Moves a broadcast-ready file into the cache as a local clip; returns its ClipRef. */
  registerLocalClip(file: string, meta: { title: string; by: string; durationMs: number }): Promise<ClipRef>;
}

export type { OverrideInput };

const DAY = 24 * 3_600_000;
const SILENCE = { stop: 'stopped', pause: 'paused', quiet: 'local quiet window' } as const;

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
    onRecord: (r) => {
      alerts.onRecord(r);
      link.flush();
      link.healthChanged();
    },
    onChange: () => link.healthChanged(),
    overrides: () => overrides.list(),
    alerts: () => alertPlans(),
    volumeAt: (at) => overrides.volumeAt(at),
    onAir: (e) => alerts.onAir(e),
    planned: (entries) => alerts.planned(entries),
  });

  const isEmergency = (e: TimetableEntry | null) =>
    e?.source?.kind === 'alert' && e.source.level === 'emergency';

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
    clip: (id) => clipRef(id),
    announcementEntry: (o) =>
      runner
        .timetable(new Date(Date.parse(o.startsAt) - 1000), new Date(Date.parse(o.endsAt)), [o])
        .find((e) => e.id === `local:${o.id}`) ?? null,
    changed: (o) => {
      const now = clock.now().getTime();
      const silence = o.kind === 'stop' || o.kind === 'pause' || o.kind === 'quiet';
      const inForce = o.cancelledAt === null && Date.parse(o.startsAt) <= now && now < Date.parse(o.endsAt);
      const held = runner.inHand();
      if (silence && inForce && held && !isEmergency(held)) {
        const detail = `${SILENCE[o.kind as keyof typeof SILENCE]} by ${o.createdBy}: ${o.reason}`;
        runner.abortPlaying(new EntryAbort('interrupted', `local-${o.kind}`, detail));
      }
      log.info(
        `override ${o.id} (${o.kind}) ${o.cancelledAt ? `cancelled by ${o.cancelledBy}` : `by ${o.createdBy}`}`,
      );
      runner.replan(`override ${o.id}`);
      link.overridesChanged();
      link.healthChanged();
    },
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

  /**
   * Bulletins for the timetable. An emergency plays the moment its clip is on the station, so until then
   * it is left out (it would cut what plays for a clip it does not have) - unless it can no longer play.
   */
  function alertPlans() {
    const now = clock.now().getTime();
    return store
      .alertPlans(new Date(now - 2 * DAY).toISOString())
      .filter(
        (p) =>
          p.alert.level !== 'emergency' ||
          p.readyAt ||
          p.alert.cancelledAt ||
          Date.parse(p.alert.expiresAt) <= now,
      );
  }

  /** A clip the station can play: the desired state's, a bulletin's, or one recorded here. */
  function clipRef(id: string): ClipRef | null {
    const known = store.getDesired()?.clips.find((c) => c.id === id);
    if (known) return known;
    const row = store.getClip(id);
    const local = store.localClips().find((c) => c.id === id);
    return row && local ? { id, sha256: row.sha256, bytes: row.bytes, durationMs: local.durationMs } : null;
  }

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
      // every clip the stored state names (slots not yet over), the soonest needed first; bulletins' clips
      // first of all; recordings made here are never evicted while they are a week old or less
      const since = new Date(clock.now().getTime() - 7 * DAY).toISOString();
      const fetch = store
        .alertsSince(new Date(clock.now().getTime() - DAY).toISOString())
        .filter((a) => Date.parse(a.alert.expiresAt) > clock.now().getTime())
        .map((a) => a.alert.clip);
      const keep = store
        .localClips()
        .filter((c) => c.createdAt >= since)
        .flatMap((c) => store.getClip(c.id)?.sha256 ?? []);
      await clips.prefetch(store.getDesired(), abort.signal, { fetch, keep });
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
    clips() {
      const desired = (store.getDesired()?.clips ?? [])
        .filter((c) => store.getClip(c.id)?.sha256 === c.sha256)
        .map((c) => ({ id: c.id, title: null, durationMs: c.durationMs, local: false }));
      const local = store
        .localClips()
        .filter((c) => store.getClip(c.id))
        .map((c) => ({ id: c.id, title: c.title, durationMs: c.durationMs, local: true }));
      return [...local, ...desired];
    },
    async registerLocalClip(file, meta) {
      const sha256 = await sha256File(file);
      const path = join(config.dataDir, 'clips', `${sha256}.opus`);
      await rename(file, path);
      const { size: bytes } = await stat(path);
      const id = `local-${sha256.slice(0, 16)}`;
      const now = clock.now().toISOString();
      store.putClip({ id, sha256, path, bytes, fetchedAt: now });
      store.putLocalClip({
        id,
        title: meta.title,
        durationMs: meta.durationMs,
        createdBy: meta.by,
        createdAt: now,
      });
      log.info(`local clip ${id} (${Math.round(meta.durationMs / 1000)} s) from ${meta.by}: ${meta.title}`);
      return { id, sha256, bytes, durationMs: meta.durationMs };
    },
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
