// What a Vietnamese reader must never meet on a page: an English word (outside a short list of terms
// Vietnamese technicians use as they are), a UTC instant, or one of the world's raw ids. Read from the
// text a person sees (`innerText`: closed details, titles and attributes left out).
import type { Page } from 'playwright-core';

/** Terms a Vietnamese page may carry as they are: formats, brands, units and the language switch. */
export const ALLOWED_TERMS = new Set(
  [
    'csv',
    'http',
    'https',
    'pin',
    'mqtt',
    'opus',
    'ogg',
    'mp3',
    'm4a',
    'wav',
    'ok',
    'zalo',
    'espeak',
    'ng',
    'piper',
    'icecast',
    'english',
    'email',
    'kbps',
    'db',
    'lufs',
    'hz',
    'khz',
    'ms',
    'mb',
    'kb',
    'gb',
    'wifi',
    'online',
    'offline',
    'asia',
    'ho_chi_minh',
    'be',
    'vietnam',
    'pro',
  ].map((w) => w.toLowerCase()),
);

/** A syllable that Vietnamese can write without marks ("Ninh", "Loa", "tin", "thanh"). */
const VIETNAMESE_SYLLABLE =
  /^(ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?[aeiouy]{1,3}(ch|ng|nh|[cmnpt])?$/i;

/** The words of `text` that are English: plain ASCII letters, not a Vietnamese syllable, not an allowed term. */
export function englishWords(text: string, allowed: Set<string> = ALLOWED_TERMS): string[] {
  const words = text.match(/[\p{L}_]+/gu) ?? [];
  return [
    ...new Set(
      words.filter(
        (w) =>
          /^[A-Za-z_]+$/.test(w) &&
          w.length > 1 &&
          w !== w.toUpperCase() && // acronyms (UBND, HĐND, CA) are read as they are
          !VIETNAMESE_SYLLABLE.test(w) &&
          !allowed.has(w.toLowerCase()),
      ),
    ),
  ];
}

/** ISO instants, UTC times and yyyy-mm-dd days in `text`. */
export function utcStamps(text: string): string[] {
  return text.match(/\d{4}-\d{2}-\d{2}(T[\d:.]+Z?)?|\b\d{2}:\d{2}(:\d{2})?(\.\d+)?Z\b|\bUTC\b/g) ?? [];
}

/** The ids among `ids` that `text` shows on their own (not inside a longer word or id). */
export function rawIds(text: string, ids: Iterable<string>): string[] {
  return [...ids].filter((id) =>
    new RegExp(`(?<![\\w-])${id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w-])`).test(text),
  );
}

/** What the person reads on `page` now. */
export const visibleText = async (page: Page): Promise<string> =>
  (await page.evaluate('document.body.innerText')) as string;

/**
 * Everything on `page` that a Vietnamese reader should not meet, by kind (empty lists when all is well).
 * The usernames people chose are left out of the check.
 */
export async function unreadable(page: Page, ids: Iterable<string>, usernames: string[] = []) {
  // usernames are the names people chose for themselves
  let text = await visibleText(page);
  for (const u of usernames) text = text.replaceAll(u, ' ');
  return { english: englishWords(text), utc: utcStamps(text), ids: rawIds(text, ids) };
}
