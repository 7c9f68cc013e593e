// Playback for edge agents: an entry's player is started ahead (prepare: ffmpeg running, decoder open, first
// samples waiting) and released at the instant (start), to ALSA, a wav file per entry, or nowhere.
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AudioError, type FfmpegPaths } from './ffmpeg.ts';
import {
  bytesPerMs,
  Decoder,
  type DecoderSource,
  fileOutput,
  LEAD_MS,
  nullOutput,
  type Output,
  type OutputRun,
  sinkOutput,
} from './playback.ts';

export type AudioOutput = { kind: 'alsa'; device: string } | { kind: 'file'; dir: string } | { kind: 'null' };

export interface PlayResult {
  /** When the first sample left for the output. */
  startedAt: Date;
  /** When the last one had played (or the play was cut). */
  endedAt: Date;
  outputFile: string | null;
}

export interface PrepareOptions {
  name: string;
  /** 0..2, default 1 */
  volume?: number;
  /** Bytes fed to the decoder's stdin (the inputs are then ignored), input options, extra filters. */
  source?: DecoderSource;
}

export interface PlayOptions extends PrepareOptions {
  timeoutMs: number;
  signal?: AbortSignal;
}

export interface StartOptions {
  /** The play is killed this long after its release. */
  timeoutMs: number;
  /** Cut at this instant, and that cut is its end, not a failure (a relay's end). */
  endsAt?: Date;
  signal?: AbortSignal;
}

export interface Started {
  /** When the first sample left for the output: before start() returned. */
  startedAt: Date;
  /** Resolves when the last sample has played; rejects (AudioError) on a failure, a timeout or an abort. */
  ended: Promise<PlayResult>;
  /** Sound released to the output so far, in ms: less than the time since the start when the input ran late. */
  playedMs?(): number;
}

/** A player started ahead: its process runs, its decoder is open and its first samples wait. */
export interface PreparedPlay {
  /** Resolves once the first samples wait; rejects if the decoder failed before (a file it cannot read). */
  readonly ready: Promise<void>;
  readonly isReady: boolean;
  /** Releases the first sample now; throws if not ready (check isReady first). */
  start(opts: StartOptions): Started;
  /** Stops a player that will not be released (or cuts one that was); safe to call more than once. */
  cancel(): void;
}

export interface Player {
  /** Starts a player ahead for `inputs` (files or stream URLs), played one after another as one sound. */
  prepare(inputs: readonly string[], opts: PrepareOptions): PreparedPlay;
  /** Prepares and releases at once: one file to the end. */
  play(file: string, opts: PlayOptions): Promise<PlayResult>;
  /** Ends every player and the output (the ALSA sink process). */
  close(): void;
}

export function parseAudioOutput(spec: string): AudioOutput {
  if (spec === 'null') return { kind: 'null' };
  const colon = spec.indexOf(':');
  const kind = spec.slice(0, colon);
  const rest = spec.slice(colon + 1);
  if (colon > 0 && rest && kind === 'alsa') return { kind: 'alsa', device: rest };
  if (colon > 0 && rest && kind === 'file') return { kind: 'file', dir: rest };
  throw new Error(
    `invalid audio output "${spec}": expected "alsa:<device>" (e.g. alsa:plughw:CARD=Device), "file:<dir>" or "null"`,
  );
}

/** Keeps clip names usable as file names: nothing that could climb directories or confuse a shell. */
export function sanitiseName(name: string): string {
  const safe = name.replace(/[^A-Za-z0-9._@-]/g, '_');
  if (!/[A-Za-z0-9]/.test(safe)) throw new Error(`clip name "${name}" has no usable characters`);
  return safe;
}

function outputFor(paths: FfmpegPaths, output: AudioOutput, log?: (line: string) => void): Output {
  switch (output.kind) {
    case 'alsa':
      // stereo because most USB cards refuse mono; plughw folds it down on mono hardware
      return sinkOutput(paths.ffmpeg, ['-f', 'alsa', output.device], log);
    case 'file':
      return fileOutput((name) => join(resolve(output.dir), `${name}.wav`));
    case 'null':
      return nullOutput;
  }
}

export interface PlayerOptions {
  clock?: { now(): Date };
  /** Lines about the output (the ALSA sink's exits). */
  log?: (line: string) => void;
  /** Replaces the output (tests: a sink process writing to a file instead of a sound card). */
  output?: Output;
  monotonic?: () => number;
}

