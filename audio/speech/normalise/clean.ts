// Checks and cleans the text before reading: size, HTML, control characters, emoji and symbols.

export type NormaliseErrorCode = 'empty' | 'too_long' | 'nothing_to_read';

const MESSAGES: Record<NormaliseErrorCode, { vi: string; en: string }> = {
  empty: {
    vi: 'Văn bản trống: hãy nhập nội dung cần đọc.',
    en: 'The text is empty: type what is to be read.',
  },
  too_long: {
    vi: 'Văn bản quá dài: tối đa {limit} ký tự, văn bản có {length} ký tự.',
    en: 'The text is too long: at most {limit} characters, it has {length}.',
  },
  nothing_to_read: {
    vi: 'Văn bản không có chữ hay số nào để đọc (chỉ có ký hiệu hoặc biểu tượng cảm xúc).',
    en: 'The text has no letter or digit to read (only symbols or emoji).',
  },
};

/** A text that cannot be read; `message` is Vietnamese, `messageEn` English. */
export class NormaliseError extends Error {
  readonly code: NormaliseErrorCode;
  readonly messageEn: string;
  constructor(code: NormaliseErrorCode, values: Record<string, number> = {}) {
    const fill = (s: string) => s.replace(/\{(\w+)\}/g, (_, k: string) => String(values[k] ?? ''));
    super(fill(MESSAGES[code].vi));
    this.name = 'NormaliseError';
    this.code = code;
    this.messageEn = fill(MESSAGES[code].en);
  }
}

/** What cleaning took out, so the console can say so. */
export type Removal = 'html' | 'control' | 'symbols';

const ENTITIES: Record<string, string> = { nbsp: ' ', amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const BLOCK_TAG = /<\/?(?:p|br|div|li|h[1-6]|tr)\b[^>]*>/gi;
// a tag name then attributes: "<https://…>" (an address in angle brackets) is not a tag
const TAG = /<\/?[a-z][a-z0-9]*(?:\s[^<>]*)?\/?>/gi;
const CONTROL =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is its purpose
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060\ufeff]/g;
// Kept: letters, digits, marks, spaces and what a reading needs (punctuation, units, money, maths).
const UNREADABLE = /[^\p{L}\p{N}\p{M}\s.,;:!?'"“”‘’()\-–—/%‰°²³&+=…@]/gu;

export interface Cleaned {
  text: string;
  removed: Removal[];
}

/** Refuses empty and over-long text; strips HTML, control characters and emoji, noting each. */
export function cleanText(raw: string, maxLength: number): Cleaned {
  if (raw.trim() === '') throw new NormaliseError('empty');
  if (raw.length > maxLength) throw new NormaliseError('too_long', { limit: maxLength, length: raw.length });
  const removed: Removal[] = [];
  let text = raw.normalize('NFC').replace(/\r\n?/g, '\n');
  if (/<\/?[a-z][a-z0-9]*(?:\s[^<>]*)?\/?>/i.test(text)) {
    removed.push('html');
    text = text
      .replace(/<(script|style)\b[^>]*>[\s\S]*?<\/\1>/gi, ' ')
      .replace(BLOCK_TAG, '\n')
      .replace(TAG, ' ')
      .replace(/&(#\d+|[a-z]+);/gi, (m, name: string) =>
        name.startsWith('#')
          ? String.fromCodePoint(Number(name.slice(1)))
          : (ENTITIES[name.toLowerCase()] ?? m),
      );
  }
  const withoutControl = text.replace(CONTROL, '');
  if (withoutControl !== text) removed.push('control');
  // runs of blanks become one, so no later pattern scans a long run again and again
  const readable = withoutControl
    .replace(UNREADABLE, ' ')
    .replace(/[^\S\n]+/g, ' ')
    .replace(/ ?\n[\s]*/g, '\n');
  if (readable.replace(/\s/g, '') !== withoutControl.replace(/\s/g, '')) removed.push('symbols');
  if (!/[\p{L}\p{N}]/u.test(readable)) throw new NormaliseError('nothing_to_read');
  return { text: readable, removed };
}
