// Public audio API: everything outside audio/ imports from here, never fluent-ffmpeg or ffmpeg directly.
export { type FfmpegPaths, resolveFfmpeg } from './binaries.ts';
export {
  BROADCAST_FORMAT,
  type TranscodeOptions,
  type TranscodeResult,
  transcodeForBroadcast,
} from './broadcast.ts';
export { AudioError, type AudioErrorCode } from './ffmpeg.ts';
export { type Output as PlaybackOutput, sinkOutput } from './playback.ts';
export {
  type AudioOutput,
  createPlayer,
  type Player,
  type PlayerOptions,
  type PlayOptions,
  type PlayResult,
  type PreparedPlay,
  type PrepareOptions,
  parseAudioOutput,
  type Started,
  type StartOptions,
} from './player.ts';
export { type ProbeOptions, type ProbeResult, probeAudio } from './probe.ts';
export { type Refusal, refusalOf, refusalStatus, refusalVi } from './refusal.ts';
export * as speechEngines from './speech/engines/index.ts';
export * as speech from './speech/normalise/index.ts';
export type { StreamCredentials } from './stream/connect.ts';
export { type LiveRemux, type LiveRemuxOptions, startLiveRemux } from './stream/live-remux.ts';
export {
  DEFAULT_RELAY_LIMITS,
  type PreparedRelay,
  playRelay,
  prepareRelay,
  type RelayDeps,
  type RelayEvent,
  type RelayLimits,
  type RelayOptions,
  type RelayResult,
  type RelayWhy,
} from './stream/relay.ts';
