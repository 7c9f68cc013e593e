// Clip rows and files: the review states, the public view, content-addressed paths, atomic writes, crash recovery.
import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, rmSync } from 'node:fs';
import { mkdir, open, rename } from 'node:fs/promises';
import path from 'node:path';
import { BROADCAST_FORMAT } from '../../audio/index.ts';
import type { Db } from '../db.ts';
import type { Logger } from '../deps.ts';
import { notFound } from '../errors.ts';

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
  /** why processing failed, or the reviewer's reason for rejecting */
  reason: r.reason,
  rejectionReason: r.status === 'rejected' ? r.reason : null,
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

/** Stored files live at clips/ab/<sha256>.opus: the name is the content, never the uploader's name. */
export const clipPath = (dataDir: string, sha256: string) =>
  path.join(dataDir, 'clips', sha256.slice(0, 2), `${sha256}.${BROADCAST_FORMAT.extension}`);

export const tmpDirOf = (dataDir: string) => path.join(dataDir, 'tmp');

export function getClip(db: Db, id: string): ClipRow {
  const r = db.prepare('SELECT * FROM clips WHERE id = ?').get(id) as ClipRow | undefined;
  if (!r) throw notFound('clip', id);
  return r;
}

/** The live clip made from exactly these uploaded bytes; failed attempts do not count. */
export const findBySource = (db: Db, sourceSha256: string) =>
  db.prepare("SELECT * FROM clips WHERE source_sha256 = ? AND status <> 'failed'").get(sourceSha256) as
    | ClipRow
    | undefined;

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

/**
 * Moves a finished temp file to its final name so that a crash leaves either nothing or the whole
 * file: data flushed before the rename, the rename flushed by syncing the folder.
 */
export async function commitFile(tmp: string, dest: string): Promise<void> {
  const fh = await open(tmp, 'r+');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
  await mkdir(path.dirname(dest), { recursive: true });
  await rename(tmp, dest);
  try {
    const dir = openSync(path.dirname(dest), 'r');
    try {
      fsyncSync(dir);
    } finally {
      closeSync(dir);
    }
  } catch {
    // some filesystems refuse to sync a directory; the rename itself is still atomic
  }
}

/**
 * At start: nothing can still be processing (the jobs died with the last process), temp files are
 * leftovers, and a stored file no row names was renamed into place just before a crash.
 */
export function recoverClips(db: Db, dataDir: string, now: Date, log: Logger): void {
  const stale = db
    .prepare(
      `UPDATE clips SET status = 'failed', progress = 0, updated_at = ?,
         reason = 'interrupted: the controller stopped while processing; upload the recording again'
       WHERE status = 'processing'`,
    )
    .run(now.toISOString()).changes;
  if (stale) log.warn(`${stale} clip(s) were processing when the controller stopped; marked failed`);
  const tmp = tmpDirOf(dataDir);
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  const known = new Set(
    (db.prepare("SELECT DISTINCT sha256 FROM clips WHERE sha256 <> ''").all() as { sha256: string }[]).map(
      (r) => `${r.sha256}.${BROADCAST_FORMAT.extension}`,
    ),
  );
  const root = path.join(dataDir, 'clips');
  let entries: string[] = [];
  try {
    entries = readdirSync(root, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .flatMap((d) => readdirSync(path.join(root, d.name)).map((f) => path.join(d.name, f)));
  } catch {
    return; // no clips folder yet
  }
  for (const rel of entries) {
    if (known.has(path.basename(rel))) continue;
    log.warn(`removing ${rel}: no clip refers to it`);
    rmSync(path.join(root, rel), { force: true });
  }
}
