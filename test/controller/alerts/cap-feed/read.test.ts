// What a feed URL may answer (Atom, RSS, one CAP document) and what it may not; the feeds file checked at start.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FeedError, readFeed } from '../../../../controller/alerts/cap-feed/read.ts';
import { capFeedsOf } from '../../../../controller/alerts/cap-feed/settings.ts';
import { loadConfig } from '../../../../controller/config.ts';
import { type TempDir, tempDir } from '../../../support/temp.ts';
import { atomFeed, capDoc } from './world.ts';

const BASE = 'https://canhbao.example.vn/cap/feed.atom';

describe('reading a feed', () => {
  it('takes an Atom feed: the entry link typed application/cap+xml, made absolute, in the order listed (newest first)', () => {
    const out = readFeed(atomFeed('https://canhbao.example.vn', ['/cap/1.xml', '/cap/2.xml']), BASE);
    expect(out).toEqual({
      kind: 'feed',
      format: 'atom',
      links: [
        { url: 'https://canhbao.example.vn/cap/2.xml', at: '2026-11-25T18:00:00.000Z' },
        { url: 'https://canhbao.example.vn/cap/1.xml', at: '2026-11-25T17:00:00.000Z' },
      ],
    });
  });

  it('takes an RSS channel: an XML enclosure first, else the item link', () => {
    const rss = `<?xml version="1.0"?><rss version="2.0"><channel><title>Cảnh báo</title>
      <item><title>A</title><link>https://canhbao.example.vn/a.html</link>
        <enclosure url="a.xml" type="application/cap+xml" length="100"/>
        <pubDate>Thu, 26 Nov 2026 09:30:00 +0700</pubDate></item>
      <item><title>B</title><link>/b.xml</link></item>
      <item><title>C</title><link>javascript:alert(1)</link></item>
    </channel></rss>`;
    expect(readFeed(rss, BASE)).toEqual({
      kind: 'feed',
      format: 'rss',
      links: [
        { url: 'https://canhbao.example.vn/cap/a.xml', at: '2026-11-26T02:30:00.000Z' },
        { url: 'https://canhbao.example.vn/b.xml', at: null },
      ],
    });
  });

  it('takes one CAP document as it is', () => {
    const xml = capDoc({ identifier: 'A-1' });
    expect(readFeed(xml, BASE)).toEqual({ kind: 'cap', xml });
  });

  it('refuses a DOCTYPE, XML that is not well-formed, and anything else, in both languages', () => {
    const cases = [
      ['<!DOCTYPE feed [<!ENTITY x "y">]><feed/>', /DOCTYPE/],
      ['<feed><entry></feed>', /not well-formed XML at line 1/],
      [
        '<html><body>Bảo trì</body></html>',
        /not an Atom feed, an RSS feed or a CAP alert \(its root is <html>\)/,
      ],
    ] as const;
    for (const [xml, why] of cases) {
      const e = (() => {
        try {
          readFeed(xml, BASE);
        } catch (err) {
          return err;
        }
      })();
      expect(e).toBeInstanceOf(FeedError);
      expect((e as FeedError).message).toMatch(why);
      expect((e as FeedError).messageVi.length).toBeGreaterThan(10);
    }
  });
});

describe('CAP_FEEDS_FILE', () => {
  let dir: TempDir;
  beforeEach(() => {
    dir = tempDir('cap-feeds');
  });
  afterEach(() => dir.cleanup());
  const file = (content: unknown) => {
    const f = path.join(dir.dir, 'feeds.json');
    writeFileSync(f, typeof content === 'string' ? content : JSON.stringify(content));
    return f;
  };
  const feed = {
    name: 'KTTV',
    url: 'https://canhbao.example.vn/feed.atom',
    senders: ['canhbao@nchmf.gov.vn'],
  };

  it('is read once at start, with the defaults', () => {
    expect(capFeedsOf({ CAP_FEEDS_FILE: file({ feeds: [feed] }) })).toEqual([
      { ...feed, intervalSeconds: 120, maxEntries: 50 },
    ]);
    expect(capFeedsOf({})).toEqual([]);
  });

  it('stops the controller from starting when it is wrong, and says where', () => {
    const bad: [unknown, RegExp][] = [
      ['{ not json', /cannot read it as JSON/],
      [{ feeds: [{ ...feed, url: 'ftp://x/feed' }] }, /feeds\.0\.url: an http\(s\) URL/],
      [{ feeds: [{ ...feed, senders: [] }] }, /feeds\.0\.senders/],
      [{ feeds: [{ ...feed, senders: ['a b'] }] }, /no spaces, commas/],
      [{ feeds: [{ ...feed, intervalSeconds: 5 }] }, /feeds\.0\.intervalSeconds/],
      [{ feeds: [feed, feed] }, /listed twice/],
      [{ feeds: [{ ...feed, extra: 1 }] }, /feeds\.0/],
    ];
    for (const [content, why] of bad) {
      const env = { DATA_DIR: dir.dir, CAP_FEEDS_FILE: file(content) };
      expect(() => loadConfig(env)).toThrow(why);
      expect(() => loadConfig(env)).toThrow(/^invalid controller environment:\n {2}CAP_FEEDS_FILE /);
    }
  });
});
