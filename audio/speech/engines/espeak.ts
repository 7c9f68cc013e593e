// espeak-ng: the offline engine that is always there (Debian package espeak-ng), run without a shell.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { EngineError, type SpeechEngine, type Voice } from './types.ts';

export interface EspeakOptions {
  /** the program; default `espeak-ng` on PATH */
  binary?: string;
  /** where its working files go; default the system's temp folder */
  tmpDir?: string;
}

/** espeak-ng's pace at speed 1, in words a minute (its own default is 175, quick for Vietnamese). */
const BASE_WPM = 160;

const voice = (engineVoice: string, region: Voice['region'], vi: string, en: string): Voice => ({
  id: `espeak-ng:${engineVoice}`,
  engine: 'espeak-ng',
  engineVoice,
  region,
  gender: 'male',
  label: { vi: `espeak-ng, ${vi}`, en: `espeak-ng, ${en}` },
});

/** The Vietnamese voices of espeak-ng 1.51+ (`espeak-ng --voices=vi`). */
export const ESPEAK_VOICES: readonly Voice[] = [
  voice('vi', 'north', 'giọng miền Bắc', 'northern voice'),
  voice('vi-vn-x-central', 'central', 'giọng miền Trung', 'central voice'),
  voice('vi-vn-x-south', 'south', 'giọng miền Nam', 'southern voice'),
];

export function espeakEngine(opts: EspeakOptions = {}): SpeechEngine {
  const binary = opts.binary ?? 'espeak-ng';
  return {
    id: 'espeak-ng',
    voices: () => ESPEAK_VOICES,
    async synthesize({ text, voice, speed, signal }) {
      if (!ESPEAK_VOICES.some((v) => v.engineVoice === voice))
        throw new EngineError('refused', `espeak-ng has no voice '${voice}'`);
      const dir = await mkdtemp(path.join(opts.tmpDir ?? os.tmpdir(), 'espeak-'));
      try {
        const input = path.join(dir, 'text.txt');
        const output = path.join(dir, 'speech.wav');
        await writeFile(input, text, 'utf8');
        const wpm = String(Math.round(Math.min(450, Math.max(80, BASE_WPM * speed))));
        // -b 1: the text file is UTF-8; -f: read it (never the text as an argument); -w: write a WAV file
        const args = ['-v', voice, '-s', wpm, '-b', '1', '-f', input, '-w', output];
        await new Promise<void>((resolve, reject) => {
          execFile(
            binary,
            args,
            { signal, killSignal: 'SIGKILL', maxBuffer: 1 << 20 },
            (err, _out, stderr) => {
              if (!err) return resolve();
              if (signal.aborted) return reject(new EngineError('timeout', 'espeak-ng took too long'));
              const why =
                (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'not installed' : String(stderr).trim();
              reject(new EngineError('unavailable', `espeak-ng failed: ${why || err.message}`.slice(0, 300)));
            },
          );
        });
        return await readFile(output);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}
