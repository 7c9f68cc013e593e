// Zalo AI text-to-speech ("Text to Audio Converter", zalo.ai/docs): a form POST with the key in the
// "apikey" header answers JSON {error_code, error_message, data: {url}}; the audio is fetched from that url.
import { splitText } from './chunks.ts';
import { bytesOf, call, type Fetch, jsonOf, pause } from './http.ts';
import { EngineError, type EngineFailure, namedVoice, type SpeechEngine, type Voice } from './types.ts';
import { readWav, writeWav } from './wav.ts';

export const ZALO_URL = 'https://api.zalo.ai/v1/tts/synthesize';
/** error_code 155: "Your input exceeds the allowed limit of 2000 characters". */
const MAX_CHARS = 2000;
/** encode_type: 0 WAV, 1 MP3, 2 AAC. */
const WAV = '0';

export interface ZaloOptions {
  apiKey: string;
  url?: string;
  /** how often the audio url is asked again while it answers 404 (not documented: see docs/speech.md) */
  pollMs?: number;
  fetch?: Fetch;
}

const zalo = (id: string, region: Voice['region'], gender: Voice['gender'], name: string) =>
  namedVoice('zalo', 'Zalo AI', id, region, gender, name);

/** The speakers the documentation lists (speaker_id 1-6; it gives them no names, only these). */
export const ZALO_VOICES: readonly Voice[] = [
  zalo('2', 'north', 'female', 'giọng nữ Bắc 1'),
  zalo('5', 'north', 'female', 'giọng nữ Bắc 2'),
  zalo('4', 'north', 'male', 'giọng nam Bắc'),
  zalo('1', 'south', 'female', 'giọng nữ Nam 1'),
  zalo('6', 'south', 'female', 'giọng nữ Nam 2'),
  zalo('3', 'south', 'male', 'giọng nam Nam'),
];

/** speed: "float value inside range [0.8, 1.2], larger is faster, default 1.0". */
export const zaloSpeed = (speed: number) => String(Math.max(0.8, Math.min(1.2, Math.round(speed * 10) / 10)));

/** The documented error codes, as the failures the fallback reads. */
function failureOf(code: number): EngineFailure {
  if (code === 401) return 'unauthorized';
  if (code >= 500) return 'unavailable';
  return 'refused'; // 150 invalid parameter, 155 too long, 400 wrong parameter, 413 "error occurred"
}

export function zaloEngine(opts: ZaloOptions): SpeechEngine {
  const url = opts.url ?? ZALO_URL;
  const fetcher = opts.fetch ?? fetch;
  const pollMs = opts.pollMs ?? 1000;

  async function piece(text: string, voice: string, speed: number, signal: AbortSignal): Promise<Buffer> {
    const res = await call('Zalo AI', fetcher, url, {
      method: 'POST',
      signal,
      headers: { apikey: opts.apiKey, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        input: text,
        speaker_id: voice,
        speed: zaloSpeed(speed),
        encode_type: WAV,
      }).toString(),
    });
    const answer = (await jsonOf('Zalo AI', res, signal)) as {
      error_code?: unknown;
      error_message?: unknown;
      data?: { url?: unknown } | unknown[];
    } | null;
    if (answer === null || typeof answer !== 'object' || typeof answer.error_code !== 'number')
      throw new EngineError('garbage', 'Zalo AI answered JSON without an "error_code"');
    if (answer.error_code !== 0)
      throw new EngineError(
        failureOf(answer.error_code),
        `Zalo AI refused (${answer.error_code}): ${String(answer.error_message ?? '').slice(0, 200)}`,
      );
    const data = answer.data as { url?: unknown } | undefined;
    const link = typeof data?.url === 'string' ? data.url : '';
    if (!/^https?:\/\//.test(link)) throw new EngineError('garbage', 'Zalo AI answered without an audio url');
    // "generated streaming url": whether it can answer 404 before the audio is ready is not documented;
    // it is asked again while it does, until the caller's time runs out
    for (;;) {
      const got = await fetcher(link, { signal, redirect: 'error' }).catch((e: Error) => {
        if (signal.aborted) throw new EngineError('timeout', 'Zalo AI took too long');
        throw new EngineError('unavailable', `Zalo AI's audio url could not be reached: ${e.message}`);
      });
      if (got.ok) return bytesOf('Zalo AI', got, signal);
      await got.body?.cancel();
      if (got.status !== 404)
        throw new EngineError('unavailable', `Zalo AI's audio url answered HTTP ${got.status}`);
      await pause('Zalo AI', pollMs, signal);
    }
  }

  return {
    id: 'zalo',
    voices: () => ZALO_VOICES,
    async synthesize({ text, voice, speed, signal }) {
      const parts = [];
      for (const chunk of splitText(text, MAX_CHARS))
        parts.push(readWav(await piece(chunk, voice, speed, signal), 'Zalo AI'));
      return writeWav(parts);
    },
  };
}
