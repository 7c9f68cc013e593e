// /api/clips: streamed upload, background processing with progress, preview and station download, review.
import { z } from 'zod';
import { receiveUpload } from '../../common/upload.ts';
import type { ControllerDeps } from '../deps.ts';
import { badRequest, conflict, HttpError, notFound } from '../http/errors.ts';
import { resourcePatch } from '../http/patch.ts';
import { type AnyRoute, defineRoute, idParam } from '../http/route.ts';
import type { Principal } from '../users/roles.ts';
import { admitUpload, createAdmission } from './admit.ts';
import { clipEvents } from './events.ts';
import { clipPath, recoverClips, tmpDirOf } from './files.ts';
import { createClipProcessor } from './process.ts';
import { removeClip } from './remove.ts';
import { transition } from './review.ts';
import { serveClipFile, stationMayFetch } from './serve.ts';
import { type ClipStatus, clipView, getClip, listClips, setTitle } from './store.ts';
import { admitText, parseBody, TextClipBody } from './text/admit.ts';
import { textRoutes } from './text/routes.ts';
import { speakerOf } from './text/speaker.ts';
import { withText } from './text/store.ts';

const Flag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const UploadQuery = z.strictObject({ wait: Flag.optional() });
/** What an edit may change of a clip; the same bounds as the upload's "title" field. */
const ClipPatch = resourcePatch(z.strictObject({ title: z.string().trim().min(1).max(200) }));
const ListQuery = z.strictObject({
  status: z.enum(['processing', 'draft', 'approved', 'rejected', 'retired', 'failed']).optional(),
});
const RejectBody = z.strictObject({ reason: z.string().trim().min(1).max(500) });
/** The reviewer's note on an approval (optional), kept with the review like a rejection's reason. */
const ApproveBody = z.strictObject({ note: z.string().trim().max(500).optional() });

/** An upload's refusal (common/upload.ts, English) in Vietnamese for the console. */
function uploadRefusalVi(status: number, message: string): string {
  if (status === 413)
    return `Tệp tải lên vượt quá dung lượng cho phép (${/\d+ MB/.exec(message)?.[0] ?? ''}).`;
  if (/"file"/.test(message)) return 'Chưa chọn tệp âm thanh để tải lên.';
  if (message === 'one file per upload') return 'Mỗi lần chỉ tải lên một tệp.';
  if (message === 'too many form fields') return 'Biểu mẫu tải lên có quá nhiều trường.';
  return 'Tệp tải lên bị gián đoạn hoặc không đọc được; vui lòng thử lại.';
}

