// Keeps the clip cache within its disk budget: only clips no entry needs are evicted, least recently used first.
import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../../common/log.ts';
import type { AgentStore } from '../state/store.ts';

interface CachedFile {
  name: string;
  sha256: string | null;
  bytes: number;
  /** ISO time of the last play (or fetch); files nothing remembers count as oldest */
  lastUsedAt: string;
  partial: boolean;
}

const MB = (n: number) => `${(n / 2 ** 20).toFixed(1)} MB`;

/**
 * Removes, until the cache fits `budgetBytes`: first partial downloads of clips no longer needed,
 * then complete clips no longer needed, least recently used first. A clip the desired state names
 * is never evicted, nor one being downloaded: a full disk is reported, not paid for with silence.
 */
export async function evictToBudget(
  deps: { dir: string; store: AgentStore; log: Logger; budgetBytes: number },
  needed: ReadonlySet<string>,
  busy: ReadonlySet<string>,
): Promise<number> {
  const lastUsed = new Map<string, string>();
  for (const r of deps.store.listClips()) {
    if ((lastUsed.get(r.sha256) ?? '') < r.lastUsedAt) lastUsed.set(r.sha256, r.lastUsedAt);
  }
  const files: CachedFile[] = [];
  for (const name of await readdir(deps.dir)) {
    const m = /^([0-9a-f]{64})\.(opus|part)$/.exec(name);
    const s = await stat(join(deps.dir, name)).catch(() => null);
    if (!s?.isFile()) continue;
    const sha256 = m?.[1] ?? null;
    files.push({
      name,
      sha256,
      bytes: s.size,
      lastUsedAt: (sha256 && lastUsed.get(sha256)) || '',
      partial: m?.[2] !== 'opus',
    });
  }
  let total = files.reduce((n, f) => n + f.bytes, 0);
  if (total <= deps.budgetBytes) return 0;
  const candidates = files
    .filter((f) => !(f.sha256 && (needed.has(f.sha256) || busy.has(f.sha256))))
    // ISO instants: code-unit order (localeCompare would load ICU's collation data on the station)
    .sort(
      (a, b) =>
        Number(b.partial) - Number(a.partial) ||
        (a.lastUsedAt < b.lastUsedAt ? -1 : a.lastUsedAt > b.lastUsedAt ? 1 : 0),
    );
  let evicted = 0;
  for (const f of candidates) {
    if (total <= deps.budgetBytes) break;
    await rm(join(deps.dir, f.name), { force: true });
    if (f.sha256 && !f.partial) deps.store.deleteClipsWithSha(f.sha256);
    total -= f.bytes;
    evicted++;
    deps.log.info(`clip cache: evicted ${f.name} (${MB(f.bytes)}, last used ${f.lastUsedAt || 'never'})`);
  }
  if (total > deps.budgetBytes) {
    deps.log.warn(
      `clip cache holds ${MB(total)}, over its ${MB(deps.budgetBytes)} budget: every clip left is needed`,
    );
  }
  return evicted;
}
