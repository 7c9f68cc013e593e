// Piper (VITS) voices through sherpa-onnx (npm sherpa-onnx-node), offline, from a model directory as
// sherpa-onnx publishes Piper voices: one *.onnx model, tokens.txt, and espeak-ng-data/.
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { EngineError, type Region, type SpeechEngine, type Voice } from './types.ts';
import { writeWav } from './wav.ts';

/** The part of sherpa-onnx-node this adapter uses (its OfflineTts), passed in by whoever loads it. */
export interface SherpaOnnx {
  OfflineTts: {
    createAsync(config: object): Promise<SherpaTts>;
  };
}
interface SherpaTts {
  generateAsync(req: {
    text: string;
    sid: number;
    speed: number;
  }): Promise<{ samples: Float32Array; sampleRate: number }>;
}

export interface PiperOptions {
  modelDir: string;
  sherpa: SherpaOnnx;
  /** the region of the voice the model speaks (a model does not say) */
  region?: Region;
  gender?: Voice['gender'];
  numThreads?: number;
}

export interface PiperModel {
  name: string;
  model: string;
  tokens: string;
  dataDir: string;
}

/** The files of a Piper model directory, or an Error saying what is missing. */
export function piperModel(dir: string): PiperModel {
  const files = existsSync(dir) ? readdirSync(dir) : [];
  const onnx = files.filter((f) => f.endsWith('.onnx'));
  if (onnx.length !== 1)
    throw new Error(`${dir}: a Piper model directory holds exactly one .onnx model (found ${onnx.length})`);
  const model = onnx[0] as string;
  for (const need of ['tokens.txt', 'espeak-ng-data'])
    if (!files.includes(need))
      throw new Error(`${dir}: ${need} is missing (see docs/speech.md, "Piper voices")`);
  return {
    name: model.replace(/\.onnx$/, ''),
    model: path.join(dir, model),
    tokens: path.join(dir, 'tokens.txt'),
    dataDir: path.join(dir, 'espeak-ng-data'),
  };
}

export function piperEngine(opts: PiperOptions): SpeechEngine {
  const m = piperModel(opts.modelDir);
  const voice: Voice = {
    id: `piper:${m.name}`,
    engine: 'piper',
    engineVoice: m.name,
    region: opts.region ?? 'north',
    gender: opts.gender ?? 'female',
    label: { vi: `Piper, ${m.name}`, en: `Piper, ${m.name}` },
  };
  let tts: Promise<SherpaTts> | null = null;
  const load = () => {
    tts ??= opts.sherpa.OfflineTts.createAsync({
      model: {
        vits: { model: m.model, tokens: m.tokens, dataDir: m.dataDir },
        numThreads: opts.numThreads ?? 1,
        provider: 'cpu',
        debug: false,
      },
      maxNumSentences: 1,
    }).catch((e: Error) => {
      tts = null;
      throw new EngineError('unavailable', `the Piper model ${m.name} could not be loaded: ${e.message}`);
    });
    return tts;
  };
  return {
    id: 'piper',
    voices: () => [voice],
    async synthesize({ text, voice: name, speed, signal }) {
      if (name !== m.name) throw new EngineError('refused', `Piper has no voice '${name}'`);
      // the native generation cannot be stopped: past the deadline its answer is dropped
      const timeout = new Promise<never>((_, reject) => {
        const fail = () => reject(new EngineError('timeout', 'Piper took too long'));
        if (signal.aborted) fail();
        else signal.addEventListener('abort', fail, { once: true });
      });
      const audio = await Promise.race([
        load().then((t) => t.generateAsync({ text, sid: 0, speed })),
        timeout,
      ]);
      const data = Buffer.alloc(audio.samples.length * 2);
      for (let i = 0; i < audio.samples.length; i++)
        data.writeInt16LE(Math.round(Math.max(-1, Math.min(1, audio.samples[i] ?? 0)) * 32767), i * 2);
      return writeWav([
        { format: { audioFormat: 1, channels: 1, sampleRate: audio.sampleRate, bitsPerSample: 16 }, data },
      ]);
    },
  };
}
