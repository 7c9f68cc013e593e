// The controller's dependencies, passed as one typed object to every component.
import type { FfmpegPaths } from '../audio/index.ts';
import type { Clock } from '../common/clock.ts';
import type { Logger } from '../common/log.ts';
import type { ControllerConfig } from './config.ts';
import type { Db } from './db.ts';

/** Recomputes every station's desired state and publishes those that changed. */
export interface DesiredSync {
  sync(): void;
}

/** Live station connections at the embedded broker (absent with an external broker). */
export interface StationLinks {
  disconnect(stationId: string): void;
}

/** The controller's own MQTT publishing beyond desired states (bulletins); QoS 1. */
export interface MessageBus {
  /** An empty payload with `retain` clears the retained message on the topic. */
  publish(topic: string, payload: string, opts: { retain: boolean }): void;
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
}
