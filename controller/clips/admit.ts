// Admission of an uploaded recording: dedup by its hash, ffprobe's verdict, then a row and a background job.
import { randomBytes } from 'node:crypto';
import { AudioError, probeAudio } from '../../audio/index.ts';
import type { Principal } from '../auth.ts';
import type { ControllerDeps } from '../deps.ts';
import { HttpError } from '../errors.ts';
import type { ClipProcessor } from './process.ts';
import { type ClipRow, findBySource, getClip } from './store.ts';
import type { Received } from './upload.ts';

/** How a refused recording is answered: the AudioError code is the `error` field. */
export function audioHttpStatus(code: string): 413 | 415 | 422 {
  if (code === 'too-long') return 413;
  return code === 'timeout' || code === 'ffmpeg-failed' || code === 'internal' ? 422 : 415;
}
const audioErrorToHttp = (e: AudioError) =>
  new HttpError(audioHttpStatus(e.code), e.code, `clip rejected: ${e.message.split('\n')[0]}`);

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

export type Admit = (up: Received, principal: Principal | null) => Promise<{ row: ClipRow; fresh: boolean }>;

/**
 * The clip made from these exact bytes (`fresh: false`), or a new one now processing (`fresh: true`,
 * the job owns the temp file); an HttpError when ffprobe refuses. One admission per upload hash at a
 * time, so two uploads of the same file at once end as one clip; the unique index backs this up.
 */
export function createAdmission(deps: ControllerDeps, processor: ClipProcessor): Admit {
  const { db, config, clock, ffmpeg } = deps;
  const queue = keyedQueue();

  async function admit(up: Received, principal: Principal | null) {
    const existing = findBySource(db, up.sha256);
    if (existing) return { row: existing, fresh: false };
    const probe = await probeAudio(ffmpeg, up.path, {
      maxDurationMs: config.maxClipMs,
      timeoutMs: 30_000,
    }).catch((e: unknown) => {
      throw e instanceof AudioError ? audioErrorToHttp(e) : e;
    });
    const clipId = `clip-${randomBytes(5).toString('hex')}`;
    const now = clock.now().toISOString();
    db.prepare(
      `INSERT INTO clips (id, title, original_name, source_format, sha256, bytes, duration_ms, created_at,
         status, progress, source_sha256, source_bytes, source_type, source_duration_ms, uploaded_by, updated_at)
       VALUES (?, ?, ?, ?, '', 0, 0, ?, 'processing', 0, ?, ?, ?, ?, ?, ?)`,
    ).run(
      clipId,
      up.title?.trim().slice(0, 200) || up.originalName,
      up.originalName,
      `${probe.formatName}/${probe.codec}`,
      now,
      up.sha256,
      up.bytes,
      up.declaredType || null,
      probe.durationMs,
      principal?.kind === 'user' ? principal.username : null,
      now,
    );
    void processor.start(clipId, up.path, probe.durationMs);
    return { row: getClip(db, clipId), fresh: true };
  }

  return (up, principal) => queue(up.sha256, () => admit(up, principal));
}
