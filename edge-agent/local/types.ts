// What the local page needs from the agent core (edge-agent/agent.ts) and the rest of the station.
import type { FfmpegPaths } from '../../audio/index.ts';
import type { Clock } from '../../common/clock.ts';
import type { Logger } from '../../common/log.ts';
import type { Agent } from '../agent.ts';
import type { AgentConfig } from '../config/config.ts';

export type { StationClip } from '../clips/station.ts';
export type { OverrideInput as OverrideRequest } from '../overrides.ts';

/** A bulletin as the station holds it, with its state here. */
export type AlertAtStation = ReturnType<Agent['alerts']>[number];

/** The part of the Agent the local page drives (the Agent returned by createAgent has all of it). */
export type LocalAgent = Pick<
  Agent,
  'status' | 'overrides' | 'alerts' | 'declineAlert' | 'timetable' | 'clips' | 'registerLocalClip'
>;

export interface LocalDeps {
  agent: LocalAgent;
  config: AgentConfig;
  clock: Clock;
  log: Logger;
  ffmpeg: FfmpegPaths;
  /** The station's time zone (config, else the desired state's, else Asia/Ho_Chi_Minh). */
  timezone(): string;
  /** The province's abbreviations for speech, if the desired state carries them (`speechDictionary`). */
  speechDictionary?(): unknown;
  /** Session lifetime; default 12 h. */
  sessionTtlMs?: number;
}
