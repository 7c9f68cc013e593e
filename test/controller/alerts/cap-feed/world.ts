// The CAP feed tests' world: the CAP tests' controller (Cần Thơ's wards, an approved clip), a local HTTP
// server standing for a national warning service (an Atom feed and the CAP documents it links, each
// answer changeable between polls), a poller over the controller's database, and CAP documents written
// as the hydro-meteorological service would send them.
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { resolveFfmpeg } from '../../../../audio/index.ts';
import type { Logger } from '../../../../common/log.ts';
import { capClips } from '../../../../controller/alerts/cap/routes.ts';
import { capFeedPoller } from '../../../../controller/alerts/cap-feed/poller.ts';
import type { CapFeed } from '../../../../controller/alerts/cap-feed/settings.ts';
import { openDb } from '../../../../controller/db.ts';
import type { ControllerDeps } from '../../../../controller/deps.ts';
import type { TestController } from '../../../support/controller.ts';

export const SENDER = 'canhbao@nchmf.gov.vn';

export interface Answer {
  status?: number;
  body: string;
  type?: string;
  etag?: string;
  lastModified?: string;
}

/** A warning service on 127.0.0.1: `answers` by path (changed freely between polls); `requests` seen. */
export async function warningService() {
  const answers = new Map<string, Answer>();
  const requests: { path: string; ifNoneMatch?: string; ifModifiedSince?: string }[] = [];
  const server: Server = createServer((req: IncomingMessage, res) => {
    const p = req.url ?? '/';
    const ifNoneMatch = req.headers['if-none-match'];
    const ifModifiedSince = req.headers['if-modified-since'];
    requests.push({
      path: p,
      ...(ifNoneMatch ? { ifNoneMatch } : {}),
      ...(ifModifiedSince ? { ifModifiedSince } : {}),
    });
    const a = answers.get(p);
    if (!a) return res.writeHead(404).end('not here');
    if (a.etag && ifNoneMatch === a.etag) return res.writeHead(304).end();
    if (!a.etag && a.lastModified && ifModifiedSince === a.lastModified) return res.writeHead(304).end();
    res.writeHead(a.status ?? 200, {
      'content-type': a.type ?? 'application/xml; charset=utf-8',
      ...(a.etag ? { etag: a.etag } : {}),
      ...(a.lastModified ? { 'last-modified': a.lastModified } : {}),
    });
    res.end(a.body);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    answers,
    requests,
    /** how many times a path was asked for */
    asked: (p: string) => requests.filter((r) => r.path === p).length,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}
export type WarningService = Awaited<ReturnType<typeof warningService>>;

/** An Atom feed (newest entry first, as feeds list them) linking the given document paths. */
export function atomFeed(base: string, paths: string[]): string {
  const entries = paths
    .map(
      (p, i) => `  <entry>
    <id>urn:uuid:entry-${p}</id>
    <title>Cảnh báo ${i}</title>
    <updated>2026-11-26T0${Math.min(i, 9)}:00:00+07:00</updated>
    <link rel="alternate" type="text/html" href="${base}/html${p}"/>
    <link rel="alternate" type="application/cap+xml" href="${p}"/>
  </entry>`,
    )
    .reverse()
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <id>urn:uuid:nchmf-cap</id>
  <title>Cảnh báo thiên tai</title>
  <updated>2026-11-26T09:00:00+07:00</updated>
  <link rel="self" href="${base}/feed.atom"/>
${entries}
</feed>`;
}

export interface DocOptions {
  identifier: string;
  sent?: string;
  msgType?: 'Alert' | 'Update' | 'Cancel';
  references?: string;
  severity?: string;
  urgency?: string;
  language?: string;
  description?: string;
  /** an audio resource naming the approved clip of the CAP tests' world (none: the description is read) */
  audio?: boolean;
  sender?: string;
  expires?: string;
}

/** A CAP 1.2 alert for ward An Hòa (MA_DVHC 31117), as the warning service writes them. */
export function capDoc(o: DocOptions): string {
  const resource = o.audio
    ? `<resource><resourceDesc>Bản tin đọc</resourceDesc><mimeType>audio/ogg</mimeType>
      <uri>http://localhost/api/clips/clip-ok/audio</uri></resource>`
    : '';
  return `<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
  <identifier>${o.identifier}</identifier>
  <sender>${o.sender ?? SENDER}</sender>
  <sent>${o.sent ?? '2026-11-26T09:30:00+07:00'}</sent>
  <status>Actual</status>
  <msgType>${o.msgType ?? 'Alert'}</msgType>
  <scope>Public</scope>
  ${o.references ? `<references>${o.references}</references>` : ''}
  <info>
    <language>${o.language ?? 'vi-VN'}</language>
    <category>Met</category>
    <event>Lũ quét</event>
    <urgency>${o.urgency ?? 'Expected'}</urgency>
    <severity>${o.severity ?? 'Severe'}</severity>
    <certainty>Likely</certainty>
    <expires>${o.expires ?? '2026-11-26T18:00:00+07:00'}</expires>
    <headline>Cảnh báo lũ quét tại phường An Hòa</headline>
    <description>${o.description ?? 'Mưa lớn gây nguy cơ lũ quét, sạt lở đất tại phường An Hòa. Người dân không đi qua ngầm, tràn.'}</description>
    ${resource}
    <area>
      <areaDesc>Phường An Hòa</areaDesc>
      <geocode><valueName>MA_DVHC</valueName><value>31117</value></geocode>
    </area>
  </info>
</alert>`;
}

/** What the controller logged, by level. */
export function recordingLog() {
  const lines: { level: 'info' | 'warn' | 'error'; text: string }[] = [];
  const log: Logger = {
    info: (text: string) => void lines.push({ level: 'info', text }),
    warn: (text: string) => void lines.push({ level: 'warn', text }),
    error: (text: string) => void lines.push({ level: 'error', text }),
  } as Logger;
  return { log, lines };
}

/**
 * A poller of `feeds` over the controller's database file: `fresh` opens its own connection (a restart:
 * nothing kept in memory). The bus records the bulletins published.
 */
export function pollerFor(
  ctl: TestController,
  clock: { now: () => Date },
  feeds: CapFeed[],
  opts: { fresh?: boolean; log?: Logger } = {},
) {
  const published: { topic: string; payload: string }[] = [];
  const db = opts.fresh ? openDb(path.join(ctl.dataDir, 'controller.db')) : ctl.db;
  const deps: ControllerDeps = {
    config: { ...ctl.config, capFeeds: feeds },
    db,
    clock,
    ffmpeg: resolveFfmpeg(process.env),
    desired: ctl.desired,
    log: opts.log ?? recordingLog().log,
    bus: { publish: (topic, payload) => void published.push({ topic, payload }) },
  };
  const poller = capFeedPoller(deps, feeds, capClips(deps));
  return { poller, published, deps, close: () => (opts.fresh ? db.close() : undefined) };
}

export const feedOf = (base: string, extra: Partial<CapFeed> = {}): CapFeed => ({
  name: 'Trung tâm Dự báo KTTV quốc gia',
  url: `${base}/feed.atom`,
  intervalSeconds: 120,
  senders: [SENDER],
  maxEntries: 50,
  ...extra,
});

/** The rows the poller recorded for a feed's documents, by link's path. */
export function entriesOf(ctl: TestController, feedUrl: string) {
  const rows = ctl.db
    .prepare('SELECT * FROM cap_feed_entries WHERE feed_url = ? ORDER BY first_seen_at, link')
    .all(feedUrl) as Record<string, unknown>[];
  return new Map(rows.map((r) => [new URL(String(r.link), 'http://x').pathname, r]));
}

export const alertRows = (ctl: TestController) =>
  ctl.db.prepare('SELECT * FROM alerts ORDER BY issued_at, id').all() as Record<string, unknown>[];
