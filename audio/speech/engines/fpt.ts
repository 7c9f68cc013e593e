// FPT.AI text-to-speech, API v5 (docs.fpt.ai, "FPT.AI Speech - Text to Speech"): the text as the body,
// the key and the voice in headers, a JSON answer with an "async" link where the audio appears later.
import { splitText } from './chunks.ts';
import { bytesOf, call, type Fetch, jsonOf, pause } from './http.ts';
import { EngineError, namedVoice, type SpeechEngine, type Voice } from './types.ts';
import { readWav, writeWav } from './wav.ts';

export const FPT_URL = 'https://api.fpt.ai/hmi/tts/v5';
/** "Limit per request: 5.000 characters"; "Body must have at least 3 characters". */
const MAX_CHARS = 5000;
const MIN_CHARS = 3;

export interface FptOptions {
  apiKey: string;
  url?: string;
  /** how often the async link is asked for while the audio is not there yet */
  pollMs?: number;
  fetch?: Fetch;
}

const fpt = (engineVoice: string, region: Voice['region'], gender: Voice['gender'], name: string) =>
  namedVoice('fpt', 'FPT.AI', engineVoice, region, gender, name);

/** The voices the v5 documentation lists. */
export const FPT_VOICES: readonly Voice[] = [
  fpt('banmai', 'north', 'female', 'Ban Mai'),
  fpt('thuminh', 'north', 'female', 'Thu Minh'),
  fpt('leminh', 'north', 'male', 'Lê Minh'),
  fpt('myan', 'central', 'female', 'Mỹ An'),
  fpt('giahuy', 'central', 'male', 'Gia Huy'),
  fpt('lannhi', 'south', 'female', 'Lan Nhi'),
  fpt('linhsan', 'south', 'female', 'Linh San'),
];

/** Speed as FPT.AI takes it: whole steps from -3 (slowest) to +3 (fastest), 0 normal. */
export const fptSpeed = (speed: number) => String(Math.max(-3, Math.min(3, Math.round((speed - 1) * 10))));

export function fptEngine(opts: FptOptions): SpeechEngine {
  const url = opts.url ?? FPT_URL;
  const fetcher = opts.fetch ?? fetch;
  const pollMs = opts.pollMs ?? 1000;

  async function piece(text: string, voice: string, speed: number, signal: AbortSignal): Promise<Buffer> {
    const res = await call('FPT.AI', fetcher, url, {
      method: 'POST',
      signal,
      // the table names the header api_key, the samples api-key: both are sent
      headers: {
        'api-key': opts.apiKey,
        api_key: opts.apiKey,
        voice,
        speed: fptSpeed(speed),
        format: 'wav',
        'content-type': 'text/plain; charset=utf-8',
      },
      body: text.length < MIN_CHARS ? `${text}...`.slice(0, MIN_CHARS) : text,
    });
    const answer = (await jsonOf('FPT.AI', res, signal)) as {
      error?: unknown;
      async?: unknown;
      message?: unknown;
    };
    if (answer === null || typeof answer !== 'object')
      throw new EngineError('garbage', 'FPT.AI answered JSON without an "error" field');
    if (answer.error !== 0)
      throw new EngineError(
        'refused',
        `FPT.AI refused: ${String(answer.message ?? answer.error).slice(0, 200)}`,
      );
    const link = typeof answer.async === 'string' ? answer.async : '';
    if (!/^https?:\/\//.test(link))
      throw new EngineError('garbage', 'FPT.AI answered without an "async" link');
    // "this file may not exist right at the time of response. Waiting time will be from 5 seconds to
    // 2 minutes": asked again until it is there or the caller's time runs out
    for (;;) {
      const got = await fetcher(link, { signal, redirect: 'error' }).catch((e: Error) => {
        if (signal.aborted) throw new EngineError('timeout', 'FPT.AI took too long');
        throw new EngineError('unavailable', `FPT.AI's audio link could not be reached: ${e.message}`);
      });
      if (got.ok) return bytesOf('FPT.AI', got, signal);
      await got.body?.cancel();
      if (got.status !== 404 && got.status !== 403)
        throw new EngineError('unavailable', `FPT.AI's audio link answered HTTP ${got.status}`);
      await pause('FPT.AI', pollMs, signal);
    }
  }

  return {
    id: 'fpt',
    voices: () => FPT_VOICES,
    async synthesize({ text, voice, speed, signal }) {
      const parts = [];
      for (const chunk of splitText(text, MAX_CHARS))
        parts.push(readWav(await piece(chunk, voice, speed, signal), 'FPT.AI'));
      return writeWav(parts);
    },
  };
}
