// Polling a CAP feed: a local HTTP server stands for the warning service (an Atom feed linking CAP
// documents); each document is imported once across polls and a restart, an Update then a Cancel act on
// the bulletin, hostile documents are refused while the feed goes on, and a server that is down is
// backed off from and read again when it is back.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { consoleSession } from '../../../console/session.ts';
import { ADMIN_PASSWORD, type TestController } from '../../../support/controller.ts';
import { type TempDir, tempDir } from '../../../support/temp.ts';
import { waitFor } from '../../../support/wait.ts';
import { capWorld } from '../cap/world.ts';
import {
  alertRows,
  atomFeed,
  capDoc,
  entriesOf,
  feedOf,
  pollerFor,
  recordingLog,
  SENDER,
  type WarningService,
  warningService,
} from './world.ts';

let now = new Date('2026-11-26T03:00:00Z');
const clock = { now: () => now };
const later = (seconds: number) => {
  now = new Date(now.getTime() + seconds * 1000);
};
let ctl: TestController;
let service: WarningService;

let dir: TempDir;

beforeEach(async () => {
  now = new Date('2026-11-26T03:00:00Z');
  service = await warningService();
  // the controller is configured with the service's feed, as CAP_FEEDS_FILE gives it at start
  dir = tempDir('cap-feeds');
  const file = path.join(dir.dir, 'feeds.json');
  writeFileSync(file, JSON.stringify({ feeds: [feedOf(service.base)] }));
  ctl = await capWorld(clock, { CAP_FEEDS_FILE: file });
});
afterEach(async () => {
  await service.close();
  ctl.cleanup();
  dir.cleanup();
});

const serveFeed = (paths: string[], etag?: string) =>
  service.answers.set('/feed.atom', {
    body: atomFeed(service.base, paths),
    type: 'application/atom+xml',
    etag,
  });
const serveDoc = (p: string, body: string) => service.answers.set(p, { body, type: 'application/cap+xml' });