export function clipRoutes(deps: ControllerDeps): AnyRoute[] {
  const { db, config, clock, desired } = deps;
  recoverClips(db, config.dataDir, clock.now(), deps.log);
  const processor = createClipProcessor(deps);
  const admission = createAdmission(deps, processor);
  const speaker = speakerOf(config.tts, tmpDirOf(config.dataDir));
  const view = (row: Parameters<typeof clipView>[0]) => withText(db, clipView(row));

  return [
    // before /api/clips/:id, which would take "voices" for an id
    ...textRoutes(deps, speaker),
    defineRoute({
      method: 'get',
      path: '/api/clips',
      tag: 'clips',
      summary: 'List clips with status, progress, duration, loudness and sha256; filter by status',
      access: 'user',
      query: ListQuery,
      handle: ({ query }) => ({ json: listClips(db, query.status).map(view) }),
    }),
    defineRoute({
      method: 'post',
      path: '/api/clips',
      tag: 'clips',
      summary:
        'Upload a recording (multipart field "file", optional "title"), streamed to disk. ffprobe checks it at ' +
        'once (4xx with the reason); then 202 with the clip "processing" while it is trimmed, loudness-normalised ' +
        'and encoded as Opus (follow GET /api/clips/{id} or /events). The same bytes again answer their clip with ' +
        '200. ?wait=true answers only when processing is done: 201 draft, or 4xx/422 with the reason. ' +
        'With a JSON body {title, text, voice?, speed?, chime?: {before, after}, replaces?} the clip is made ' +
        "from text: read (normalised), spoken by the voice's engine (or the next one, said in text.fallbacks), " +
        'then the same pipeline and review; the text is kept beside the audio (docs/speech.md).',
      access: 'user',
      roles: ['technician', 'ward'],
      query: UploadQuery,
      multipart: { file: 'file', title: 'string' },
      responses: {
        200: 'these exact bytes were uploaded before: their clip',
        201: 'processed (with ?wait=true): a draft awaiting review',
        202: 'accepted; processing in the background',
        413: 'larger than MAX_UPLOAD_MB (too_large), or longer than MAX_CLIP_MINUTES (too_long)',
        415: 'not_audio, no_audio_stream, empty or corrupt',
        422: 'processing failed (with ?wait=true), or a text with nothing to read',
        503: 'a text no speech engine could read (nothing stored)',
      },
      handle: async ({ c, query, principal }) => {
        if (/^application\/json\b/i.test(c.req.header('content-type') ?? '')) {
          const raw = await c.req.json().catch(() => {
            throw badRequest(['request body must be JSON', 'Nội dung yêu cầu phải là JSON.'], {
              vi: 'Nội dung yêu cầu phải là JSON.',
              en: 'The body must be JSON.',
            });
          });
          const input = parseBody(TextClipBody, raw);
          const wait = query.wait === true;
          const { status, row } = await admitText(deps, admission, speaker, input, principal, wait);
          return { status, json: view(row) };
        }
        const up = await receiveUpload(c.req.raw, {
          tmpDir: tmpDirOf(config.dataDir),
          maxBytes: config.maxUploadBytes,
          refuse: (status, code, message) =>
            new HttpError(status, code, [message, uploadRefusalVi(status, message)]),
        });
        const { status, row } = await admitUpload(admission, up, principal, query.wait === true);
        return { status, json: view(row) };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/clips/:id',
      tag: 'clips',
      summary: 'One clip: status (processing, draft, approved, rejected, retired, failed), progress, reason',
      access: 'user',
      handle: ({ params }) => ({ json: view(getClip(db, idParam(params))) }),
    }),
    defineRoute({
      method: 'get',
      path: '/api/clips/:id/events',
      tag: 'clips',
      summary:
        'Server-sent events while the clip is processed: "progress" {status, progress}, then "done" with the clip',
      access: 'user',
      responses: { 200: 'text/event-stream' },
      handle: ({ c, params }) => clipEvents(c, db, processor, getClip(db, idParam(params)).id),
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
        const row = getClip(db, idParam(params));
        if (principal?.kind === 'station' && !stationMayFetch(db, principal.stationId, row, clock.now()))
          throw notFound('clip', row.id);
        if (row.sha256 === '')
          throw conflict([
            `clip '${row.id}' is ${row.status}: there is no processed audio`,
            `Tệp âm thanh «${row.title}» chưa có bản đã xử lý để nghe.`,
          ]);
        return serveClipFile(clipPath(config.dataDir, row.sha256), row.bytes, row.sha256, {
          range: c.req.header('range'),
          ifRange: c.req.header('if-range'),
        });
      },
    }),
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
        const id = idParam(params);
        await removeClip(db, config.dataDir, id, clock.now());
        desired.sync({ clips: [id] });
        return { status: 204, json: null };
      },
    }),
    defineRoute({
      method: 'patch',
      path: '/api/clips/:id',
      tag: 'clips',
      // the title is the library's label, never sent to stations or played: no new review needed
      summary: "Correct a clip's title (in any state); the recording and its review stay as they are",
      access: 'user',
      roles: ['technician', 'ward', 'reviewer'],
      body: ClipPatch.schema,
      handle: ({ params, body }) => {
        const row = getClip(db, idParam(params));
        setTitle(db, row.id, ClipPatch.apply({ title: row.title }, body).title, clock.now());
        return { json: clipView(getClip(db, row.id)) };
      },
    }),
  ];
}

export function clipReviewRoutes(deps: ControllerDeps): AnyRoute[] {
  const { db, clock, desired, log } = deps;
  /** A review transition, logged; stations get the clips they may now play (or no longer may). */
  const review = (
    params: Record<string, string>,
    principal: Principal | null,
    move: { from: ClipStatus[]; to: ClipStatus; reason?: string },
  ) => {
    const { id, was } = transition(db, idParam(params), principal, move, clock.now());
    const by = principal?.kind === 'user' ? ` by ${principal.username}` : '';
    log.info(`clip ${id}: ${was} -> ${move.to}${by}`);
    desired.sync({ clips: [id] });
    return { json: withText(db, clipView(getClip(db, id))) };
  };
  return [
    defineRoute({
      method: 'post',
      path: '/api/clips/:id/approve',
      tag: 'clips',
      summary:
        'Approve a draft (or a rejected or retired clip) so it can be scheduled, with an optional note ' +
        '(reviewNote); not by its uploader',
      access: 'user',
      roles: ['reviewer'],
      body: ApproveBody,
      bodyOptional: true,
      responses: { 409: 'not in a state that can be approved' },
      handle: ({ params, principal, body }) =>
        review(params, principal, {
          from: ['draft', 'rejected', 'retired'],
          to: 'approved',
          reason: body.note || undefined,
        }),
    }),
    defineRoute({
      method: 'post',
      path: '/api/clips/:id/reject',
      tag: 'clips',
      summary: 'Reject a draft with a reason the uploader will see',
      access: 'user',
      roles: ['reviewer'],
      body: RejectBody,
      responses: { 409: 'not a draft' },
      handle: ({ params, principal, body }) =>
        review(params, principal, { from: ['draft'], to: 'rejected', reason: body.reason }),
    }),
    defineRoute({
      method: 'post',
      path: '/api/clips/:id/retire',
      tag: 'clips',
      summary:
        'Retire an approved clip: no new slots may use it; slots that play it keep it until they change',
      access: 'user',
      roles: ['reviewer', 'technician'],
      responses: { 409: 'not approved' },
      handle: ({ params, principal }) => review(params, principal, { from: ['approved'], to: 'retired' }),
    }),
  ];
}
