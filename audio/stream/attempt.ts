// One attempt at a relay's stream: a connection made here, its body fed to a decoder of the station's player
// (started ahead, not released), and the wait for its first samples. Refused, unanswered, not audio, or
// ready: the session decides what follows.
import { AudioError } from '../ffmpeg.ts';
import type { Player, PreparedPlay } from '../player.ts';
import { connectStream, type StreamCredentials } from './connect.ts';
import { type SilenceLimits, SilenceTrack, silenceFilters } from './silence.ts';

export type Said = (s: { started: number } | { ended: number }) => void;

export type Attempt =
  | { ok: true; prep: PreparedPlay; close(): void; silence: SilenceTrack; said: (fn: Said) => void }
  | { ok: false; failure: string; detail: string };

export interface AttemptOptions {
  url: string;
  name: string;
  credentials: StreamCredentials | undefined;
  volume: number | undefined;
  limits: { headersMs: number; stallMs: number; readyMs: number; silence: SilenceLimits };
  signal: AbortSignal;
}

/** Demuxers a stream may be read with: no playlists (hls, concat) that would make ffmpeg open URLs itself. */
const ALLOWED_DEMUXERS = 'mp3,ogg,aac,matroska,webm,mpegts,mov,mp4,m4a,flac,wav,asf,flv';

class HlsCredentials extends Error {
  override message = 'an HLS stream cannot be played with credentials: relay it through the stream server';
}

/** The bytes come from this process only; the demuxer from the content type where it says. */
function streamArgs(demuxer: string | null): string[] {
  return [
    ...['-protocol_whitelist', 'pipe', '-format_whitelist', ALLOWED_DEMUXERS],
    // a named demuxer needs little probing: a stream arrives in real time, so each KiB probed delays the
    // first sample (MP3 at 64 kbit/s: 8 KiB a second); an unnamed one must be recognised first
    ...(demuxer
      ? ['-f', demuxer, '-probesize', '2048', '-analyzeduration', '100000']
      : ['-probesize', '65536', '-analyzeduration', '500000']),
  ];
}

/**
 * HLS: ffmpeg fetches the playlist and its segments over http(s) only; a network read that waits longer than
 * the stall limit fails (-rw_timeout, in µs), and a playlist that stops growing is given up after 3 reloads.
 */
function hlsArgs(stallMs: number): string[] {
  return [
    ...['-protocol_whitelist', 'http,https,tcp,tls,crypto', '-format_whitelist', `hls,${ALLOWED_DEMUXERS}`],
    ...['-rw_timeout', String(stallMs * 1000), '-m3u8_hold_counters', '3', '-f', 'hls'],
  ];
}

export async function openAttempt(player: Pick<Player, 'prepare'>, o: AttemptOptions): Promise<Attempt> {
  const conn = await connectStream(o.url, { ...o.limits, credentials: o.credentials, signal: o.signal });
  if (!conn.ok) return conn;
  const silence = new SilenceTrack();
  let said: Said = () => {};
  let prep: PreparedPlay;
  const hls = conn.demuxer === 'hls';
  try {
    if (hls && o.credentials) throw new HlsCredentials();
    // an HLS playlist names segments that ffmpeg fetches itself (no credentials then: they would be on its
    // command line); any other stream is read here and fed to the decoder
    if (hls) conn.close();
    prep = player.prepare(hls ? [conn.url] : [], {
      name: o.name,
      ...(o.volume === undefined ? {} : { volume: o.volume }),
      source: {
        ...(hls ? {} : { stdin: conn.body }),
        inputArgs: hls ? hlsArgs(o.limits.stallMs) : streamArgs(conn.demuxer),
        filters: silenceFilters(o.limits.silence),
        onLine: (line) => {
          const s = silence.line(line);
          if (s) said(s);
        },
      },
    });
  } catch (err) {
    conn.close();
    if (err instanceof HlsCredentials) return { ok: false, failure: 'refused-url', detail: err.message };
    throw err;
  }
  const problem = await readyWithin(prep, o.limits.readyMs, o.signal);
  if (problem === null) {
    const listen = (fn: Said) => {
      said = fn;
    };
    return { ok: true, prep, close: conn.close, silence, said: listen };
  }
  prep.cancel();
  conn.close();
  return problem;
}

export const halted = (): Attempt => ({ ok: false, failure: 'aborted', detail: 'stopped' });

/** null once the first samples wait; else what went wrong (ffmpeg could not decode it: not audio). */
async function readyWithin(prep: PreparedPlay, ms: number, signal: AbortSignal): Promise<Attempt | null> {
  let timer: NodeJS.Timeout | undefined;
  let onAbort = () => {};
  try {
    return await Promise.race([
      prep.ready.then(() => null),
      new Promise<Attempt>((r) => {
        timer = setTimeout(
          () => r({ ok: false, failure: 'no-sound', detail: `no audio within ${ms / 1000} s` }),
          ms,
        );
        onAbort = () => r(halted());
        if (signal.aborted) onAbort();
        else signal.addEventListener('abort', onAbort, { once: true });
      }),
    ]);
  } catch (err) {
    const e = err instanceof AudioError ? err : null;
    if (e?.code === 'empty')
      return { ok: false, failure: 'no-sound', detail: 'the stream ended before any audio' };
    const why = e?.stderr.split('\n').filter(Boolean).at(-1) ?? String(err);
    return { ok: false, failure: 'not-audio', detail: `not audio ffmpeg can decode (${why})` };
  } finally {
    clearTimeout(timer);
    signal.removeEventListener('abort', onAbort);
  }
}

export const pause = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const t = setTimeout(done, ms);
    if (signal.aborted) done();
    else signal.addEventListener('abort', done, { once: true });
  });