export function createPlayer(
  paths: FfmpegPaths,
  audio: AudioOutput,
  opts: PlayerOptions | { now(): Date } = {},
): Player {
  const o: PlayerOptions = 'now' in opts ? { clock: opts } : opts;
  const clock = o.clock ?? { now: () => new Date() };
  const mono = o.monotonic ?? (() => performance.now());
  let out: Output | null = o.output ?? null;
  // the ALSA sink opens the device when first needed, then keeps it
  const output = () => {
    out ??= outputFor(paths, audio, o.log);
    return out;
  };
  const live = new Set<Decoder>();
  const fileOf = (safe: string) => (audio.kind === 'file' ? join(resolve(audio.dir), `${safe}.wav`) : null);

  function open(inputs: readonly string[], p: PrepareOptions): { prep: PreparedPlay; dec: Decoder } {
    const volume = p.volume ?? 1;
    if (!(volume >= 0 && volume <= 2)) throw new RangeError(`volume must be within 0..2, got ${volume}`);
    // same rule everywhere, so a name that works in tests works on air
    const name = sanitiseName(p.name);
    if (audio.kind === 'file') mkdirSync(resolve(audio.dir), { recursive: true });
    const sink = output();
    const dec = new Decoder(
      paths.ffmpeg,
      p.source?.stdin ? ['pipe:0'] : inputs.map((i) => (/^[a-z]+:\/\//.test(i) ? i : resolve(i))),
      sink.channels,
      volume,
      p.source,
    );
    live.add(dec);
    void dec.exited.then(() => live.delete(dec));
    let started = false;
    const prep: PreparedPlay = {
      ready: dec.ready,
      get isReady() {
        return dec.isReady;
      },
      cancel: () => dec.kill(new AudioError('aborted', 'player: cancelled')),
      start(s) {
        if (started) throw new Error('a prepared player is started once');
        if (s.signal?.aborted) throw new AudioError('aborted', 'player: aborted before start');
        if (!dec.isReady) throw new AudioError('timeout', 'player: not ready at its time');
        started = true;
        const first = (dec.stdout.read() as Buffer | null) ?? Buffer.alloc(0);
        const run = sink.begin(name, first);
        const startedAt = clock.now();
        const t0 = mono();
        const played = { bytes: first.length, endedAt: null as number | null };
        const playedMs = () =>
          Math.min(played.bytes / bytesPerMs(sink.channels), (played.endedAt ?? mono()) - t0);
        return { startedAt, ended: pump(dec, sink, run, played, { ...s, startedAt, t0, name }), playedMs };
      },
    };
    return { prep, dec };
  }

  async function pump(
    dec: Decoder,
    sink: Output,
    run: OutputRun,
    played: { bytes: number; endedAt: number | null },
    s: StartOptions & { startedAt: Date; t0: number; name: string },
  ): Promise<PlayResult> {
    const rate = bytesPerMs(sink.channels);
    let total = played.bytes;
    let failure: AudioError | null = null;
    let wake = () => {};
    const stopped = new Promise<void>((r) => {
      wake = r;
    });
    let endPause = () => {};
    const stop = (err: AudioError) => {
      if (failure) return;
      failure = err;
      dec.kill(err);
      // a cut silences at once: what the output holds already must not play on
      sink.cut?.();
      endPause();
      wake();
    };
    const pause = (ms: number) =>
      new Promise<void>((r) => {
        if (ms <= 0 || failure) return r();
        const t = setTimeout(r, ms);
        endPause = () => {
          clearTimeout(t);
          r();
        };
      });
    const timer = setTimeout(
      () => stop(new AudioError('timeout', `player: killed after ${s.timeoutMs} ms`)),
      s.timeoutMs,
    );
    const onAbort = () => stop(new AudioError('aborted', 'player: aborted'));
    s.signal?.addEventListener('abort', onAbort, { once: true });
    const endCut = new AudioError('aborted', 'player: ended at its instant');
    const endsIn = s.endsAt ? s.endsAt.getTime() - clock.now().getTime() : null;
    const endTimer = endsIn === null ? undefined : setTimeout(() => stop(endCut), Math.max(0, endsIn));
    try {
      for await (const chunk of dec.stdout as AsyncIterable<Buffer>) {
        if (failure) break;
        if (sink.paced) await pause(s.t0 + total / rate - LEAD_MS - mono());
        if (failure) break;
        await run.write(chunk);
        total += chunk.length;
        played.bytes = total;
      }
      const exit = await Promise.race([dec.exited, stopped.then(() => failure)]);
      if (failure) throw failure;
      if (exit) throw exit;
      // the last sample plays this long after the first one left
      await pause(s.t0 + total / rate - mono());
      if (failure) throw failure;
    } catch (err) {
      if (err !== endCut) throw err;
    } finally {
      clearTimeout(timer);
      clearTimeout(endTimer);
      s.signal?.removeEventListener('abort', onAbort);
      run.finish(total);
      played.endedAt = mono();
      dec.kill(new AudioError('aborted', 'player: ended'));
      // a play that has settled has no process left behind
      await dec.exited;
    }
    return { startedAt: s.startedAt, endedAt: clock.now(), outputFile: fileOf(s.name) };
  }

  return {
    prepare: (inputs, p) => open(inputs, p).prep,
    async play(file, p) {
      if (p.signal?.aborted) throw new AudioError('aborted', 'ffmpeg: aborted before start');
      const due = mono() + p.timeoutMs;
      const { prep: prepared, dec } = open([file], p);
      let timer: NodeJS.Timeout | undefined;
      const onAbort = () => prepared.cancel();
      p.signal?.addEventListener('abort', onAbort, { once: true });
      try {
        await Promise.race([
          prepared.ready,
          new Promise((_, reject) => {
            timer = setTimeout(
              () => reject(new AudioError('timeout', `player: not ready after ${p.timeoutMs} ms`)),
              p.timeoutMs,
            );
          }),
        ]);
      } catch (err) {
        prepared.cancel();
        await dec.exited;
        throw p.signal?.aborted ? new AudioError('aborted', 'player: aborted') : err;
      } finally {
        clearTimeout(timer);
        p.signal?.removeEventListener('abort', onAbort);
      }
      return prepared.start({ timeoutMs: Math.max(1, due - mono()), signal: p.signal }).ended;
    },
    close() {
      for (const d of live) d.kill(new AudioError('aborted', 'player: closed'));
      out?.close();
      out = null;
    },
  };
}
