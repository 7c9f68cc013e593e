// One running live session's audio: the browser's chunks into one ffmpeg remux pushing to the stream
// server, the watch for a microphone that stopped sending, and how the end leaves the stream.

import type { Writable } from 'node:stream';
import { type LiveRemux, startLiveRemux } from '../../audio/index.ts';
import type { EndReason } from './store.ts';

export interface FeedTimeouts {
  /** No first chunk this long after the socket opened: nobody is speaking; the session ends unpublished. */
  startTimeoutMs: number;
  /** No chunk this long once audio flows: the microphone or the link stopped; the session ends. */
  silenceTimeoutMs: number;
  /** How often the watch looks (the end comes at most this late after a timeout). */
  tickMs: number;
}

export interface FeedEvents {
  /** The first chunk reached ffmpeg: the moment to publish the bulletin. */
  firstAudio(): void;
  /** ffmpeg quit on its own (bad input, or the stream server refused or dropped the source). */
  failed(reason: EndReason, detail: string): void;
  /** The watch fired: no audio within the limits. */
  timedOut(detail: string): void;
  /** Every tick, for checks that are not about audio (a withdrawn bulletin, the session's length). */
  tick(): void;
}

export interface Feed {
  push(chunk: Buffer): void;
  readonly bytes: number;
  readonly audio: boolean;
  /** Ends the feed: a clean end lets ffmpeg close the Ogg stream; otherwise the source is cut. */
  stop(clean: boolean): Promise<void>;
}

/** Words ffmpeg uses when the stream server, not the audio, is at fault. */
const SERVER_FAULT = /icecast|connection refused|http error|401|403|404|unauthorized|forbidden|mountpoint/i;

const EBML_MAGIC = Buffer.from([0x1a, 0x45, 0xdf, 0xa3]);

export function startFeed(o: {
  ffmpeg: string;
  /** The session's mount opened as a source on the stream server (StreamServer.openSource). */
  openSource(): Promise<Writable & { destroy(): void }>;
  now: () => number;
  timeouts: FeedTimeouts;
  on: FeedEvents;
}): Feed {
  const remux: LiveRemux = startLiveRemux({ ffmpeg: o.ffmpeg });
  // the source opens with the first page: Icecast drops a source that sends nothing
  remux.output.once('data', (first: Buffer) => {
    remux.output.pause();
    o.openSource().then(
      (source) => {
        if (stopped) return source.destroy();
        source.write(first);
        remux.output.pipe(source);
        const lost = () => serverLost('the stream server closed the source');
        source.on('error', lost);
        source.once('close', lost);
      },
      (err: Error) => serverLost(`the stream server refused the source: ${err.message}`),
    );
  });
  let serverFault: string | null = null;
  const serverLost = (why: string) => {
    serverFault ??= why;
    remux.kill();
  };
  const openedAt = o.now();
  let lastChunkAt: number | null = null;
  let bytes = 0;
  let stopped = false;
  void remux.exited.then((why) => {
    if (stopped) return;
    stopped = true;
    clearInterval(watch);
    const detail = serverFault ?? why ?? 'ffmpeg ended before the session did';
    o.on.failed(serverFault || SERVER_FAULT.test(detail) ? 'stream-server' : 'bad-audio', detail);
  });
  const watch = setInterval(() => {
    if (stopped) return;
    const t = o.now();
    if (lastChunkAt === null && t - openedAt >= o.timeouts.startTimeoutMs)
      o.on.timedOut(`no audio within ${Math.round(o.timeouts.startTimeoutMs / 1000)} s of opening`);
    else if (lastChunkAt !== null && t - lastChunkAt >= o.timeouts.silenceTimeoutMs)
      o.on.timedOut(
        `no audio for ${Math.round(o.timeouts.silenceTimeoutMs / 1000)} s: the microphone stopped`,
      );
    else o.on.tick();
  }, o.timeouts.tickMs);
  watch.unref();
  return {
    push(chunk) {
      if (stopped) return;
      const first = lastChunkAt === null;
      // a WebM stream opens with the EBML magic: anything else is refused before it is published
      if (first && !chunk.subarray(0, 4).equals(EBML_MAGIC)) {
        o.on.failed('bad-audio', 'the first chunk is not WebM audio (MediaRecorder audio/webm;codecs=opus)');
        return;
      }
      lastChunkAt = o.now();
      bytes += chunk.length;
      remux.write(chunk);
      if (first) o.on.firstAudio();
    },
    get bytes() {
      return bytes;
    },
    get audio() {
      return lastChunkAt !== null;
    },
    async stop(clean) {
      if (stopped) return;
      stopped = true;
      clearInterval(watch);
      if (clean) remux.end();
      else remux.kill();
      // a clean end that hangs (the server stopped reading) is cut after a moment
      const cut = setTimeout(() => remux.kill(), 3000);
      await remux.exited;
      clearTimeout(cut);
    },
  };
}
