// GET /api/alerts/feeds: each configured CAP feed, how its polls go and what became of its documents.
import type { ControllerDeps } from '../../deps.ts';
import { type AnyRoute, defineRoute } from '../../http/route.ts';
import type { CapFeed } from './settings.ts';
import { type EntryRow, feedRow, recentEntries } from './store.ts';

/** The documents listed per feed. */
export const LISTED_ENTRIES = 50;

const entryView = (e: EntryRow) => ({
  link: e.link,
  state: e.state,
  sender: e.sender,
  identifier: e.identifier,
  sent: e.sent,
  alertId: e.alert_id,
  clipId: e.clip_id,
  reason: e.reason,
  reasonVi: e.reason_vi,
  attempts: e.attempts,
  firstSeenAt: e.first_seen_at,
  updatedAt: e.updated_at,
});

export function feedStatus(deps: Pick<ControllerDeps, 'db'>, feeds: readonly CapFeed[]) {
  return feeds.map((f) => {
    const row = feedRow(deps.db, f.url);
    return {
      name: f.name,
      url: f.url,
      intervalSeconds: f.intervalSeconds,
      senders: f.senders,
      lastPollAt: row?.last_poll_at ?? null,
      lastOkAt: row?.last_ok_at ?? null,
      lastError: row?.last_error ?? null,
      lastErrorVi: row?.last_error_vi ?? null,
      failures: row?.failures ?? 0,
      nextPollAt: row?.next_poll_at ?? null,
      documents: recentEntries(deps.db, f.url, LISTED_ENTRIES).map(entryView),
    };
  });
}

export function capFeedRoutes(deps: ControllerDeps): AnyRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/api/alerts/feeds',
      tag: 'alerts',
      summary:
        'The CAP feeds polled (CAP_FEEDS_FILE): last poll, last success, the last error in both languages, ' +
        'failures in a row, next poll, and the latest documents with their state (imported, duplicate, ' +
        'refused with its reason, held for review of its spoken clip, failing to download)',
      access: 'user',
      roles: ['technician', 'reviewer'],
      handle: () => ({ json: feedStatus(deps, deps.config.capFeeds) }),
    }),
  ];
}
