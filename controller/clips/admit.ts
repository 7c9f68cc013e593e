// Admission of an uploaded recording: dedup by its hash, ffprobe's verdict, a row and a background job.
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { AudioError, probeAudio } from '../../audio/index.ts';
import type { Received } from '../../common/upload.ts';
import type { ControllerDeps } from '../deps.ts';
import type { Principal } from '../users/roles.ts';
import type { ClipProcessor } from './process.ts';
import { refusal, refusalOfReason } from './refusal.ts';
import { type ClipRow, deleteClipRow, findBySource, getClip, insertUploadedClip } from './store.ts';

/** Runs `fn` after every earlier call with the same key has settled. */
function keyedQueue() {
  const tails = new Map<string, Promise<unknown>>();
  return <T>(key: string, fn: () => Promise<T>): Promise<T> => {
    const result = (tails.get(key) ?? Promise.resolve()).then(fn);
    const tail = result.catch(() => {});
    tails.set(key, tail);
    void tail.then(() => tails.get(key) === tail && tails.delete(key));
    return result;
  };
}

export interface Admission {
  /** `waiting`: the uploader waits for processing (?wait=true) and will ask for its `outcome`. */
  admit(
    up: Received,
    principal: Principal | null,
    waiting: boolean,
  ): Promise<{ row: ClipRow; fresh: boolean }>;
  /**
   * For an upload that waited: the clip once processed, or the refusal. A refused upload stores
   * nothing, so the failed row goes, unless an upload of the same bytes that did not wait was
   * answered with this clip meanwhile (that uploader was told it exists, and reads why it failed).
   */
  outcome(clipId: string): Promise<ClipRow>;
}

/**
 * The clip made from these exact bytes (`fresh: false`), or a new one now processing (`fresh: true`,
 * the job owns the temp file); an HttpError when ffprobe refuses. One admission per upload hash at a
 * time, so two uploads of the same file at once end as one clip; the unique index backs this up.
 */
export function createAdmission(deps: ControllerDeps, processor: ClipProcessor): Admission {
  const { db, config, clock, ffmpeg } = deps;
  const queue = keyedQueue();
  /**
   * Clips being processed whose uploader waits: how many uploads of them wait, and whether one was
   * answered at once with the clip (it then exists for that uploader, failed or not).
   */
  const waiters = new Map<string, { waiting: number; shared: boolean }>();

  async function admit(up: Received, principal: Principal | null, waiting: boolean) {
    const existing = findBySource(db, up.sha256);
    if (existing) {
      const waiter = waiters.get(existing.id);
      if (waiter && waiting) waiter.waiting++;
      else if (waiter) waiter.shared = true;
      return { row: existing, fresh: false };
    }
    const probe = await probeAudio(ffmpeg, up.path, {
      maxDurationMs: config.maxClipMs,
      timeoutMs: 30_000,
      verify: !up.madeHere,
    }).catch((e: unknown) => {
      throw e instanceof AudioError ? refusal(e) : e;
    });
    const clipId = `clip-${randomBytes(5).toString('hex')}`;
    insertUploadedClip(
      db,
      {
        id: clipId,
        title: up.title?.trim().slice(0, 200) || up.originalName,
        originalName: up.originalName,
        sourceFormat: `${probe.formatName}/${probe.codec}`,
        sourceSha256: up.sha256,
        sourceBytes: up.bytes,
        sourceType: up.declaredType || null,
        sourceDurationMs: probe.durationMs,
        uploadedBy: principal?.kind === 'user' ? principal.username : null,
      },
      clock.now().toISOString(),
    );
    if (waiting) waiters.set(clipId, { waiting: 1, shared: false });
    void processor.start(clipId, up.path, probe.durationMs, up.madeHere);
    return { row: getClip(db, clipId), fresh: true };
  }

  return {
    admit: (up, principal, waiting) => queue(up.sha256, () => admit(up, principal, waiting)),
    async outcome(clipId) {
      await processor.running(clipId);
      const row = getClip(db, clipId);
      const waiter = waiters.get(clipId);
      // the last upload waiting for it removes a failed clip; the others read the row first
      if (waiter && --waiter.waiting === 0) {
        waiters.delete(clipId);
        if (row.status === 'failed' && !waiter.shared) deleteClipRow(db, clipId);
      }
      if (row.status !== 'failed') return row;
      throw refusalOfReason(row.reason);
    },
  };
}

/**
 * An upload through admission, as its answer: 200 with the clip these bytes made before, 202 with a new
 * one processing, or (`wait`) 201 with the processed draft. The temp file is removed unless a new
 * clip's processing owns it.
 */
export async function admitUpload(
  admission: Admission,
  up: Received,
  principal: Principal | null,
  wait: boolean,
): Promise<{ status: 200 | 201 | 202; row: ClipRow }> {
  let admitted: { row: ClipRow; fresh: boolean };
  try {
    admitted = await admission.admit(up, principal, wait);
  } catch (e) {
    await rm(up.path, { force: true });
    throw e;
  }
  if (!admitted.fresh) await rm(up.path, { force: true });
  if (!wait) return { status: admitted.fresh ? 202 : 200, row: admitted.row };
  const row = await admission.outcome(admitted.row.id);
  return { status: admitted.fresh ? 201 : 200, row };
}