describe('polling a CAP feed', () => {
  it('imports a new alert once, across polls and a restart, asking with the ETag it was given', async () => {
    serveDoc('/cap/lu-1.xml', capDoc({ identifier: 'LU-1', audio: true }));
    serveFeed(['/cap/lu-1.xml'], '"v1"');
    const feed = feedOf(service.base);
    const first = pollerFor(ctl, clock, [feed]);
    await first.poller.tick();
    expect(alertRows(ctl)).toHaveLength(1);
    expect(alertRows(ctl)[0]).toMatchObject({ level: 'priority', issued_by: `CAP: ${feed.name}` });
    expect(first.published.length).toBeGreaterThan(0);
    expect(entriesOf(ctl, feed.url).get('/cap/lu-1.xml')).toMatchObject({
      state: 'imported',
      identifier: 'LU-1',
    });

    // not due yet: nothing asked
    later(60);
    await first.poller.tick();
    expect(service.asked('/feed.atom')).toBe(1);
    // due: asked with If-None-Match, answered 304
    later(60);
    await first.poller.tick();
    expect(service.requests.at(-1)).toEqual({ path: '/feed.atom', ifNoneMatch: '"v1"' });
    // the feed changes (a new ETag) but lists the same document: not downloaded again
    serveFeed(['/cap/lu-1.xml'], '"v2"');
    later(120);
    await first.poller.tick();
    expect(service.asked('/cap/lu-1.xml')).toBe(1);

    // a restart: a new poller on a new connection to the same file
    const second = pollerFor(ctl, clock, [feed], { fresh: true });
    later(120);
    await second.poller.tick();
    second.close();
    expect(service.asked('/feed.atom')).toBe(4);
    expect(service.asked('/cap/lu-1.xml')).toBe(1);
    expect(alertRows(ctl)).toHaveLength(1);
  });

  it('asks with If-Modified-Since when the server gives Last-Modified and no ETag', async () => {
    const stamp = 'Thu, 26 Nov 2026 02:55:00 GMT';
    serveDoc('/cap/lu-1.xml', capDoc({ identifier: 'LU-1', audio: true }));
    service.answers.set('/feed.atom', {
      body: atomFeed(service.base, ['/cap/lu-1.xml']),
      lastModified: stamp,
    });
    const { poller } = pollerFor(ctl, clock, [feedOf(service.base)]);
    await poller.tick();
    later(120);
    await poller.tick();
    expect(service.requests.filter((r) => r.path === '/feed.atom')).toEqual([
      { path: '/feed.atom' },
      { path: '/feed.atom', ifModifiedSince: stamp },
    ]);
    expect(alertRows(ctl)).toHaveLength(1);
  });

  it('takes a URL that answers one CAP document, once', async () => {
    service.answers.set('/latest.xml', { body: capDoc({ identifier: 'LU-9', audio: true }) });
    const feed = feedOf(service.base, { url: `${service.base}/latest.xml` });
    const { poller } = pollerFor(ctl, clock, [feed]);
    await poller.tick();
    later(120);
    await poller.tick();
    expect(service.asked('/latest.xml')).toBe(2);
    expect(alertRows(ctl)).toHaveLength(1);
    const [entry] = entriesOf(ctl, feed.url).values();
    expect(entry).toMatchObject({ state: 'imported', link: `${SENDER},LU-9,2026-11-26T09:30:00+07:00` });
  });

  it('acts on an Update, then a Cancel, read oldest first', async () => {
    const feed = feedOf(service.base);
    const ref = (id: string, sent: string) => `${SENDER},${id},${sent}`;
    serveDoc('/cap/1.xml', capDoc({ identifier: 'B-1', audio: true }));
    serveDoc(
      '/cap/2.xml',
      capDoc({
        identifier: 'B-2',
        msgType: 'Update',
        sent: '2026-11-26T09:40:00+07:00',
        severity: 'Extreme',
        urgency: 'Immediate',
        references: ref('B-1', '2026-11-26T09:30:00+07:00'),
        audio: true,
      }),
    );
    serveDoc(
      '/cap/3.xml',
      capDoc({
        identifier: 'B-3',
        msgType: 'Cancel',
        sent: '2026-11-26T09:50:00+07:00',
        references: ref('B-2', '2026-11-26T09:40:00+07:00'),
      }),
    );
    const { poller } = pollerFor(ctl, clock, [feed]);
    serveFeed(['/cap/1.xml']);
    await poller.tick();
    // the Update and the Cancel arrive at the next poll together, listed newest first
    serveFeed(['/cap/1.xml', '/cap/2.xml', '/cap/3.xml']);
    later(120);
    await poller.tick();
    const rows = alertRows(ctl);
    expect(rows.map((r) => [r.level, r.cancelled_at !== null])).toEqual([
      ['priority', true],
      ['emergency', true],
    ]);
    const entries = entriesOf(ctl, feed.url);
    expect(entries.get('/cap/2.xml')).toMatchObject({ state: 'imported', alert_id: rows[1]?.id });
    expect(entries.get('/cap/3.xml')).toMatchObject({
      state: 'imported',
      reason: `Cancel, withdrew ${rows[1]?.id}`,
    });
  });

  it('refuses hostile documents with their reason, never tries them again, and goes on with the feed', async () => {
    const feed = feedOf(service.base);
    const laughs = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>&lol2;</identifier></alert>`;
    serveDoc('/cap/laughs.xml', laughs);
    serveDoc('/cap/big.xml', capDoc({ identifier: 'BIG', audio: true, description: 'x'.repeat(300_000) }));
    serveDoc('/cap/stranger.xml', capDoc({ identifier: 'S-1', audio: true, sender: 'someone@else.example' }));
    serveDoc('/cap/nowhere.xml', capDoc({ identifier: 'N-1', audio: true }).replace('31117', '99999'));
    serveDoc('/cap/good.xml', capDoc({ identifier: 'G-1', audio: true }));
    serveFeed(['/cap/laughs.xml', '/cap/big.xml', '/cap/stranger.xml', '/cap/nowhere.xml', '/cap/good.xml']);
    const { log, lines } = recordingLog();
    const { poller } = pollerFor(ctl, clock, [feed], { log });
    await poller.tick();
    const e = entriesOf(ctl, feed.url);
    expect(e.get('/cap/laughs.xml')).toMatchObject({ state: 'refused' });
    expect(String(e.get('/cap/laughs.xml')?.reason)).toMatch(/DOCTYPE/);
    expect(String(e.get('/cap/laughs.xml')?.reason_vi)).toMatch(/DOCTYPE/);
    expect(String(e.get('/cap/big.xml')?.reason)).toMatch(/over 256 KB/);
    expect(String(e.get('/cap/stranger.xml')?.reason)).toMatch(/not a sender this feed speaks for/);
    expect(String(e.get('/cap/nowhere.xml')?.reason)).toMatch(/99999/);
    expect(e.get('/cap/good.xml')).toMatchObject({ state: 'imported' });
    expect(alertRows(ctl)).toHaveLength(1);
    expect(lines.filter((l) => l.level === 'warn' && l.text.includes('refused'))).toHaveLength(4);

    later(120);
    serveFeed(
      ['/cap/laughs.xml', '/cap/big.xml', '/cap/stranger.xml', '/cap/nowhere.xml', '/cap/good.xml'],
      '"v2"',
    );
    await poller.tick();
    for (const p of ['/cap/laughs.xml', '/cap/big.xml', '/cap/stranger.xml', '/cap/good.xml'])
      expect(service.asked(p)).toBe(1);

    // the console reads them (GET /api/alerts/feeds), in both languages
    const status = await ctl.call('GET', '/api/alerts/feeds');
    expect(status.status).toBe(200);
    expect(status.body).toHaveLength(1);
    const [shown] = status.body;
    expect(shown).toMatchObject({ name: feed.name, url: feed.url, failures: 0, lastError: null });
    const laughsShown = shown.documents.find((d: { link: string }) => d.link.endsWith('/cap/laughs.xml'));
    expect(laughsShown).toMatchObject({ state: 'refused' });
    expect(laughsShown.reasonVi).toMatch(/^Văn bản CAP bị từ chối: <!DOCTYPE>/);
    const viewer = await ctl.tokenFor('xem', 'viewer');
    expect((await ctl.call('GET', '/api/alerts/feeds', undefined, viewer)).status).toBe(403);

    // and the bulletins page shows them, in Vietnamese
    const session = consoleSession(ctl);
    await session.signIn('admin', ADMIN_PASSWORD);
    const page = await session.get('/console/alerts');
    expect(page.html).toContain('Nguồn cảnh báo CAP');
    expect(page.html).toContain(feed.name);
    expect(page.html).toContain('Hoạt động bình thường');
    expect(page.html).toContain('Bị từ chối');
    expect(page.html).toContain('Đã phát thành bản tin');
    expect(page.html).toMatch(/Văn bản CAP bị từ chối: &lt;!DOCTYPE&gt;: không chấp nhận khai báo DOCTYPE/);
  });

  it('backs off from a server that is down or answers errors, and reads it when it is back', async () => {
    const feed = feedOf(service.base);
    service.answers.set('/feed.atom', { status: 503, body: 'bảo trì' });
    const { poller } = pollerFor(ctl, clock, [feed]);
    await poller.tick();
    const state = () =>
      ctl.db.prepare('SELECT * FROM cap_feeds WHERE url = ?').get(feed.url) as Record<string, unknown>;
    expect(state()).toMatchObject({ failures: 1, last_ok_at: null });
    expect(String(state().last_error)).toMatch(/answered 503/);
    expect(String(state().last_error_vi)).toMatch(/trả lời 503/);
    expect(state().next_poll_at).toBe(new Date(now.getTime() + 240_000).toISOString());
    // at the normal interval it is not due yet
    later(120);
    await poller.tick();
    expect(service.asked('/feed.atom')).toBe(1);
    later(120);
    await poller.tick();
    expect(state()).toMatchObject({
      failures: 2,
      next_poll_at: new Date(now.getTime() + 480_000).toISOString(),
    });

    // the server gone altogether: no connection
    await service.close();
    later(480);
    await poller.tick();
    expect(state()).toMatchObject({ failures: 3 });
    expect(String(state().last_error)).toMatch(/no connection/);

    // back (a new server on another port, the same feed moved there)
    service = await warningService();
    serveDoc('/cap/lu-1.xml', capDoc({ identifier: 'LU-1', audio: true }));
    serveFeed(['/cap/lu-1.xml']);
    const moved = feedOf(service.base, { url: `${service.base}/feed.atom` });
    const back = pollerFor(ctl, clock, [moved]);
    await back.poller.tick();
    expect(alertRows(ctl)).toHaveLength(1);
    const again = ctl.db.prepare('SELECT * FROM cap_feeds WHERE url = ?').get(moved.url) as Record<
      string,
      unknown
    >;
    expect(again).toMatchObject({ failures: 0, last_error: null });
  });

  it('started as the controller starts it: polls at once, then only what is due, until stopped', async () => {
    serveDoc('/cap/lu-1.xml', capDoc({ identifier: 'LU-1', audio: true }));
    serveFeed(['/cap/lu-1.xml']);
    const { poller } = pollerFor(ctl, clock, [feedOf(service.base)]);
    poller.start(10);
    await waitFor(() => alertRows(ctl).length === 1, 10_000, 'the first poll');
    await poller.stop();
    // the clock stood still: however many ticks came, the feed was not due again
    expect(service.asked('/feed.atom')).toBe(1);
  });

  it('tries a document that cannot be downloaded at the next polls, then gives up', async () => {
    const feed = feedOf(service.base);
    serveFeed(['/cap/missing.xml']);
    const { poller } = pollerFor(ctl, clock, [feed]);
    for (let i = 0; i < 6; i++) {
      await poller.tick();
      later(120);
    }
    expect(service.asked('/cap/missing.xml')).toBe(5);
    const entry = entriesOf(ctl, feed.url).get('/cap/missing.xml');
    expect(entry).toMatchObject({ state: 'refused', attempts: 5 });
    expect(String(entry?.reason)).toMatch(/given up after 5 tries: .*answered 404/);
  });
});
