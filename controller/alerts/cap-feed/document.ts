// One CAP document a feed gave: read with the importer's own checks, its sender checked against the feed's,
// imported once through the same importer as POST /api/alerts, and what became of it recorded.
import { createHash } from 'node:crypto';
import type { ControllerDeps } from '../../deps.ts';
import { HttpError } from '../../http/errors.ts';
import { importCap } from '../cap/import.ts';
import { readCap } from '../cap/read.ts';
import type { CapMakers } from '../cap/speech/description.ts';
import { alertIdByRef } from '../cap/store.ts';
import type { CapFeed } from './settings.ts';
import { type EntryChange, type EntryRow, saveEntry, settledIdentity } from './store.ts';

/** A document that cannot be downloaded or spoken is tried at so many polls, then refused. */
export const MAX_ATTEMPTS = 5;

/** The key of a document a feed URL answers itself: its identity, else (unreadable) its hash. */
export function documentKey(feedUrl: string, xml: string): string {
  try {
    const cap = readCap(xml);
    return `${cap.sender},${cap.identifier},${cap.sent}`;
  } catch {
    return `${feedUrl}#sha256:${createHash('sha256').update(xml).digest('hex').slice(0, 16)}`;
  }
}

/** The reason an HttpError gives, in English and in Vietnamese (a CAP refusal's or a text refusal's). */
function reasonOf(e: HttpError): { reason: string; reason_vi: string } {
  const d = e.details as { messageVi?: string }[] | { vi?: string } | { field?: string } | undefined;
  const vi = Array.isArray(d) ? d[0]?.messageVi : d && 'vi' in d ? d.vi : undefined;
  return { reason: e.message, reason_vi: vi ?? `Văn bản CAP bị từ chối: ${e.message}` };
}

/** A failure that may pass (speech engines down, an unexpected error): tried again, up to MAX_ATTEMPTS. */
export function failingChange(old: EntryRow | undefined, reason: string, reasonVi: string): EntryChange {
  const attempts = (old?.attempts ?? 0) + 1;
  return attempts >= MAX_ATTEMPTS
    ? {
        state: 'refused',
        attempts,
        document: null,
        reason: `given up after ${attempts} tries: ${reason}`,
        reason_vi: `đã bỏ sau ${attempts} lần thử: ${reasonVi}`,
      }
    : { state: 'failing', attempts, reason, reason_vi: reasonVi };
}

/** What importing the document made of it. */
async function outcome(
  deps: ControllerDeps,
  makers: CapMakers,
  feed: CapFeed,
  xml: string,
  old: EntryRow | undefined,
): Promise<EntryChange> {
  let cap: ReturnType<typeof readCap>;
  try {
    cap = readCap(xml);
  } catch (e) {
    if (e instanceof HttpError) return { state: 'refused', ...reasonOf(e) };
    throw e;
  }
  const identity = { sender: cap.sender, identifier: cap.identifier, sent: cap.sent };
  if (!feed.senders.includes(cap.sender))
    return {
      state: 'refused',
      ...identity,
      reason: `CAP document refused: <alert/sender>: '${cap.sender}' is not a sender this feed speaks for (${feed.senders.join(', ')})`,
      reason_vi: `Văn bản CAP bị từ chối: <alert/sender>: '${cap.sender}' không phải đơn vị gửi của nguồn ${feed.name}`,
    };
  const known = alertIdByRef(deps.db, identity, deps.config.cap.sender);
  const settled = old ? undefined : settledIdentity(deps.db, identity);
  if (known || settled)
    return {
      state: 'duplicate',
      ...identity,
      alert_id: known ?? settled?.alert_id ?? null,
      reason: `already here${known ? ` as bulletin ${known}` : ` (${settled?.state} from ${settled?.link})`}`,
      reason_vi: known ? `đã có, là bản tin ${known}` : 'đã xử lý trước đó',
    };
  try {
    const out = await importCap(deps, xml, null, makers, `CAP: ${feed.name}`);
    const withdrew = out.replaced.map((r) => r.id).join(', ');
    return {
      state: 'imported',
      ...identity,
      alert_id: out.row?.id ?? null,
      clip_id: out.row?.clip_id ?? null,
      document: null,
      reason: `${cap.msgType}${withdrew ? `, withdrew ${withdrew}` : ''}${out.msgType !== 'Cancel' && out.speech ? `, spoken by ${out.speech.spokenBy}` : ''}`,
      reason_vi: `${cap.msgType}${withdrew ? `, đã thu hồi ${withdrew}` : ''}${out.msgType !== 'Cancel' && out.speech ? `, đọc bằng ${out.speech.spokenBy}` : ''}`,
    };
  } catch (e) {
    if (!(e instanceof HttpError)) {
      deps.log.error(`CAP feed ${feed.name}: ${(e as Error).stack ?? e}`);
      return { ...identity, ...failingChange(old, 'internal error', 'lỗi nội bộ') };
    }
    const why = reasonOf(e);
    if (e.code === 'cap_awaiting_review') {
      const clipId = (e.details as { clipId?: string }[])[0]?.clipId ?? null;
      return { state: 'held', ...identity, clip_id: clipId, document: xml, ...why };
    }
    if (e.status === 503) return { ...identity, ...failingChange(old, why.reason, why.reason_vi) };
    return { state: 'refused', ...identity, document: null, ...why };
  }
}

/** Imports the document `link` names (or the feed's own answer) and records what became of it. */
export async function settleDocument(
  deps: ControllerDeps,
  makers: CapMakers,
  feed: CapFeed,
  link: string,
  xml: string,
  old: EntryRow | undefined,
): Promise<EntryChange> {
  const change = await outcome(deps, makers, feed, xml, old);
  saveEntry(deps.db, feed.url, link, change, deps.clock.now().toISOString());
  const what = `CAP feed ${feed.name}: ${link}: ${change.state}${change.reason ? ` (${change.reason})` : ''}`;
  if (change.state === 'refused' || change.state === 'failing') deps.log.warn(what);
  else deps.log.info(what);
  return change;
}
