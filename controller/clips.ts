// Clips: upload -> probe -> broadcast transcode -> sha256 -> stored by hash; listing and download.
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { z } from 'zod';
import { BROADCAST_FORMAT, sha256File, transcodeForBroadcast } from '../audio/broadcast.ts';
import { AudioError } from '../audio/ffmpeg.ts';
import { probeAudio } from '../audio/probe.ts';
import type { Db } from './db.ts';
import type { ControllerDeps } from './deps.ts';
import { badRequest, conflict, HttpError, notFound } from './errors.ts';
import { defineRoute } from './routes.ts';

interface ClipRow {
  id: string;
  title: string;
  original_name: string;
  source_format: string;
  sha256: string;
  bytes: number;
  duration_ms: number;
  loudness_in: number | null;
  loudness_out: number | null;
  true_peak_out: number | null;
  created_at: string;
}

const view = (r: ClipRow) => ({
  id: r.id,
  title: r.title,
  originalName: r.original_name,
  sourceFormat: r.source_format,
  sha256: r.sha256,
  bytes: r.bytes,
  durationMs: r.duration_ms,
  loudness: { inputLufs: r.loudness_in, outputLufs: r.loudness_out, outputTruePeakDb: r.true_peak_out },
  format: {
    mime: BROADCAST_FORMAT.mime,
    codec: 'opus',
    sampleRate: BROADCAST_FORMAT.sampleRate,
    channels: 1,
  },
  createdAt: r.created_at,
});

/** Stored files live at clips/ab/<sha256>.opus: the name is the content, never the uploader's name. */
export const clipPath = (dataDir: string, sha256: string) =>
  path.join(dataDir, 'clips', sha256.slice(0, 2), `${sha256}.${BROADCAST_FORMAT.extension}`);

const getRow = (db: Db, id: string) => {
  const r = db.prepare('SELECT * FROM clips WHERE id = ?').get(id) as ClipRow | undefined;
  if (!r) throw notFound('clip', id);
  return r;
};

function audioErrorToHttp(e: AudioError): HttpError {
  const status = e.code === 'too-long' ? 413 : e.code === 'timeout' || e.code === 'ffmpeg-failed' ? 422 : 415;
  return new HttpError(status, e.code, `clip rejected: ${e.message}`);
}

