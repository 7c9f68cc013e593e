// RIFF/WAVE bytes: checked (an engine's answer is speech or it is garbage), joined, and a chime made.
import { EngineError } from './types.ts';

export interface PcmFormat {
  /** 1: integer PCM; 3: IEEE float */
  audioFormat: 1 | 3;
  channels: number;
  sampleRate: number;
  bitsPerSample: number;
}

export interface Pcm {
  format: PcmFormat;
  data: Buffer;
}

/** Shorter than this is not speech of a text that had something to read. */
const MIN_SPEECH_MS = 100;

const garbage = (engine: string, why: string) =>
  new EngineError('garbage', `${engine} answered something that is not a WAV file: ${why}`);

/**
 * The PCM inside a WAV file, or an EngineError "garbage". A data size past the end (engines that
 * stream write 0xFFFFFFFF or 0) is read as "to the end of the file".
 */
export function readWav(buf: Buffer, engine = 'the engine'): Pcm {
  if (buf.length < 44 || buf.toString('latin1', 0, 4) !== 'RIFF' || buf.toString('latin1', 8, 12) !== 'WAVE')
    throw garbage(engine, `no RIFF/WAVE header (${buf.length} bytes)`);
  let format: PcmFormat | null = null;
  for (let at = 12; at + 8 <= buf.length; ) {
    const id = buf.toString('latin1', at, at + 4);
    const size = buf.readUInt32LE(at + 4);
    const body = at + 8;
    if (id === 'fmt ') {
      const audioFormat = buf.readUInt16LE(body);
      const extensible = audioFormat === 0xfffe && size >= 26 ? buf.readUInt16LE(body + 24) : audioFormat;
      if (extensible !== 1 && extensible !== 3) throw garbage(engine, `not PCM (format ${audioFormat})`);
      format = {
        audioFormat: extensible,
        channels: buf.readUInt16LE(body + 2),
        sampleRate: buf.readUInt32LE(body + 4),
        bitsPerSample: buf.readUInt16LE(body + 14),
      };
      if (!format.channels || !format.sampleRate || format.bitsPerSample % 8 !== 0 || !format.bitsPerSample)
        throw garbage(engine, 'an impossible sample format');
    } else if (id === 'data') {
      if (!format) throw garbage(engine, 'data before its format');
      const end = size === 0 || body + size > buf.length ? buf.length : body + size;
      const frame = format.channels * (format.bitsPerSample / 8);
      const data = buf.subarray(body, end - ((end - body) % frame));
      if ((data.length / frame / format.sampleRate) * 1000 < MIN_SPEECH_MS)
        throw garbage(engine, 'no sound in it');
      return { format, data };
    }
    at = body + size + (size % 2);
  }
  throw garbage(engine, 'no data chunk');
}

export const durationMsOf = (p: Pcm) =>
  Math.round(
    (p.data.length / (p.format.channels * (p.format.bitsPerSample / 8)) / p.format.sampleRate) * 1000,
  );

const sameFormat = (a: PcmFormat, b: PcmFormat) =>
  a.audioFormat === b.audioFormat &&
  a.channels === b.channels &&
  a.sampleRate === b.sampleRate &&
  a.bitsPerSample === b.bitsPerSample;

/** One WAV file of the parts, in order; they must share one format (one engine, one voice). */
export function writeWav(parts: readonly Pcm[]): Buffer {
  const first = parts[0];
  if (!first) throw new Error('writeWav: nothing to write');
  if (parts.some((p) => !sameFormat(p.format, first.format)))
    throw new EngineError('garbage', 'the parts of the speech came back in different sample formats');
  const f = first.format;
  const size = parts.reduce((n, p) => n + p.data.length, 0);
  const head = Buffer.alloc(44);
  head.write('RIFF', 0, 'latin1');
  head.writeUInt32LE(36 + size, 4);
  head.write('WAVEfmt ', 8, 'latin1');
  head.writeUInt32LE(16, 16);
  head.writeUInt16LE(f.audioFormat, 20);
  head.writeUInt16LE(f.channels, 22);
  head.writeUInt32LE(f.sampleRate, 24);
  const block = f.channels * (f.bitsPerSample / 8);
  head.writeUInt32LE(f.sampleRate * block, 28);
  head.writeUInt16LE(block, 32);
  head.writeUInt16LE(f.bitsPerSample, 34);
  head.write('data', 36, 'latin1');
  head.writeUInt32LE(size, 40);
  return Buffer.concat([head, ...parts.map((p) => p.data)]);
}

/** Silence of `ms` in `format`. */
export const silence = (format: PcmFormat, ms: number): Pcm => {
  const frames = Math.round((format.sampleRate * ms) / 1000);
  return { format, data: Buffer.alloc(frames * format.channels * (format.bitsPerSample / 8)) };
};

/**
 * The chime that opens or closes a notice: two soft bell tones (G5 then E5, "ding-dong") with a
 * decaying envelope, then a pause, made in the speech's own format so the two join as one file.
 * Only 16-bit integer PCM (what espeak-ng and the cloud engines' WAV answers use).
 */
export function chime(format: PcmFormat): Pcm {
  if (format.audioFormat !== 1 || format.bitsPerSample !== 16)
    throw new EngineError('garbage', 'a chime needs 16-bit PCM speech');
  const rate = format.sampleRate;
  const toneS = 0.6;
  const tones = [784, 659];
  const frames = Math.round(rate * toneS) * tones.length;
  const data = Buffer.alloc(frames * format.channels * 2);
  let i = 0;
  for (const hz of tones) {
    const n = Math.round(rate * toneS);
    for (let k = 0; k < n; k++, i++) {
      const t = k / rate;
      const attack = Math.min(1, t / 0.01);
      const v =
        0.35 *
        attack *
        Math.exp(-4 * t) *
        (Math.sin(2 * Math.PI * hz * t) + 0.3 * Math.sin(4 * Math.PI * hz * t));
      const s = Math.max(-32768, Math.min(32767, Math.round(v * 32767)));
      for (let ch = 0; ch < format.channels; ch++) data.writeInt16LE(s, (i * format.channels + ch) * 2);
    }
  }
  return { format, data };
}

/** The speech with a chime (and a pause) before and/or after it. */
export function withChimes(speech: Pcm, opts: { before: boolean; after: boolean }): Pcm[] {
  if (!opts.before && !opts.after) return [speech];
  const bell = chime(speech.format);
  const gap = silence(speech.format, 400);
  return [...(opts.before ? [bell, gap] : []), speech, ...(opts.after ? [gap, bell] : [])];
}
