// Background processing of uploaded recordings: a bounded queue, progress kept in the row, one event per change.
import { EventEmitter } from 'node:events';
import { rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { refusalOf, transcodeForBroadcast } from '../../audio/index.ts';
import { sha256File } from '../../common/hash.ts';
import type { ControllerDeps } from '../deps.ts';
import { clipPath, commitFile, tmpDirOf } from './files.ts';
import { markFailed, markProcessed, setProgress } from './store.ts';

export interface ClipProcessor {
  /** Transcodes `upload` (removed afterwards) for clip `id`, in the background; resolves when settled. */
  /** `speech`: a text clip's engine speech (see TranscodeOptions.speech) */
  start(id: string, upload: string, sourceDurationMs: number, speech?: boolean): Promise<void>;
  /** The settling promise of a clip being processed, if it is. */
  running(id: string): Promise<void> | undefined;
  /** Calls `listener` after every change of the clip's row (progress, final state). */
  subscribe(id: string, listener: () => void): () => void;
}

/** Progress is written to the database at most this often (in fractions of the whole). */
const PROGRESS_STEP = 0.02;

/** A semaphore: transcodes beyond `slots` wait their turn, each with its own row at progress 0. */
function queue(slots: number) {
  let free = slots;
  const waiting: (() => void)[] = [];
  return async <T>(job: () => Promise<T>): Promise<T> => {
    if (free > 0) free--;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    try {
      return await job();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else free++;
    }
  };
}

export function createClipProcessor(
  deps: Pick<ControllerDeps, 'db' | 'config' | 'clock' | 'ffmpeg' | 'log'>,
): ClipProcessor {
  const { db, config, clock, ffmpeg, log } = deps;
  const events = new EventEmitter();
  events.setMaxListeners(0);
  const jobs = new Map<string, Promise<void>>();
  // the pipeline runs two ffmpeg processes at times; one transcode per two cores keeps the API responsive
  const limit = queue(Math.max(1, Math.floor(os.availableParallelism() / 2)));
  const changed = (id: string) => events.emit(id);
  const now = () => clock.now().toISOString();

  async function transcode(
    id: string,
    upload: string,
    sourceDurationMs: number,
    speech?: boolean,
  ): Promise<void> {
    const encoded = path.join(tmpDirOf(config.dataDir), `${id}.opus`);
    let written = 0;
    try {
      const result = await transcodeForBroadcast(ffmpeg, upload, encoded, {
        // a generous bound: the pipeline runs at 20-40x real time
        timeoutMs: Math.max(120_000, sourceDurationMs),
        speech,
        onProgress: (p) => {
          // stopped with the controller: its database closed under a transcode still running
          if (!db.open || (p - written < PROGRESS_STEP && p < 1)) return;
          written = p;
          setProgress(db, id, Math.min(0.99, Math.round(p * 1000) / 1000));
          changed(id);
        },
      });
      const sha256 = await sha256File(encoded);
      const { size } = await stat(encoded);
      await commitFile(encoded, clipPath(config.dataDir, sha256));
      const stored = markProcessed(
        db,
        id,
        { sha256, bytes: size, durationMs: result.durationMs, loudness: result.loudness },
        now(),
      );
      if (!stored) log.warn(`clip ${id} vanished while processing`);
      log.info(
        `clip ${id} processed: ${result.durationMs} ms, ${result.loudness.outputI.toFixed(1)} LUFS, ` +
          `${result.loudness.outputTp.toFixed(1)} dBTP, ${size} bytes, ${sha256}`,
      );
    } catch (e) {
      // stopped with the controller (its database closed): the next start marks it interrupted
      if (!db.open) return;
      // the log keeps the whole story; the row keeps what the uploader may read (no server paths)
      log.warn(`clip ${id} failed: ${(e as Error).message}`);
      const { code, text } = refusalOf(e);
      markFailed(db, id, `${code}: ${text}`.slice(0, 500), now());
    } finally {
      await rm(upload, { force: true });
      await rm(encoded, { force: true });
    }
  }

  return {
    start(id, upload, sourceDurationMs, speech) {
      const job = limit(() => transcode(id, upload, sourceDurationMs, speech)).finally(() => {
        jobs.delete(id);
        changed(id);
      });
      jobs.set(id, job);
      return job;
    },
    running: (id) => jobs.get(id),
    subscribe(id, listener) {
      events.on(id, listener);
      return () => events.off(id, listener);
    },
  };
}
