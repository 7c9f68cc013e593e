// One poll of one feed: the feed fetched with its validators, each new document it links imported once
// (oldest first, so an Alert comes before its Update and Cancel), then the documents held for review or
// failing to download tried again. A feed that cannot be had or read backs off: its interval doubled per
// failure in a row, up to an hour.
import { findClip } from '../../clips/store.ts';
import type { ControllerDeps } from '../../deps.ts';
import { chosenInfo } from '../cap/import.ts';
import { MAX_CAP_BYTES, readCap } from '../cap/read.ts';
import type { CapMakers } from '../cap/speech/description.ts';
import { DEFAULT_ALERT_MS } from '../issue.ts';
import { documentKey, failingChange, settleDocument } from './document.ts';
import { fetchText } from './http.ts';
import { FeedError, type FeedLink, MAX_FEED_BYTES, readFeed } from './read.ts';
import type { CapFeed } from './settings.ts';
import {
  type EntryRow,
  entryRow,
  type FeedRow,
  feedRow,
  pendingEntries,
  saveEntry,
  saveFeed,
} from './store.ts';

export const FETCH_TIMEOUT_MS = 30_000;
export const MAX_BACKOFF_MS = 3_600_000;
/** A linked document is read up to this size; the importer itself refuses one over MAX_CAP_BYTES. */
const DOCUMENT_BYTES = MAX_CAP_BYTES * 4;

/** The wait before the next poll after `failures` failures in a row. */
export function nextPollDelayMs(feed: CapFeed, failures: number): number {
  const interval = feed.intervalSeconds * 1000;
  if (failures === 0) return interval;
  return Math.min(interval * 2 ** Math.min(failures, 20), Math.max(interval, MAX_BACKOFF_MS));
}

/** The entries to read: the newest `maxEntries` (feeds list newest first), read oldest first. */
function toRead(links: FeedLink[], max: number): FeedLink[] {
  const newest = links.slice(0, max).reverse();
  return newest
    .map((l, i) => ({ l, i }))
    .sort((a, b) => (a.l.at && b.l.at ? a.l.at.localeCompare(b.l.at) : 0) || a.i - b.i)
    .map((x) => x.l);
}

/** Downloads a linked document and imports it; a download that fails is tried again at the next polls. */
async function readLinked(
  deps: ControllerDeps,
  makers: CapMakers,
  feed: CapFeed,
  link: string,
  old?: EntryRow,
) {
  let xml: string;
  try {
    const got = await fetchText(link, { timeoutMs: FETCH_TIMEOUT_MS, maxBytes: DOCUMENT_BYTES });
    xml = got.status === 'ok' ? got.text : '';
  } catch (e) {
    if (!(e instanceof FeedError)) throw e;
    const change = e.permanent
      ? { state: 'refused' as const, reason: e.message, reason_vi: e.messageVi }
      : failingChange(old, e.message, e.messageVi);
    saveEntry(deps.db, feed.url, link, change, deps.clock.now().toISOString());
    deps.log.warn(`CAP feed ${feed.name}: ${link}: ${change.state} (${change.reason})`);
    return;
  }
  await settleDocument(deps, makers, feed, link, xml, old);
}

/**
 * A held document is tried again once its spoken clip has been reviewed (or is gone), or once the alert
 * has expired (the importer then refuses it for good): never spoken again while it waits.
 */
function due(deps: ControllerDeps, e: EntryRow, document: string): boolean {
  const clip = e.clip_id ? findClip(deps.db, e.clip_id) : undefined;
  if (!clip || (clip.status !== 'draft' && clip.status !== 'processing')) return true;
  try {
    const info = chosenInfo(readCap(document));
    const expires = info.expires
      ? Date.parse(info.expires)
      : Date.parse(e.first_seen_at) + DEFAULT_ALERT_MS.priority;
    return expires <= deps.clock.now().getTime();
  } catch {
    return true;
  }
}

async function retryPending(deps: ControllerDeps, makers: CapMakers, feed: CapFeed, done: Set<string>) {
  for (const e of pendingEntries(deps.db, feed.url)) {
    if (done.has(e.link)) continue;
    if (e.state === 'held' && e.document !== null) {
      if (due(deps, e, e.document)) await settleDocument(deps, makers, feed, e.link, e.document, e);
    } else if (e.state === 'failing' && URL.canParse(e.link)) await readLinked(deps, makers, feed, e.link, e);
  }
}

/** Polls `feed` once, now; records the outcome and when to poll next. */
export async function pollFeed(deps: ControllerDeps, makers: CapMakers, feed: CapFeed): Promise<void> {
  const { db, clock, log } = deps;
  const started = clock.now();
  const old: FeedRow = feedRow(db, feed.url) ?? {
    url: feed.url,
    etag: null,
    last_modified: null,
    last_poll_at: null,
    last_ok_at: null,
    last_error: null,
    last_error_vi: null,
    failures: 0,
    next_poll_at: null,
  };
  const done = new Set<string>();
  let validators = { etag: old.etag, last_modified: old.last_modified };
  try {
    const got = await fetchText(
      feed.url,
      { timeoutMs: FETCH_TIMEOUT_MS, maxBytes: MAX_FEED_BYTES },
      { etag: old.etag, lastModified: old.last_modified },
    );
    if (got.status === 'ok') {
      const content = readFeed(got.text, feed.url);
      if (content.kind === 'cap') {
        const key = documentKey(feed.url, content.xml);
        if (!entryRow(db, feed.url, key)) {
          done.add(key);
          await settleDocument(deps, makers, feed, key, content.xml, undefined);
        }
      } else
        for (const { url } of toRead(content.links, feed.maxEntries)) {
          if (done.has(url) || entryRow(db, feed.url, url)) continue;
          done.add(url);
          await readLinked(deps, makers, feed, url);
        }
      validators = { etag: got.etag, last_modified: got.lastModified };
    }
  } catch (e) {
    const failures = old.failures + 1;
    const [en, vi] = e instanceof FeedError ? [e.message, e.messageVi] : [String(e), 'lỗi nội bộ'];
    if (!(e instanceof FeedError)) log.error(`CAP feed ${feed.name}: ${(e as Error).stack ?? e}`);
    const next = new Date(clock.now().getTime() + nextPollDelayMs(feed, failures));
    log.warn(
      `CAP feed ${feed.name}: ${en} (failure ${failures} in a row; next poll at ${next.toISOString()})`,
    );
    saveFeed(db, {
      ...old,
      last_poll_at: started.toISOString(),
      last_error: en,
      last_error_vi: vi,
      failures,
      next_poll_at: next.toISOString(),
    });
    return;
  }
  await retryPending(deps, makers, feed, done);
  saveFeed(db, {
    url: feed.url,
    ...validators,
    last_poll_at: started.toISOString(),
    last_ok_at: started.toISOString(),
    last_error: null,
    last_error_vi: null,
    failures: 0,
    next_poll_at: new Date(clock.now().getTime() + nextPollDelayMs(feed, 0)).toISOString(),
  });
}
