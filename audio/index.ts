// Public audio API: everything outside audio/ imports from here, never fluent-ffmpeg or ffmpeg directly.
export {
  BROADCAST_FORMAT,
  sha256File,
  type TranscodeOptions,
  type TranscodeResult,
  transcodeForBroadcast,
} from './broadcast.ts';
export { AudioError, type AudioErrorCode, type FfmpegPaths, resolveFfmpeg } from './ffmpeg.ts';
export {
  type AudioOutput,
  createPlayer,
  type Player,
  type PlayOptions,
  type PlayResult,
  parseAudioOutput,
} from './player.ts';
export { type ProbeOptions, type ProbeResult, probeAudio } from './probe.ts';
