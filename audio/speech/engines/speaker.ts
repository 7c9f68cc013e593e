// The engines in the configured order: a voice's own engine speaks first; when it fails (error,
// timeout, garbage), the next engine speaks with its nearest voice, and the answer says so.
import { EngineError, type EngineFailure, type SpeechEngine, type Voice } from './types.ts';
import { durationMsOf, readWav, withChimes, writeWav } from './wav.ts';

/** An engine that did not speak, and why. */
export interface Fallback {
  engine: string;
  voice: string;
  code: EngineFailure;
  message: string;
}

export interface Spoken {
  /** a WAV file: the speech, with its chimes */
  wav: Buffer;
  durationMs: number;
  /** the voice asked for */
  asked: Voice;
  /** the voice that spoke: `asked`, or another engine's after a fallback */
  spokenBy: Voice;
  /** the engines that failed before `spokenBy` spoke, in order */
  fallbacks: Fallback[];
}

export interface SpeakRequest {
  text: string;
  voice: string;
  speed: number;
  chime?: { before: boolean; after: boolean };
}

export interface Speaker {
  voices(): Voice[];
  findVoice(id: string): Voice | undefined;
  /** Throws UnknownVoiceError, or SpeechFailedError once every engine has failed. */
  speak(req: SpeakRequest): Promise<Spoken>;
}

export class UnknownVoiceError extends Error {
  constructor(readonly voice: string) {
    super(`there is no voice '${voice}'`);
    this.name = 'UnknownVoiceError';
  }
}

export class SpeechFailedError extends Error {
  constructor(readonly attempts: Fallback[]) {
    super(`no engine could speak the text: ${attempts.map((a) => `${a.engine}: ${a.message}`).join('; ')}`);
    this.name = 'SpeechFailedError';
  }
}

/** The voice of `engine` nearest to `asked`: same region and gender, else same region, else its first. */
function nearest(engine: SpeechEngine, asked: Voice): Voice | undefined {
  const vs = engine.voices();
  return (
    vs.find((v) => v.region === asked.region && v.gender === asked.gender) ??
    vs.find((v) => v.region === asked.region) ??
    vs[0]
  );
}

export interface SpeakerOptions {
  /** in the order they are tried after the asked voice's own engine */
  engines: readonly SpeechEngine[];
  /** one engine's time for one text, before the next is tried */
  timeoutMs: number;
}

export function createSpeaker({ engines, timeoutMs }: SpeakerOptions): Speaker {
  const voices = () => engines.flatMap((e) => e.voices());
  const findVoice = (id: string) => voices().find((v) => v.id === id);
  return {
    voices,
    findVoice,
    async speak({ text, voice, speed, chime }) {
      const asked = findVoice(voice);
      if (!asked) throw new UnknownVoiceError(voice);
      const own = engines.find((e) => e.id === asked.engine);
      const order = [own, ...engines.filter((e) => e !== own)].filter((e): e is SpeechEngine => !!e);
      const fallbacks: Fallback[] = [];
      for (const engine of order) {
        const v = engine === own ? asked : nearest(engine, asked);
        if (!v) continue;
        try {
          const signal = AbortSignal.timeout(timeoutMs);
          const pcm = readWav(
            await engine.synthesize({ text, voice: v.engineVoice, speed, signal }),
            engine.id,
          );
          const parts = withChimes(pcm, chime ?? { before: false, after: false });
          const wav = writeWav(parts);
          return {
            wav,
            durationMs: parts.reduce((n, p) => n + durationMsOf(p), 0),
            asked,
            spokenBy: v,
            fallbacks,
          };
        } catch (e) {
          const err = e instanceof EngineError ? e : new EngineError('unavailable', (e as Error).message);
          fallbacks.push({
            engine: engine.id,
            voice: v.id,
            code: err.code,
            message: err.message.slice(0, 300),
          });
        }
      }
      throw new SpeechFailedError(fallbacks);
    },
  };
}
