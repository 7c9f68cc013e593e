// Clip cache: resumable downloads from the controller with the station secret, sha256-verified, prefetched, within a disk budget.
import { createWriteStream, mkdirSync } from 'node:fs';
import { open, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { retryDelay } from '../../common/backoff.ts';
import { type Clock, systemClock } from '../../common/clock.ts';
import { sha256File } from '../../common/hash.ts';
import { errorMessage, type Logger } from '../../common/log.ts';
import { sleep } from '../../common/sleep.ts';
import type { ClipRef, DesiredState } from '../../schedules/model.ts';
import { utcToZoned } from '../../schedules/time.ts';
import type { AgentStore } from '../state/store.ts';
import { evictToBudget } from './budget.ts';

export interface ClipCacheDeps {
  dataDir: string;
  controllerUrl: string;
  secret: string;
  store: AgentStore;
  log: Logger;
  fetch?: typeof fetch;
  clock?: Clock;
  /** Download attempts per ensure() call, and the backoff between them (doubling, with jitter). */
  retry?: { attempts: number; baseMs: number; maxMs: number };
  /** Disk for cached clips; beyond it, clips no entry needs go, least recently used first. */
  budgetBytes?: number;
}

export interface ClipCache {
  /** Returns the verified local path, downloading (or resuming) it if needed; rejects after the bounded retries. */
  ensure(clip: ClipRef, signal?: AbortSignal): Promise<string>;
  /** The cached path if the file is still there with the recorded size, else null. */
  pathFor(clipId: string): Promise<string | null>;
  /** The cached file of exactly this clip version, re-hashed; a corrupt file is forgotten and null returned. */
  verifiedPath(clip: Pick<ClipRef, 'id' | 'sha256'>): Promise<string | null>;
  /** Fetches every clip the desired state names, the soonest needed first, then keeps to the budget. */
  prefetch(
    desired: DesiredState | null,
    signal?: AbortSignal,
    more?: PrefetchMore,
  ): Promise<{ cached: number; failed: number }>;
}

export class ClipVerifyError extends Error {
  override name = 'ClipVerifyError';
}

async function sizeOf(path: string): Promise<number> {
  try {
    const s = await stat(path);
    return s.isFile() ? s.size : -1;
  } catch {
    return -1;
  }
}

/** Clips in the order they are first needed: slots still to come, by their next date and time. */
export function byFirstUse(desired: DesiredState, now: Date): ClipRef[] {
  const today = utcToZoned(now, desired.station.timezone).date;
  const first = new Map<string, string>();
  for (const s of desired.slots) {
    if (s.endDate < today) continue;
    // biome-ignore lint/complexity/useMathMinMax: ISO date strings (text order), not numbers
    const from = s.startDate > today ? s.startDate : today;
    const when = `${from}T${s.startTime}`;
    for (const id of s.clipIds) {
      const known = first.get(id);
      if (known === undefined || when < known) first.set(id, when);
    }
  }
  // Code-unit order, not localeCompare: ICU's collation would cost the station memory, and it sorts '~' (a clip
  // no slot still uses) before the digits rather than last.
  const key = (c: ClipRef) => first.get(c.id) ?? '~';
  return [...desired.clips].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** Beyond the desired state: clips to fetch too (bulletins), and files never to evict (local recordings). */
export interface PrefetchMore {
  fetch?: readonly ClipRef[];
  keep?: readonly string[];
}

export function createClipCache(deps: ClipCacheDeps): ClipCache {
  const dir = join(deps.dataDir, 'clips');
  mkdirSync(dir, { recursive: true });
  const doFetch = deps.fetch ?? fetch;
  const clock = deps.clock ?? systemClock;
  const retry = deps.retry ?? { attempts: 5, baseMs: 2000, maxMs: 60_000 };
  const budgetBytes = deps.budgetBytes ?? 500 * 2 ** 20;
  const base = deps.controllerUrl.replace(/\/+$/, '');
  // keyed by content: two clip ids with the same bytes must not write one partial file at once
  const downloads = new Map<string, Promise<string>>();
  const finalPath = (sha256: string) => join(dir, `${sha256}.opus`);
  /** Named by content, kept across attempts and restarts: the next attempt resumes from its end. */
  const partPath = (sha256: string) => join(dir, `${sha256}.part`);

  /** One HTTP attempt: resumes the partial file with `Range`, then verifies size and sha256 of the whole. */
  async function attempt(clip: ClipRef, signal?: AbortSignal): Promise<string> {
    const part = partPath(clip.sha256);
    let have = Math.max(0, await sizeOf(part));
    if (have > clip.bytes) have = 0;
    if (have < clip.bytes) {
      const url = `${base}/api/clips/${encodeURIComponent(clip.id)}/audio`;
      const headers: Record<string, string> = { authorization: `Bearer ${deps.secret}` };
      // If-Range: should the controller's file differ from the one we started, it sends the whole
      if (have > 0) Object.assign(headers, { range: `bytes=${have}-`, 'if-range': `"${clip.sha256}"` });
      const res = await doFetch(url, { headers, signal });
      const range = /^bytes (\d+)-\d+\/(\d+)$/.exec(res.headers.get('content-range') ?? '');
      const resumed = res.status === 206 && Number(range?.[1]) === have && Number(range?.[2]) === clip.bytes;
      if (!(res.status === 200 || resumed) || !res.body) {
        await res.body?.cancel();
        if (res.status === 416 || res.status === 206) await rm(part, { force: true }); // start over next time
        throw new Error(`GET ${url}: HTTP ${res.status}`);
      }
      if (!resumed) have = 0;
      let bytes = have;
      const meter = new Transform({
        transform(chunk: Buffer, _enc, cb) {
          bytes += chunk.length;
          if (bytes > clip.bytes)
            return cb(new ClipVerifyError(`clip ${clip.id}: more than ${clip.bytes} bytes`));
          cb(null, chunk);
        },
      });
      const body = Readable.fromWeb(res.body as WebReadableStream<Uint8Array>);
      try {
        await pipeline(body, meter, createWriteStream(part, { flags: resumed ? 'a' : 'w' }), { signal });
      } catch (err) {
        // a broken connection keeps what arrived; bytes that cannot be right do not stay
        if (err instanceof ClipVerifyError) await rm(part, { force: true });
        if (err instanceof ClipVerifyError || signal?.aborted) throw err;
        const cause = (err as { cause?: unknown }).cause;
        throw new Error(
          `clip ${clip.id}: got ${bytes} of ${clip.bytes} bytes before the link broke ` +
            `(${errorMessage(err)}${cause ? `: ${errorMessage(cause)}` : ''}); the next attempt resumes there`,
        );
      }
      if (bytes < clip.bytes) {
        throw new Error(
          `clip ${clip.id}: got ${bytes} of ${clip.bytes} bytes; the rest is resumed from there`,
        );
      }
    }
    const sha = await sha256File(part);
    if (sha !== clip.sha256) {
      await rm(part, { force: true });
      throw new ClipVerifyError(`clip ${clip.id}: sha256 ${sha} does not match`);
    }
    const fh = await open(part, 'r+');
    await fh.sync().finally(() => fh.close());
    await rename(part, finalPath(clip.sha256));
    return finalPath(clip.sha256);
  }

  async function download(clip: ClipRef, signal?: AbortSignal): Promise<string> {
    let lastError: unknown;
    for (let n = 1; n <= retry.attempts; n++) {
      try {
        const path = await attempt(clip, signal);
        deps.log.info(`clip ${clip.id}: fetched and verified (${clip.bytes} bytes)`);
        return path;
      } catch (err) {
        if (signal?.aborted) throw err;
        lastError = err;
        deps.log.warn(`clip ${clip.id}: attempt ${n}/${retry.attempts} failed: ${errorMessage(err)}`);
        if (n < retry.attempts) {
          // between half the ceiling and all of it: one station's retries need no wide spread
          const backoff = { minMs: retry.baseMs, maxMs: retry.maxMs };
          await sleep(
            retryDelay(n - 1, backoff, () => 0.5 + Math.random() / 2),
            signal,
          );
        }
      }
    }
    throw new Error(
      `clip ${clip.id}: giving up after ${retry.attempts} attempts: ${errorMessage(lastError)}`,
    );
  }

  async function ensure(clip: ClipRef, signal?: AbortSignal): Promise<string> {
    const row = deps.store.getClip(clip.id);
    if (row && row.sha256 === clip.sha256 && (await sizeOf(row.path)) === clip.bytes) return row.path;
    const final = finalPath(clip.sha256);
    // another clip id (or a run before a crash) may already have brought the same bytes
    const ready =
      (await sizeOf(final)) === clip.bytes && (await sha256File(final)) === clip.sha256
        ? final
        : await (downloads.get(clip.sha256) ??
            (() => {
              const p = download(clip, signal).finally(() => downloads.delete(clip.sha256));
              downloads.set(clip.sha256, p);
              return p;
            })());
    deps.store.putClip({ ...clip, path: ready, fetchedAt: clock.now().toISOString() });
    return ready;
  }

  async function pathFor(clipId: string): Promise<string | null> {
    const row = deps.store.getClip(clipId);
    return row && (await sizeOf(row.path)) === row.bytes ? row.path : null;
  }

  const keepToBudget = (needed: readonly ClipRef[], keep: readonly string[]) =>
    evictToBudget(
      { dir, store: deps.store, log: deps.log, budgetBytes },
      new Set([...needed.map((c) => c.sha256), ...keep]),
      new Set(downloads.keys()),
    );

  return {
    ensure,
    pathFor,
    async verifiedPath(clip) {
      const row = deps.store.getClip(clip.id);
      if (!row || row.sha256 !== clip.sha256) return null;
      const path = await pathFor(clip.id);
      if (!path) {
        deps.log.warn(`clip ${clip.id}: cached file ${row.path} is gone or truncated; forgetting it`);
        deps.store.deleteClip(clip.id);
        return null;
      }
      if ((await sha256File(path)) === row.sha256) {
        deps.store.touchClip(clip.id, clock.now().toISOString());
        return path;
      }
      deps.log.warn(`clip ${clip.id}: cached file ${path} is corrupt; forgetting it`);
      deps.store.deleteClip(clip.id);
      await rm(path, { force: true });
      return null;
    },
    async prefetch(desired, signal, more = {}) {
      const needed = [...(more.fetch ?? []), ...(desired ? byFirstUse(desired, clock.now()) : [])];
      const keep = more.keep ?? [];
      await keepToBudget(needed, keep);
      let failed = 0;
      for (const clip of needed) {
        if (signal?.aborted) break;
        await ensure(clip, signal).catch((err) => {
          failed++;
          if (!signal?.aborted) deps.log.warn(errorMessage(err));
        });
      }
      await keepToBudget(needed, keep);
      return { cached: needed.length - failed, failed };
    },
  };
}
