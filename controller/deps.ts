// The controller's dependencies, passed as one typed object to every component.
import type { FfmpegPaths } from '../audio/index.ts';
import type { Clock } from '../common/clock.ts';
import type { Logger } from '../common/log.ts';
import type { Target } from '../schedules/model.ts';
import type { Backups } from './backup/service.ts';
import type { ControllerConfig } from './config.ts';
import type { Db } from './db.ts';
import type { LiveSessions } from './live/contract.ts';
import type { National } from './national/national.ts';
import type { Keyring } from './signing/keyring.ts';
import type { StreamService } from './stream/service.ts';

/**
 * What a change can reach: the stations named, those a target addresses (an area reaches every station
 * under it), and those whose desired state names a clip or whose slots play it. Absent: every station.
 */
export interface Reach {
  stations?: readonly string[];
  targets?: readonly Target[];
  clips?: readonly string[];
}

/** Recomputes the desired state of the stations a change reaches and publishes those that changed. */
export interface DesiredSync {
  sync(reach?: Reach): void;
  /** Every station's state published again (a signing key announced), when the sync can. */
  publishAll?(): void;
}

/** Live station connections at the embedded broker (absent with an external broker). */
export interface StationLinks {
  disconnect(stationId: string): void;
}

/** The controller's own MQTT publishing beyond desired states (bulletins); QoS 1. */
export interface MessageBus {
  /** An empty payload with `retain` clears the retained message on the topic. */
  publish(topic: string, payload: string, opts: { retain: boolean }): void;
  /** The protocol roots bulletins go out on (loa/v1, loa/v2/<province>); absent: v1 only. */
  readonly roots?: readonly string[];
}

export interface ControllerDeps {
  config: ControllerConfig;
  db: Db;
  clock: Clock;
  ffmpeg: FfmpegPaths;
  desired: DesiredSync;
  log: Logger;
  stationLinks?: StationLinks;
  /**
   * Absent when no MQTT link is wired (API-only tests): bulletins are then stored but go out only
   * when a link publishes what is active (at its connect).
   */
  bus?: MessageBus;
  /** Online backups (absent in tests that do not take any). */
  backups?: Backups;
  /** Live speech sessions (absent without a stream server: /api/live then answers 503). */
  live?: LiveSessions;
  /**
   * The stream server (listen and source URLs, listener counts), its relay pulls and the listener check's
   * gate; absent when there is none (ICECAST_PORT=off, icecast2 missing, tests without one).
   */
  stream?: StreamService;
  /** The controller's signing keys (controller/signing/); absent in tests that sign nothing. */
  signing?: Keyring;
  /** The national level (CONTROLLER_ROLE=national, docs/national.md): its outbox, readings and settings. */
  national?: National;
}
