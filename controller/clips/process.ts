// Background processing of uploaded recordings: a bounded queue, progress kept in the row, one event per change.
import { EventEmitter } from 'node:events';
import { rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { AudioError, sha256File, transcodeForBroadcast } from '../../audio/index.ts';
import type { ControllerDeps } from '../deps.ts';
import { clipPath, commitFile, tmpDirOf } from './store.ts';

export interface ClipProcessor {
  /** Transcodes `upload` (removed afterwards) for clip `id`, in the background; resolves when settled. */
  start(id: string, upload: string, sourceDurationMs: number): Promise<void>;
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

const describe = (e: unknown) =>
  e instanceof AudioError ? `${e.code}: ${e.message.split('\n')[0]}` : `internal: ${(e as Error).message}`;

export function createClipProcessor(deps: ControllerDeps): ClipProcessor {
  const { db, config, clock, ffmpeg, log } = deps;
  const events = new EventEmitter();
  events.setMaxListeners(0);
  const jobs = new Map<string, Promise<void>>();
  // the pipeline runs two ffmpeg processes at times; one transcode per two cores keeps the API responsive
  const limit = queue(Math.max(1, Math.floor(os.availableParallelism() / 2)));
  const changed = (id: string) => events.emit(id);
  const now = () => clock.now().toISOString();

  async function transcode(id: string, upload: string, sourceDurationMs: number): Promise<void> {
    const encoded = path.join(tmpDirOf(config.dataDir), `${id}.opus`);
    let written = 0;
    try {
      const result = await transcodeForBroadcast(ffmpeg, upload, encoded, {
        // a generous bound: the pipeline runs at 20-40x real time
        timeoutMs: Math.max(120_000, sourceDurationMs),
        onProgress: (p) => {
          if (p - written < PROGRESS_STEP && p < 1) return;
          written = p;
          db.prepare("UPDATE clips SET progress = ? WHERE id = ? AND status = 'processing'").run(
            Math.min(0.99, Math.round(p * 1000) / 1000),
            id,
          );
          changed(id);
        },
      });
      const sha256 = await sha256File(encoded);
      const { size } = await stat(encoded);
      await commitFile(encoded, clipPath(config.dataDir, sha256));
      const done = db
        .prepare(
          `UPDATE clips SET status = 'draft', progress = 1, sha256 = ?, bytes = ?, duration_ms = ?,
             loudness_in = ?, true_peak_in = ?, loudness_out = ?, true_peak_out = ?, updated_at = ?
           WHERE id = ? AND status = 'processing'`,
        )
        .run(
          sha256,
          size,
          result.durationMs,
          result.loudness.inputI,
          result.loudness.inputTp,
          result.loudness.outputI,
          result.loudness.outputTp,
          now(),
          id,
        );
      if (done.changes === 0) log.warn(`clip ${id} vanished while processing`);
      log.info(
        `clip ${id} processed: ${result.durationMs} ms, ${result.loudness.outputI.toFixed(1)} LUFS, ` +
          `${result.loudness.outputTp.toFixed(1)} dBTP, ${size} bytes, ${sha256}`,
      );
    } catch (e) {
      log.warn(`clip ${id} failed: ${describe(e)}`);
      db.prepare(
        "UPDATE clips SET status = 'failed', reason = ?, updated_at = ? WHERE id = ? AND status = 'processing'",
      ).run(describe(e).slice(0, 500), now(), id);
    } finally {
      await rm(upload, { force: true });
      await rm(encoded, { force: true });
    }
  }

  return {
    start(id, upload, sourceDurationMs) {
      const job = limit(() => transcode(id, upload, sourceDurationMs)).finally(() => {
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
