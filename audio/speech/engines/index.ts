// Speech engines behind one interface, and the speaker that falls back from one to the next.
export { ESPEAK_VOICES, type EspeakOptions, espeakEngine } from './espeak.ts';
export { FPT_URL, FPT_VOICES, type FptOptions, fptEngine, fptSpeed } from './fpt.ts';
export { type PiperModel, type PiperOptions, piperEngine, piperModel, type SherpaOnnx } from './piper.ts';
export { limitSpeaker, SpeechBusyError, type SpeechLimits } from './queue.ts';
export {
  createSpeaker,
  type Fallback,
  type Speaker,
  type SpeakerOptions,
  type SpeakRequest,
  SpeechFailedError,
  type Spoken,
  UnknownVoiceError,
} from './speaker.ts';
export {
  EngineError,
  type EngineFailure,
  FAILURE_TEXT,
  type Region,
  type SpeechEngine,
  type SynthesisRequest,
  type Voice,
} from './types.ts';
export { VIETTEL_URL, VIETTEL_VOICES, type ViettelOptions, viettelEngine } from './viettel.ts';
export { chime, durationMsOf, type Pcm, type PcmFormat, readWav, writeWav } from './wav.ts';
export { ZALO_URL, ZALO_VOICES, type ZaloOptions, zaloEngine, zaloSpeed } from './zalo.ts';
