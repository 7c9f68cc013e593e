// Viettel AI text-to-speech (viettelgroup.ai/document/tts): a JSON request with the token in a header,
// the WAV file as the answer (tts_return_option 2).
import { randomUUID } from 'node:crypto';
import { splitText } from './chunks.ts';
import { bytesOf, call, type Fetch } from './http.ts';
import { EngineError, namedVoice, type SpeechEngine, type Voice } from './types.ts';
import { readWav, writeWav } from './wav.ts';

export const VIETTEL_URL = 'https://viettelgroup.ai/voice/api/tts/v1/rest/syn';
/** The documentation names no limit: texts are sent in pieces of this size (see docs/speech.md). */
const MAX_CHARS = 2000;

export interface ViettelOptions {
  token: string;
  url?: string;
  fetch?: Fetch;
}

const viettel = (engineVoice: string, region: Voice['region'], gender: Voice['gender'], name: string) =>
  namedVoice('viettel', 'Viettel AI', engineVoice, region, gender, name);

/** The voices the documentation lists ("Giọng đọc hiện có"). */
export const VIETTEL_VOICES: readonly Voice[] = [
  viettel('hn-quynhanh', 'north', 'female', 'Quỳnh Anh'),
  viettel('doanngocle', 'north', 'female', 'Đoàn Ngọc Lê'),
  viettel('trinhthiviettrinh', 'north', 'female', 'Trịnh Thị Việt Trinh'),
  viettel('phamtienquan', 'north', 'male', 'Phạm Tiến Quân'),
  viettel('hue-maingoc', 'central', 'female', 'Mai Ngọc'),
  viettel('hue-baoquoc', 'central', 'male', 'Bảo Quốc'),
  viettel('lethiyen', 'south', 'female', 'Lê Thị Yến'),
  viettel('nguyenthithuyduyen', 'south', 'female', 'Nguyễn Thị Thùy Duyên'),
  viettel('hcm-minhquan', 'south', 'male', 'Minh Quân'),
];

export function viettelEngine(opts: ViettelOptions): SpeechEngine {
  const url = opts.url ?? VIETTEL_URL;
  const fetcher = opts.fetch ?? fetch;
  return {
    id: 'viettel',
    voices: () => VIETTEL_VOICES,
    async synthesize({ text, voice, speed, signal }) {
      const parts = [];
      for (const chunk of splitText(text, MAX_CHARS)) {
        const res = await call('Viettel AI', fetcher, url, {
          method: 'POST',
          signal,
          headers: { 'content-type': 'application/json', token: opts.token },
          body: JSON.stringify({
            text: chunk,
            voice,
            id: randomUUID(),
            without_filter: false,
            // "0.7 - 1.3"
            speed: Math.max(0.7, Math.min(1.3, Math.round(speed * 10) / 10)),
            tts_return_option: 2,
          }),
        });
        const type = res.headers.get('content-type') ?? '';
        const body = await bytesOf('Viettel AI', res, signal);
        // an error can come back as JSON with status 200
        if (type.includes('json'))
          throw new EngineError(
            'refused',
            `Viettel AI answered JSON, not audio: ${body.toString('utf8').slice(0, 200)}`,
          );
        parts.push(readWav(body, 'Viettel AI'));
      }
      return writeWav(parts);
    },
  };
}
