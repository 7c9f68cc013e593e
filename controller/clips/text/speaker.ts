// The controller's speaker: the engines TTS_ENGINES names, in its order, built once at start, behind
// the limit on texts spoken at once.
import { createRequire } from 'node:module';
import { speechEngines } from '../../../audio/index.ts';
import type { TtsEngineName, TtsSettings } from '../../config.ts';

/**
 * sherpa-onnx-node, loaded only when a Piper model is configured (it is an optional dependency: 32 MB
 * of native code most controllers do not need). Not installed: the controller does not start.
 */
function loadSherpa(): speechEngines.SherpaOnnx {
  try {
    return createRequire(import.meta.url)('sherpa-onnx-node') as speechEngines.SherpaOnnx;
  } catch (e) {
    throw new Error(
      `TTS_PIPER_MODEL_DIR is set but the package sherpa-onnx-node cannot be loaded (npm install sherpa-onnx-node): ${(e as Error).message}`,
    );
  }
}

export function speakerOf(tts: TtsSettings, tmpDir: string): speechEngines.Speaker {
  const make = (name: TtsEngineName): speechEngines.SpeechEngine => {
    if (name === 'fpt' && tts.fpt)
      return speechEngines.fptEngine({ apiKey: tts.fpt.apiKey, url: tts.fpt.url });
    if (name === 'zalo' && tts.zalo)
      return speechEngines.zaloEngine({ apiKey: tts.zalo.apiKey, url: tts.zalo.url });
    if (name === 'viettel' && tts.viettel)
      return speechEngines.viettelEngine({ token: tts.viettel.token, url: tts.viettel.url });
    if (name === 'piper' && tts.piper)
      return speechEngines.piperEngine({
        modelDir: tts.piper.modelDir,
        region: tts.piper.region,
        sherpa: loadSherpa(),
      });
    return speechEngines.espeakEngine({ binary: tts.espeakBinary, tmpDir });
  };
  // at most TTS_PARALLEL texts spoken at once, TTS_QUEUE waiting; one more is refused (503)
  return speechEngines.limitSpeaker(
    speechEngines.createSpeaker({ engines: tts.engines.map(make), timeoutMs: tts.timeoutMs }),
    tts.limits,
  );
}
