// Clip cache: downloads clips from the controller with the station secret, verifies size and sha256, keeps them on disk.
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, mkdirSync } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { ClipRef } from '../schedules/model.ts';
import { errorMessage, type Logger, sleep } from './deps.ts';
import type { AgentStore } from './store.ts';

export interface ClipCacheDeps {
  dataDir: string;
  controllerUrl: string;
  secret: string;
  store: AgentStore;
  log: Logger;
  fetch?: typeof fetch;
  /** Download attempts per ensure() call, and the backoff between them (doubling, with jitter). */
  retry?: { attempts: number; baseMs: number; maxMs: number };
}

export interface ClipCache {
  /** Returns the verified local path, downloading it if needed; rejects after the bounded retries. */
  ensure(clip: ClipRef, signal?: AbortSignal): Promise<string>;
  /** The cached path if the file is still there with the recorded size, else null. */
  pathFor(clipId: string): Promise<string | null>;
  /** The cached file of exactly this clip version, re-hashed; a corrupt file is forgotten and null returned. */
  verifiedPath(clip: Pick<ClipRef, 'id' | 'sha256'>): Promise<string | null>;
}

export class ClipVerifyError extends Error {
  override name = 'ClipVerifyError';
}

export async function sha256OfFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(file), hash);
  return hash.digest('hex');
}

export function createClipCache(deps: ClipCacheDeps): ClipCache {
  const dir = join(deps.dataDir, 'clips');
  mkdirSync(dir, { recursive: true });
  const doFetch = deps.fetch ?? fetch;
  const retry = deps.retry ?? { attempts: 5, baseMs: 2000, maxMs: 60_000 };
  const inflight = new Map<string, Promise<string>>();
  const base = deps.controllerUrl.replace(/\/+$/, '');

  async function sizeIs(path: string, bytes: number): Promise<boolean> {
    try {
      const s = await stat(path);
      return s.isFile() && s.size === bytes;
    } catch {
      return false;
    }
  }

  async function download(clip: ClipRef, signal?: AbortSignal): Promise<string> {
    const url = `${base}/api/clips/${encodeURIComponent(clip.id)}/audio`;
    const res = await doFetch(url, { headers: { authorization: `Bearer ${deps.secret}` }, signal });
    if (!res.ok || !res.body) {
      await res.body?.cancel();
      throw new Error(`GET ${url}: HTTP ${res.status}`);
    }
    const tmp = join(dir, `.${clip.id}.${randomBytes(6).toString('hex')}.part`);
    const hash = createHash('sha256');
    let bytes = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        bytes += chunk.length;
        if (bytes > clip.bytes)
          return cb(new ClipVerifyError(`clip ${clip.id}: more than ${clip.bytes} bytes`));
        hash.update(chunk);
        cb(null, chunk);
      },
    });
    try {
      const body = Readable.fromWeb(res.body as WebReadableStream<Uint8Array>);
      await pipeline(body, meter, createWriteStream(tmp), { signal });
      if (bytes !== clip.bytes)
        throw new ClipVerifyError(`clip ${clip.id}: got ${bytes} bytes, want ${clip.bytes}`);
      const sha = hash.digest('hex');
      if (sha !== clip.sha256) throw new ClipVerifyError(`clip ${clip.id}: sha256 ${sha} does not match`);
      const final = join(dir, `${clip.sha256}.opus`);
      await rename(tmp, final);
      deps.store.putClip({
        id: clip.id,
        sha256: clip.sha256,
        path: final,
        bytes: clip.bytes,
        fetchedAt: new Date().toISOString(),
      });
      return final;
    } finally {
      await rm(tmp, { force: true });
    }
  }

  async function ensureOnce(clip: ClipRef, signal?: AbortSignal): Promise<string> {
    const row = deps.store.getClip(clip.id);
    if (row && row.sha256 === clip.sha256 && (await sizeIs(row.path, clip.bytes))) return row.path;
    // Another clip id may already have brought the same bytes.
    const shared = join(dir, `${clip.sha256}.opus`);
    if ((await sizeIs(shared, clip.bytes)) && (await sha256OfFile(shared)) === clip.sha256) {
      deps.store.putClip({ ...clip, path: shared, fetchedAt: new Date().toISOString() });
      return shared;
    }
    let lastError: unknown;
    for (let attempt = 1; attempt <= retry.attempts; attempt++) {
      try {
        const path = await download(clip, signal);
        deps.log.info(`clip ${clip.id}: fetched and verified (${clip.bytes} bytes)`);
        return path;
      } catch (err) {
        if (signal?.aborted) throw err;
        lastError = err;
        deps.log.warn(`clip ${clip.id}: attempt ${attempt}/${retry.attempts} failed: ${errorMessage(err)}`);
        if (attempt < retry.attempts) {
          const ceiling = Math.min(retry.maxMs, retry.baseMs * 2 ** (attempt - 1));
          await sleep(ceiling / 2 + Math.random() * (ceiling / 2), signal);
        }
      }
    }
    throw new Error(
      `clip ${clip.id}: giving up after ${retry.attempts} attempts: ${errorMessage(lastError)}`,
    );
  }

  async function pathFor(clipId: string): Promise<string | null> {
    const row = deps.store.getClip(clipId);
    return row && (await sizeIs(row.path, row.bytes)) ? row.path : null;
  }

  return {
    ensure(clip, signal) {
      const key = `${clip.id}:${clip.sha256}`;
      let p = inflight.get(key);
      if (!p) {
        p = ensureOnce(clip, signal).finally(() => inflight.delete(key));
        inflight.set(key, p);
      }
      return p;
    },
    pathFor,
    async verifiedPath(clip) {
      const path = await pathFor(clip.id);
      const row = deps.store.getClip(clip.id);
      if (!path || !row || row.sha256 !== clip.sha256) return null;
      if ((await sha256OfFile(path)) === row.sha256) return path;
      deps.log.warn(`clip ${clip.id}: cached file ${path} is corrupt; forgetting it`);
      deps.store.deleteClip(clip.id);
      await rm(path, { force: true });
      return null;
    },
  };
}
