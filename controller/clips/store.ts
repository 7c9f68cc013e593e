// The clips table: the review states, the public view, and every read and change of a clip's row.
import { BROADCAST_FORMAT } from '../../audio/index.ts';
import type { ClipRef } from '../../schedules/model.ts';
import type { Db } from '../db.ts';
import { notFound } from '../http/errors.ts';

/**
 * processing -> draft | failed; draft -> approved | rejected; rejected -> approved (a reviewer
 * changes their mind); approved -> retired; retired -> approved (reinstated). A rejected recording
 * is not re-submitted: the technician uploads a corrected one, which is a new clip.
 */
export type ClipStatus = 'processing' | 'draft' | 'approved' | 'rejected' | 'retired' | 'failed';

/** Sent to stations: approved clips, and retired ones that slots still play. */
export const DELIVERABLE: readonly ClipStatus[] = ['approved', 'retired'];

export interface ClipRow {
  id: string;
  title: string;
  original_name: string;
  source_format: string;
  /** of the broadcast file; '' until processed */
  sha256: string;
  bytes: number;
  duration_ms: number;
  loudness_in: number | null;
  loudness_out: number | null;
  true_peak_out: number | null;
  created_at: string;
  status: ClipStatus;
  progress: number;
  reason: string | null;
  source_sha256: string | null;
  source_bytes: number | null;
  source_type: string | null;
  source_duration_ms: number | null;
  true_peak_in: number | null;
  uploaded_by: string | null;
  reviewed_by: string | null;
  reviewed_at: string | null;
  updated_at: string | null;
}

const processed = (r: ClipRow) => r.sha256 !== '';

export const clipView = (r: ClipRow) => ({
  id: r.id,
  title: r.title,
  status: r.status,
  /** 0..1 while processing; 1 once done */
  progress: r.progress,
  /** why processing failed, or the reviewer's reason for rejecting or note on approving */
  reason: r.reason,
  rejectionReason: r.status === 'rejected' ? r.reason : null,
  /** what the reviewer wrote with the review in force: the reason of a rejection, the note of an approval */
  reviewNote: r.status === 'rejected' || r.status === 'approved' ? r.reason : null,
  originalName: r.original_name,
  source: {
    format: r.source_format,
    declaredType: r.source_type,
    sha256: r.source_sha256,
    bytes: r.source_bytes,
    durationMs: r.source_duration_ms,
  },
  sha256: processed(r) ? r.sha256 : null,
  bytes: processed(r) ? r.bytes : null,
  durationMs: processed(r) ? r.duration_ms : null,
  loudness: {
    inputLufs: r.loudness_in,
    inputTruePeakDb: r.true_peak_in,
    outputLufs: r.loudness_out,
    outputTruePeakDb: r.true_peak_out,
  },
  format: {
    mime: BROADCAST_FORMAT.mime,
    codec: 'opus',
    sampleRate: BROADCAST_FORMAT.sampleRate,
    channels: 1,
  },
  uploadedBy: r.uploaded_by,
  reviewedBy: r.reviewed_by,
  reviewedAt: r.reviewed_at,
  createdAt: r.created_at,
  updatedAt: r.updated_at ?? r.created_at,
});
export type ClipView = ReturnType<typeof clipView>;

export const findClip = (db: Db, id: string) =>
  db.prepare('SELECT * FROM clips WHERE id = ?').get(id) as ClipRow | undefined;

export function getClip(db: Db, id: string): ClipRow {
  const r = findClip(db, id);
  if (!r) throw notFound('clip', id);
  return r;
}

/** Newest first, of one status or all. */
export const listClips = (db: Db, status?: ClipStatus) =>
  (status
    ? db.prepare('SELECT * FROM clips WHERE status = ? ORDER BY created_at DESC').all(status)
    : db.prepare('SELECT * FROM clips ORDER BY created_at DESC').all()) as ClipRow[];

/** The live clip made from exactly these uploaded bytes; failed attempts do not count. */
export const findBySource = (db: Db, sourceSha256: string) =>
  db.prepare("SELECT * FROM clips WHERE source_sha256 = ? AND status <> 'failed'").get(sourceSha256) as
    | ClipRow
    | undefined;

/** The reviewed clips stations may be sent, as their desired states name them. */
export const deliverableClipRefs = (db: Db) =>
  (
    db
      .prepare(
        `SELECT id, sha256, duration_ms AS durationMs, bytes, title FROM clips
         WHERE status IN ('approved', 'retired') AND sha256 <> ''`,
      )
      .all() as (ClipRef & { title: string | null })[]
  ).map(({ title, ...ref }) => (title ? { ...ref, title: title.slice(0, 200) } : ref));

export const clipDurationMs = (db: Db, id: string) =>
  (db.prepare('SELECT duration_ms FROM clips WHERE id = ?').get(id) as { duration_ms: number }).duration_ms;

/**
 * Why a slot may not play this clip, or null. Only approved clips can be scheduled; a retired clip
 * stays allowed in a slot that already plays it, so editing that slot's time does not break it.
 */
