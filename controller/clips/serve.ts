// Serving a clip's file: who may fetch it (a station only what it is to play), with single-range support
// so agents on flaky links can resume downloads.
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { BROADCAST_FORMAT } from '../../audio/index.ts';
import { activeAlertWantsClip } from '../alerts/store.ts';
import type { Db } from '../db.ts';
import { stationInfo } from '../stations/store.ts';
import { desiredStateNamesClip } from './access.ts';
import { type ClipRow, DELIVERABLE } from './store.ts';

/**
 * Whether a station may fetch this clip: one the desired state it was last given names (approved or
 * retired), looked up in the index the desired-state sync keeps, or the clip of a bulletin still running
 * that reaches it (an emergency's may be a draft); nothing else.
 */
export function stationMayFetch(db: Db, stationId: string, row: ClipRow, now: Date): boolean {
  return (
    (DELIVERABLE.includes(row.status) && desiredStateNamesClip(db, stationId, row.id)) ||
    activeAlertWantsClip(db, row.id, stationInfo(db, stationId), now)
  );
}

/**
 * Honours one `Range: bytes=a-b` (or `a-`, or `-n`); `If-Range` with a different ETag gets the whole
 * file. The ETag is the sha256: a clip's file never changes, so a resumed download cannot splice two
 * versions together.
 */
export function serveClipFile(
  file: string,
  size: number,
  sha256: string,
  headersIn: { range?: string; ifRange?: string },
): Response {
  const etag = `"${sha256}"`;
  const headers: Record<string, string> = {
    'content-type': BROADCAST_FORMAT.mime,
    'accept-ranges': 'bytes',
    etag,
    'cache-control': 'private, max-age=86400',
  };
  let start = 0;
  let end = size - 1;
  const range = headersIn.ifRange && headersIn.ifRange !== etag ? undefined : headersIn.range;
  const m = range ? /^bytes=(\d*)-(\d*)$/.exec(range.trim()) : null;
  if (range && m && (m[1] || m[2])) {
    start = m[1] ? Number(m[1]) : Math.max(0, size - Number(m[2]));
    end = m[1] && m[2] ? Math.min(Number(m[2]), size - 1) : size - 1;
    if (start > end || start >= size) {
      return new Response(null, { status: 416, headers: { 'content-range': `bytes */${size}`, etag } });
    }
    headers['content-range'] = `bytes ${start}-${end}/${size}`;
  }
  headers['content-length'] = String(end - start + 1);
  const body = Readable.toWeb(createReadStream(file, { start, end })) as ReadableStream;
  return new Response(body, { status: headers['content-range'] ? 206 : 200, headers });
}
