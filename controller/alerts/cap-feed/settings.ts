// The CAP feeds to poll (CAP_FEEDS_FILE, JSON), read and checked once at start: each feed's name, its URL
// (an Atom or RSS feed linking CAP documents, or one CAP document), how often it is polled, and the CAP
// senders it may speak for (a document from any other <sender> is refused).
import { readFileSync } from 'node:fs';
import { z } from 'zod';

const HttpUrl = z
  .string()
  .trim()
  .refine((u) => URL.canParse(u) && ['http:', 'https:'].includes(new URL(u).protocol), 'an http(s) URL');
/** CAP's sender: no spaces, commas or restricted characters (CAP 1.2, 3.2.1). */
const Sender = z.string().regex(/^[^\s,&<]{1,200}$/, 'a CAP sender has no spaces, commas, & or <');

export const CapFeed = z.strictObject({
  /** how the console and the bulletins name it ("Đài KTTV Nam Bộ") */
  name: z.string().trim().min(1).max(100),
  url: HttpUrl,
  /** seconds between polls while it answers (doubling after each failure, up to an hour) */
  intervalSeconds: z.number().int().min(30).max(86_400).default(120),
  /** the CAP <sender> values this feed speaks for */
  senders: z.array(Sender).min(1).max(20),
  /** the newest entries read at each poll; older ones are left alone */
  maxEntries: z.number().int().min(1).max(200).default(50),
});
export type CapFeed = z.infer<typeof CapFeed>;

const CapFeedsFile = z
  .strictObject({ feeds: z.array(CapFeed).max(50) })
  .refine((f) => new Set(f.feeds.map((x) => x.url)).size === f.feeds.length, 'a feed URL is listed twice');

/** CAP_FEEDS_FILE, checked once at start; none when unset. An Error naming the variable otherwise. */
export function capFeedsOf(env: NodeJS.ProcessEnv): readonly CapFeed[] {
  const file = env.CAP_FEEDS_FILE;
  if (!file) return [];
  const fail = (why: string) =>
    new Error(`invalid controller environment:\n  CAP_FEEDS_FILE ${file}: ${why}`);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw fail(`cannot read it as JSON (${(e as Error).message})`);
  }
  const parsed = CapFeedsFile.safeParse(raw);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw fail(`${i?.path.join('.') || 'feeds'}: ${i?.message}`);
  }
  return Object.freeze(parsed.data.feeds.map((f) => Object.freeze(f)));
}
