// Piper voices through sherpa-onnx. This machine cannot download a model and has no tool to build a
// VITS one (no onnx or torch for Python), so speech is tested only where a model is given
// (TTS_PIPER_TEST_MODEL_DIR, with sherpa-onnx-node installed); the model directory checks run everywhere.
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { piperEngine, piperModel, type SherpaOnnx } from '../../../../audio/speech/engines/index.ts';
import { durationMsOf, readWav } from '../../../../audio/speech/engines/wav.ts';
import { tempDir } from '../../../support/temp.ts';

const tmp = tempDir('piper');
afterAll(() => tmp.cleanup());

function sherpa(): SherpaOnnx | null {
  try {
    return createRequire(import.meta.url)('sherpa-onnx-node') as SherpaOnnx;
  } catch {
    return null;
  }
}

describe('a Piper model directory', () => {
  it('holds one .onnx model, tokens.txt and espeak-ng-data/', () => {
    const dir = path.join(tmp.dir, 'vi_VN-test');
    mkdirSync(dir);
    expect(() => piperModel(dir)).toThrow(/exactly one \.onnx model \(found 0\)/);
    writeFileSync(path.join(dir, 'vi_VN-test.onnx'), '');
    expect(() => piperModel(dir)).toThrow(/tokens\.txt is missing/);
    writeFileSync(path.join(dir, 'tokens.txt'), '');
    expect(() => piperModel(dir)).toThrow(/espeak-ng-data is missing/);
    mkdirSync(path.join(dir, 'espeak-ng-data'));
    expect(piperModel(dir)).toMatchObject({ name: 'vi_VN-test', model: path.join(dir, 'vi_VN-test.onnx') });
    expect(() => piperModel(path.join(tmp.dir, 'none'))).toThrow(/found 0/);
  });
});

const modelDir = process.env.TTS_PIPER_TEST_MODEL_DIR;
const loaded = sherpa();
describe.skipIf(!modelDir || !loaded)(
  'Piper speech (skipped: needs TTS_PIPER_TEST_MODEL_DIR with a Vietnamese Piper model and sherpa-onnx-node installed; this machine can neither download nor build one)',
  () => {
    it('speaks Vietnamese into a WAV of a plausible length', async () => {
      const engine = piperEngine({ modelDir: modelDir as string, sherpa: loaded as SherpaOnnx });
      const [voice] = engine.voices();
      const wav = await engine.synthesize({
        text: 'Ủy ban nhân dân phường thông báo lịch tiêm chủng.',
        voice: voice?.engineVoice as string,
        speed: 1,
        signal: AbortSignal.timeout(60_000),
      });
      const ms = durationMsOf(readWav(wav));
      expect(ms).toBeGreaterThan(11 * 100);
      expect(ms).toBeLessThan(11 * 600);
    });
  },
);
