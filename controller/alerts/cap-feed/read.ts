// What a feed URL answers: an Atom feed (RFC 4287) or an RSS 2.0 channel whose entries link CAP documents
// (OASIS "Example Practices: CAP Feeds" 1.0, 2014; Google Public Alerts "Feed formats"), or one CAP
// document itself. Read with fast-xml-parser after the same refusal of a DOCTYPE as a CAP document.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { XML_OPTIONS } from '../cap/read.ts';

/** Google's Public Alerts asks for feeds under 900 KB; anything much larger is not a feed of alerts. */
export const MAX_FEED_BYTES = 1024 * 1024;

/** A feed that cannot be read: the poll fails (and backs off), in both languages. */
export class FeedError extends Error {
  constructor(
    message: string,
    readonly messageVi: string,
    /** true when trying again cannot help (a document far over the size limit) */
    readonly permanent = false,
  ) {
    super(message);
  }
}

export interface FeedLink {
  /** the CAP document's absolute URL */
  url: string;
  /** the entry's updated/published time, when it gives one (ISO), to read entries oldest first */
  at: string | null;
}

export type FeedContent =
  | { kind: 'cap'; xml: string }
  | { kind: 'feed'; format: 'atom' | 'rss'; links: FeedLink[] };

const parser = new XMLParser({
  ...XML_OPTIONS,
  removeNSPrefix: true,
  isArray: (name) => ['entry', 'item', 'link', 'enclosure'].includes(name),
});

type Node = Record<string, unknown>;
const asNodes = (v: unknown): Node[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]) as Node[];
const text = (v: unknown): string =>
  typeof v === 'string' ? v.trim() : v && typeof v === 'object' ? text((v as Node)['#text']) : '';
const CAP_TYPE = /cap\+xml|application\/xml|text\/xml/i;

function absolute(href: string, base: string): string | null {
  try {
    const url = new URL(href, base);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

/** An Atom entry's CAP link: a link typed application/cap+xml first, then rel="alternate" or no rel. */
function atomLink(entry: Node): string {
  const links = asNodes(entry.link);
  const typeOf = (l: Node) => String(l['@_type'] ?? '');
  const typed = links.find((l) => /cap\+xml/i.test(typeOf(l))) ?? links.find((l) => CAP_TYPE.test(typeOf(l)));
  const alternate = links.find((l) => (l['@_rel'] ?? 'alternate') === 'alternate');
  return String((typed ?? alternate)?.['@_href'] ?? '');
}

/** An RSS item's CAP link: an enclosure typed as XML first, then its <link>. */
function rssLink(item: Node): string {
  const enclosure = asNodes(item.enclosure).find((e) => CAP_TYPE.test(String(e['@_type'] ?? '')));
  return String(enclosure?.['@_url'] ?? '') || text(asNodes(item.link)[0]);
}

const instant = (v: unknown) => {
  const t = Date.parse(text(v));
  return Number.isNaN(t) ? null : new Date(t).toISOString();
};

/** Reads what the feed URL answered; a FeedError when it is none of the three shapes. */
export function readFeed(xml: string, base: string): FeedContent {
  if (/<!DOCTYPE|<!ENTITY/i.test(xml))
    throw new FeedError(
      'the feed has a DOCTYPE or entity declaration, which is not accepted',
      'nguồn có khai báo DOCTYPE hay thực thể (entity), không được chấp nhận',
    );
  const valid = XMLValidator.validate(xml);
  if (valid !== true)
    throw new FeedError(
      `not well-formed XML at line ${valid.err.line}, column ${valid.err.col}: ${valid.err.msg}`,
      `không phải XML hợp lệ ở dòng ${valid.err.line}, cột ${valid.err.col}`,
    );
  let doc: Node;
  try {
    doc = parser.parse(xml) as Node;
  } catch (e) {
    throw new FeedError(`not accepted: ${(e as Error).message}`, 'nội dung không được chấp nhận');
  }
  if ('alert' in doc) return { kind: 'cap', xml };
  const feed = doc.feed as Node | undefined;
  const channel = (doc.rss as Node | undefined)?.channel as Node | undefined;
  if (!feed && !channel)
    throw new FeedError(
      `the answer is not an Atom feed, an RSS feed or a CAP alert (its root is <${Object.keys(doc)[0] ?? 'nothing'}>)`,
      'nội dung trả về không phải nguồn Atom, RSS hay văn bản CAP',
    );
  const links: FeedLink[] = [];
  for (const e of feed ? asNodes(feed.entry) : asNodes(channel?.item)) {
    const url = absolute(feed ? atomLink(e) : rssLink(e), base);
    if (url) links.push({ url, at: instant(feed ? (e.updated ?? e.published) : e.pubDate) });
  }
  return { kind: 'feed', format: feed ? 'atom' : 'rss', links };
}
