// The clips a station holds besides its desired state's: bulletins' clips, and announcements recorded or
// uploaded on the station's local page.
import { rename, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Clock } from '../../common/clock.ts';
import { sha256File } from '../../common/hash.ts';
import type { Logger } from '../../common/log.ts';
import type { ClipRef } from '../../schedules/model.ts';
import type { AgentStore } from '../state/store.ts';
import type { PrefetchMore } from './cache.ts';

const DAY = 24 * 3_600_000;
/** A recording made at the station stays in the cache at least this long. */
const KEEP_LOCAL_MS = 7 * DAY;

export interface StationClip {
  id: string;
  title: string | null;
  durationMs: number;
  local: boolean;
}

export function createStationClips(deps: { dataDir: string; clock: Clock; store: AgentStore; log: Logger }) {
  const { clock, store, log } = deps;
  return {
    /** Bulletins' clips to fetch first (while they may still play); recent recordings never to evict. */
    prefetchMore(): PrefetchMore {
      const now = clock.now().getTime();
      const fetch = store
        .alertsSince(new Date(now - DAY).toISOString())
        .filter((a) => !a.alert.cancelledAt && Date.parse(a.alert.expiresAt) > now)
        .flatMap((a) => (a.alert.clip ? [a.alert.clip] : []));
      const since = new Date(now - KEEP_LOCAL_MS).toISOString();
      const keep = store
        .localClips()
        .filter((c) => c.createdAt >= since)
        .flatMap((c) => store.getClip(c.id)?.sha256 ?? []);
      return { fetch, keep };
    },
    /** A clip the station can announce: the desired state's, or one recorded here (cached either way). */
    ref(id: string): ClipRef | null {
      const known = store.getDesired()?.clips.find((c) => c.id === id);
      if (known) return known;
      const row = store.getClip(id);
      const local = store.localClips().find((c) => c.id === id);
      return row && local ? { id, sha256: row.sha256, bytes: row.bytes, durationMs: local.durationMs } : null;
    },
    /** Clips that can be announced: recordings made here first, then the desired state's cached ones. */
    list(): StationClip[] {
      const local = store
        .localClips()
        .filter((c) => store.getClip(c.id))
        .map((c) => ({ id: c.id, title: c.title, durationMs: c.durationMs, local: true }));
      const desired = (store.getDesired()?.clips ?? [])
        .filter((c) => store.getClip(c.id)?.sha256 === c.sha256)
        .map((c) => ({ id: c.id, title: c.title ?? null, durationMs: c.durationMs, local: false }));
      return [...local, ...desired];
    },
    /** Moves a broadcast-ready file into the cache as a local clip (id `local-<sha256 prefix>`). */
    async register(file: string, meta: { title: string; by: string; durationMs: number }): Promise<ClipRef> {
      const sha256 = await sha256File(file);
      const path = join(deps.dataDir, 'clips', `${sha256}.opus`);
      await rename(file, path);
      const { size: bytes } = await stat(path);
      const id = `local-${sha256.slice(0, 16)}`;
      const at = clock.now().toISOString();
      store.putClip({ id, sha256, path, bytes, fetchedAt: at });
      store.putLocalClip({
        id,
        title: meta.title,
        durationMs: meta.durationMs,
        createdBy: meta.by,
        createdAt: at,
      });
      log.info(`local clip ${id} (${Math.round(meta.durationMs / 1000)} s) from ${meta.by}: ${meta.title}`);
      return { id, sha256, bytes, durationMs: meta.durationMs };
    },
  };
}

export type StationClips = ReturnType<typeof createStationClips>;