export function clipSchedulingProblem(db: Db, clipId: string, slotId: string): string | null {
  const r = db.prepare('SELECT status, reason FROM clips WHERE id = ?').get(clipId) as
    | Pick<ClipRow, 'status' | 'reason'>
    | undefined;
  if (!r) return `clip '${clipId}' does not exist`;
  switch (r.status) {
    case 'approved':
      return null;
    case 'retired':
      return db.prepare('SELECT 1 FROM slot_clips WHERE slot_id = ? AND clip_id = ?').get(slotId, clipId)
        ? null
        : `clip '${clipId}' is retired and can no longer be scheduled`;
    case 'draft':
      return `clip '${clipId}' is a draft: a reviewer must approve it before it can be scheduled`;
    case 'rejected':
      return `clip '${clipId}' was rejected by its reviewer: ${r.reason ?? 'no reason given'}`;
    case 'processing':
      return `clip '${clipId}' is still being processed`;
    case 'failed':
      return `clip '${clipId}' could not be processed: ${r.reason ?? 'unknown error'}`;
  }
}

/** A slot that plays this clip, if any. */
export const slotPlaying = (db: Db, clipId: string) =>
  (
    db.prepare('SELECT slot_id FROM slot_clips WHERE clip_id = ? LIMIT 1').get(clipId) as
      | { slot_id: string }
      | undefined
  )?.slot_id;

/** A new clip, processing, from an uploaded recording ffprobe accepted. */
export function insertUploadedClip(
  db: Db,
  c: {
    id: string;
    title: string;
    originalName: string;
    sourceFormat: string;
    sourceSha256: string;
    sourceBytes: number;
    sourceType: string | null;
    sourceDurationMs: number;
    uploadedBy: string | null;
  },
  now: string,
): void {
  db.prepare(
    `INSERT INTO clips (id, title, original_name, source_format, sha256, bytes, duration_ms, created_at,
       status, progress, source_sha256, source_bytes, source_type, source_duration_ms, uploaded_by, updated_at)
     VALUES (?, ?, ?, ?, '', 0, 0, ?, 'processing', 0, ?, ?, ?, ?, ?, ?)`,
  ).run(
    c.id,
    c.title,
    c.originalName,
    c.sourceFormat,
    now,
    c.sourceSha256,
    c.sourceBytes,
    c.sourceType,
    c.sourceDurationMs,
    c.uploadedBy,
    now,
  );
}

export function setProgress(db: Db, id: string, progress: number): void {
  db.prepare("UPDATE clips SET progress = ? WHERE id = ? AND status = 'processing'").run(progress, id);
}

/** A processed clip becomes a draft; false if its row went meanwhile. */
export function markProcessed(
  db: Db,
  id: string,
  p: {
    sha256: string;
    bytes: number;
    durationMs: number;
    loudness: { inputI: number; inputTp: number; outputI: number; outputTp: number };
  },
  now: string,
): boolean {
  const { inputI, inputTp, outputI, outputTp } = p.loudness;
  const done = db
    .prepare(
      `UPDATE clips SET status = 'draft', progress = 1, sha256 = ?, bytes = ?, duration_ms = ?,
         loudness_in = ?, true_peak_in = ?, loudness_out = ?, true_peak_out = ?, updated_at = ?
       WHERE id = ? AND status = 'processing'`,
    )
    .run(p.sha256, p.bytes, p.durationMs, inputI, inputTp, outputI, outputTp, now, id);
  return done.changes > 0;
}

export function markFailed(db: Db, id: string, reason: string, now: string): void {
  db.prepare(
    "UPDATE clips SET status = 'failed', reason = ?, updated_at = ? WHERE id = ? AND status = 'processing'",
  ).run(reason, now, id);
}

/** At start: clips still processing were cut off with the last process; answers how many. */
export function markInterrupted(db: Db, now: Date): number {
  return db
    .prepare(
      `UPDATE clips SET status = 'failed', progress = 0, updated_at = ?,
         reason = 'interrupted: the controller stopped while processing; upload the recording again'
       WHERE status = 'processing'`,
    )
    .run(now.toISOString()).changes;
}

/** The broadcast files some clip names. */
export const storedSha256s = (db: Db) =>
  (db.prepare("SELECT DISTINCT sha256 FROM clips WHERE sha256 <> ''").all() as { sha256: string }[]).map(
    (r) => r.sha256,
  );

export const fileShared = (db: Db, sha256: string) =>
  !!db.prepare('SELECT 1 FROM clips WHERE sha256 = ?').get(sha256);

export const deleteClipRow = (db: Db, id: string) => db.prepare('DELETE FROM clips WHERE id = ?').run(id);

export function setTitle(db: Db, id: string, title: string, now: Date): void {
  db.prepare('UPDATE clips SET title = ?, updated_at = ? WHERE id = ?').run(title, now.toISOString(), id);
}

/** A review state; approving and rejecting also record who reviewed it and when. */
export function setReviewState(
  db: Db,
  id: string,
  to: ClipStatus,
  reason: string | null,
  reviewer: string | null,
  reviewing: boolean,
  now: string,
): void {
  db.prepare(
    `UPDATE clips SET status = ?, reason = ?, updated_at = ?,
       reviewed_by = CASE WHEN ? THEN ? ELSE reviewed_by END,
       reviewed_at = CASE WHEN ? THEN ? ELSE reviewed_at END
     WHERE id = ?`,
  ).run(to, reason, now, reviewing ? 1 : 0, reviewer, reviewing ? 1 : 0, now, id);
}