async function ingest(deps: ControllerDeps, file: File, title: string): Promise<ClipRow> {
  const { config, db, clock, ffmpeg, log } = deps;
  const tmpDir = path.join(config.dataDir, 'tmp');
  await mkdir(tmpDir, { recursive: true });
  const token = randomBytes(8).toString('hex');
  const upload = path.join(tmpDir, `${token}.upload`);
  const encoded = path.join(tmpDir, `${token}.${BROADCAST_FORMAT.extension}`);
  try {
    await pipeline(Readable.fromWeb(file.stream() as never), createWriteStream(upload));
    const probe = await probeAudio(ffmpeg, upload, { maxDurationMs: config.maxClipMs, timeoutMs: 30_000 });
    const result = await transcodeForBroadcast(ffmpeg, upload, encoded, {
      timeoutMs: Math.max(60_000, probe.durationMs),
    });
    const sha256 = await sha256File(encoded);
    const { size } = await stat(encoded);
    const dest = clipPath(config.dataDir, sha256);
    await mkdir(path.dirname(dest), { recursive: true });
    await rename(encoded, dest);
    const id = `clip-${randomBytes(5).toString('hex')}`;
    db.prepare(
      `INSERT INTO clips (id, title, original_name, source_format, sha256, bytes, duration_ms,
         loudness_in, loudness_out, true_peak_out, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      id,
      title,
      path.basename(file.name || 'upload').slice(0, 200),
      `${probe.formatName}/${probe.codec}`,
      sha256,
      size,
      result.durationMs,
      result.loudness.inputI,
      result.loudness.outputI,
      result.loudness.outputTp,
      clock.now().toISOString(),
    );
    log.info(
      `clip ${id} stored: ${result.durationMs} ms, ${result.loudness.outputI.toFixed(1)} LUFS, ${sha256}`,
    );
    return getRow(db, id);
  } catch (e) {
    if (e instanceof AudioError) throw audioErrorToHttp(e);
    throw e;
  } finally {
    await rm(upload, { force: true });
    await rm(encoded, { force: true });
  }
}

/** Serves a stored clip, honouring a single `Range: bytes=a-b` so agents can resume a download. */
async function serveFile(file: string, size: number, range: string | undefined): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': BROADCAST_FORMAT.mime, 'accept-ranges': 'bytes' };
  let start = 0;
  let end = size - 1;
  const m = range ? /^bytes=(\d*)-(\d*)$/.exec(range) : null;
  if (range && m && (m[1] || m[2])) {
    start = m[1] ? Number(m[1]) : Math.max(0, size - Number(m[2]));
    end = m[1] && m[2] ? Math.min(Number(m[2]), size - 1) : size - 1;
    if (start > end || start >= size) {
      return new Response(null, { status: 416, headers: { 'content-range': `bytes */${size}` } });
    }
    headers['content-range'] = `bytes ${start}-${end}/${size}`;
  }
  headers['content-length'] = String(end - start + 1);
  const body = Readable.toWeb(createReadStream(file, { start, end })) as ReadableStream;
  return new Response(body, { status: headers['content-range'] ? 206 : 200, headers });
}

export function clipRoutes(deps: ControllerDeps) {
  const { db, config } = deps;
  return [
    defineRoute({
      method: 'get',
      path: '/api/clips',
      tag: 'clips',
      summary: 'List clips with duration, loudness and sha256',
      access: 'user',
      handle: () => ({
        json: (db.prepare('SELECT * FROM clips ORDER BY created_at DESC').all() as ClipRow[]).map(view),
      }),
    }),
    defineRoute({
      method: 'post',
      path: '/api/clips',
      tag: 'clips',
      summary:
        'Upload a recording (field "file"); it is probed, trimmed, loudness-normalised and stored as Opus',
      access: 'user',
      multipart: { file: 'file', title: 'string' },
      responses: { 201: 'stored', 413: 'too large or too long', 415: 'not audio, empty or corrupt' },
      handle: async ({ c }) => {
        const form = await c.req.parseBody().catch(() => {
          throw badRequest('expected multipart/form-data with a "file" field');
        });
        const file = form.file;
        if (!(file instanceof File)) throw badRequest('multipart field "file" is missing');
        const title = z.string().trim().min(1).max(200).safeParse(form.title);
        const row = await ingest(deps, file, title.success ? title.data : file.name || 'clip');
        return { status: 201, json: view(row) };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/clips/:id',
      tag: 'clips',
      summary: 'One clip',
      access: 'user',
      handle: ({ params }) => ({ json: view(getRow(db, params.id as string)) }),
    }),
    defineRoute({
      method: 'get',
      path: '/api/clips/:id/audio',
      tag: 'clips',
      summary:
        'Download or preview the processed clip (Opus in Ogg); stations use their secret; Range supported',
      access: 'user-or-station',
      responses: { 206: 'partial content' },
      handle: async ({ c, params }) => {
        const row = getRow(db, params.id as string);
        return serveFile(clipPath(config.dataDir, row.sha256), row.bytes, c.req.header('range'));
      },
    }),
    defineRoute({
      method: 'delete',
      path: '/api/clips/:id',
      tag: 'clips',
      summary: 'Delete a clip that no slot uses',
      access: 'user',
      responses: { 409: 'a slot still plays this clip' },
      handle: async ({ params }) => {
        const row = getRow(db, params.id as string);
        const used = db.prepare('SELECT slot_id FROM slot_clips WHERE clip_id = ? LIMIT 1').get(row.id) as
          | { slot_id: string }
          | undefined;
        if (used) throw conflict(`clip '${row.id}' is played by slot '${used.slot_id}'`);
        db.prepare('DELETE FROM clips WHERE id = ?').run(row.id);
        const shared = db.prepare('SELECT 1 FROM clips WHERE sha256 = ?').get(row.sha256);
        if (!shared) await rm(clipPath(config.dataDir, row.sha256), { force: true });
        return { status: 204, json: null };
      },
    }),
  ];
}
