// Clip routes: streamed upload, background processing with progress, preview and station download.
import { rm } from 'node:fs/promises';
import { streamSSE } from 'hono/streaming';
import { z } from 'zod';
import { activeAlertWantsClip } from './alerts/store.ts';
import { audioHttpStatus, createAdmission } from './clips/admit.ts';
import { createClipProcessor } from './clips/process.ts';
import { reviewRoutes } from './clips/review.ts';
import { serveClipFile } from './clips/serve.ts';
import {
  type ClipRow,
  clipPath,
  clipView,
  DELIVERABLE,
  getClip,
  recoverClips,
  tmpDirOf,
} from './clips/store.ts';
import { receiveUpload } from './clips/upload.ts';
import type { ControllerDeps } from './deps.ts';
import { buildDesiredState } from './desired.ts';
import { conflict, HttpError, notFound } from './errors.ts';
import { type AnyRoute, defineRoute } from './routes.ts';

const Flag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const UploadQuery = z.strictObject({ wait: Flag.optional() });
const ListQuery = z.strictObject({
  status: z.enum(['processing', 'draft', 'approved', 'rejected', 'retired', 'failed']).optional(),
});

export function clipRoutes(deps: ControllerDeps): AnyRoute[] {
  const { db, config, clock, desired, log } = deps;
  recoverClips(db, config.dataDir, clock.now(), log);
  const processor = createClipProcessor(deps);
  const admit = createAdmission(deps, processor);
  const id = (params: Record<string, string>) => params.id as string;

  return [
    defineRoute({
      method: 'get',
      path: '/api/clips',
      tag: 'clips',
      summary: 'List clips with status, progress, duration, loudness and sha256; filter by status',
      access: 'user',
      query: ListQuery,
      handle: ({ query }) => {
        const rows = (
          query.status
            ? db.prepare('SELECT * FROM clips WHERE status = ? ORDER BY created_at DESC').all(query.status)
            : db.prepare('SELECT * FROM clips ORDER BY created_at DESC').all()
        ) as ClipRow[];
        return { json: rows.map(clipView) };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/clips',
      tag: 'clips',
      summary:
        'Upload a recording (multipart field "file", optional "title"), streamed to disk. ffprobe checks it at ' +
        'once (4xx with the reason); then 202 with the clip "processing" while it is trimmed, loudness-normalised ' +
        'and encoded as Opus (follow GET /api/clips/{id} or /events). The same bytes again answer their clip with ' +
        '200. ?wait=true answers only when processing is done: 201 draft, or 4xx/422 with the reason.',
      access: 'user',
      roles: ['technician', 'ward'],
      query: UploadQuery,
      multipart: { file: 'file', title: 'string' },
      responses: {
        200: 'these exact bytes were uploaded before: their clip',
        201: 'processed (with ?wait=true): a draft awaiting review',
        202: 'accepted; processing in the background',
        413: 'larger than MAX_UPLOAD_MB, or longer than MAX_CLIP_MINUTES (too-long)',
        415: 'not-audio, no-audio-stream, empty or corrupt',
        422: 'processing failed (with ?wait=true)',
      },
      handle: async ({ c, query, principal }) => {
        const up = await receiveUpload(c.req.raw, tmpDirOf(config.dataDir), config.maxUploadBytes);
        let admitted: { row: ClipRow; fresh: boolean };
        try {
          admitted = await admit(up, principal);
        } catch (e) {
          await rm(up.path, { force: true });
          throw e;
        }
        // a new clip's processing owns (and removes) the temp file; a repeat's copy is not needed
        if (!admitted.fresh) await rm(up.path, { force: true });
        if (!query.wait) return { status: admitted.fresh ? 202 : 200, json: clipView(admitted.row) };
        await processor.running(admitted.row.id);
        const row = getClip(db, admitted.row.id);
        if (row.status === 'failed') {
          const code = /^([a-z-]+):/.exec(row.reason ?? '')?.[1] ?? 'internal';
          throw new HttpError(audioHttpStatus(code), code, `clip rejected: ${row.reason}`, clipView(row));
        }
        return { status: admitted.fresh ? 201 : 200, json: clipView(row) };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/clips/:id',
      tag: 'clips',
      summary: 'One clip: status (processing, draft, approved, rejected, retired, failed), progress, reason',
      access: 'user',
      handle: ({ params }) => ({ json: clipView(getClip(db, id(params))) }),
    }),
    defineRoute({
      method: 'get',
      path: '/api/clips/:id/events',
      tag: 'clips',
      summary:
        'Server-sent events while the clip is processed: "progress" {status, progress}, then "done" with the clip',
      access: 'user',
      responses: { 200: 'text/event-stream' },
      handle: ({ c, params }) => {
        const clipId = getClip(db, id(params)).id;
        return streamSSE(c, async (stream) => {
          let finish = () => {};
          const finished = new Promise<void>((resolve) => {
            finish = resolve;
          });
          let chain = Promise.resolve();
          // one write at a time, in order; a client gone away ends the stream quietly
          const next = () => {
            chain = chain.then(send).catch(finish);
          };
          const send = async () => {
            const row = db.prepare('SELECT * FROM clips WHERE id = ?').get(clipId) as ClipRow | undefined;
            if (!row) {
              await stream.writeSSE({ event: 'gone', data: JSON.stringify({ id: clipId }) });
              return finish();
            }
            if (row.status === 'processing' && processor.running(clipId)) {
              const { status, progress } = row;
              return stream.writeSSE({
                event: 'progress',
                data: JSON.stringify({ id: clipId, status, progress }),
              });
            }
            await stream.writeSSE({ event: 'done', data: JSON.stringify(clipView(row)) });
            finish();
          };
          const unsubscribe = processor.subscribe(clipId, () => {
            next();
          });
          stream.onAbort(finish);
          next();
          await finished;
          unsubscribe();
          await chain;
        });
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/clips/:id/audio',
      tag: 'clips',
      summary:
        'The processed clip (Opus in Ogg) to preview or download; a station (its secret) gets only the clips ' +
        'its desired state names or a running bulletin to it; Range and If-Range supported, ETag is the sha256',
      access: 'user-or-station',
      responses: { 206: 'partial content', 409: 'not processed (yet)', 416: 'range not satisfiable' },
      handle: ({ c, params, principal }) => {
        const row = getClip(db, id(params));
        // a station gets what its own desired state names (approved or retired clips), and the clip of
        // a bulletin still running that reaches it (an emergency's may be a draft); nothing else
        if (principal?.kind === 'station') {
          const now = clock.now();
          const desiredState = buildDesiredState(db, principal.stationId, now);
          const wanted =
            (DELIVERABLE.includes(row.status) && desiredState.clips.some((c) => c.id === row.id)) ||
            activeAlertWantsClip(db, row.id, desiredState.station, now);
          if (!wanted) throw notFound('clip', row.id);
        }
        if (row.sha256 === '')
          throw conflict(`clip '${row.id}' is ${row.status}: there is no processed audio`);
        return serveClipFile(clipPath(config.dataDir, row.sha256), row.bytes, row.sha256, {
          range: c.req.header('range'),
          ifRange: c.req.header('if-range'),
        });
      },
    }),
    ...reviewRoutes(deps),
    defineRoute({
      method: 'delete',
      path: '/api/clips/:id',
      tag: 'clips',
      summary:
        'Delete a clip that no slot plays (any state but processing); its file goes with the last user',
      access: 'user',
      roles: ['technician', 'ward'],
      responses: {
        409: 'a slot still plays this clip, a running bulletin uses it, or it is still processing',
      },
      handle: async ({ params }) => {
        const row = getClip(db, id(params));
        if (row.status === 'processing') throw conflict(`clip '${row.id}' is still being processed`);
        const used = db.prepare('SELECT slot_id FROM slot_clips WHERE clip_id = ? LIMIT 1').get(row.id) as
          | { slot_id: string }
          | undefined;
        if (used) throw conflict(`clip '${row.id}' is played by slot '${used.slot_id}'`);
        const alert = db
          .prepare(
            'SELECT id FROM alerts WHERE clip_id = ? AND cancelled_at IS NULL AND expires_at > ? LIMIT 1',
          )
          .get(row.id, clock.now().toISOString()) as { id: string } | undefined;
        if (alert) throw conflict(`clip '${row.id}' is the clip of bulletin '${alert.id}', still running`);
        db.prepare('DELETE FROM clips WHERE id = ?').run(row.id);
        const shared = db.prepare('SELECT 1 FROM clips WHERE sha256 = ?').get(row.sha256);
        if (row.sha256 && !shared) await rm(clipPath(config.dataDir, row.sha256), { force: true });
        desired.sync();
        return { status: 204, json: null };
      },
    }),
  ];
}
