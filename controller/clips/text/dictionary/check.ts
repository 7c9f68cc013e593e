// What the province may put in its dictionary, refused in both languages: a written form the normaliser
// reads as a whole word (not a number, date, phone, ... that an earlier rule reads first), a spoken form
// of words only.
import { speech } from '../../../../audio/index.ts';
import { HttpError } from '../../../http/errors.ts';

export const MAX_WRITTEN = 40;
export const MAX_SPOKEN = 200;
/** Enough for a province's own words; a bound so the desired state each station gets stays small. */
export const MAX_ENTRIES = 2000;

const refuse = (status: 400 | 409 | 422, code: string, vi: string, en: string) =>
  new HttpError(status, code, en, { vi, en });

/** Letters (any marks), spaces and the punctuation a reader pauses at; no digits, no symbols. */
const SPOKEN_CHARS = /^[\p{L}\p{M}\s,.;:!?'-]+$/u;

/** The entry as stored (trimmed, blanks collapsed), or the refusal. */
export function checkEntry(writtenRaw: string, spokenRaw: unknown): { written: string; spoken: string } {
  const written = writtenRaw.trim().replace(/\s+/g, ' ');
  if (!written)
    throw refuse(400, 'dictionary_written_empty', 'Chưa nhập dạng viết.', 'The written form is empty.');
  if (written.length > MAX_WRITTEN)
    throw refuse(
      400,
      'dictionary_written_too_long',
      `Dạng viết dài quá ${MAX_WRITTEN} ký tự.`,
      `The written form is longer than ${MAX_WRITTEN} characters.`,
    );
  const spoken = typeof spokenRaw === 'string' ? spokenRaw.trim().replace(/\s+/g, ' ') : '';
  if (!spoken)
    throw refuse(400, 'dictionary_spoken_empty', 'Chưa nhập cách đọc.', 'The spoken form is empty.');
  if (spoken.length > MAX_SPOKEN)
    throw refuse(
      400,
      'dictionary_spoken_too_long',
      `Cách đọc dài quá ${MAX_SPOKEN} ký tự.`,
      `The spoken form is longer than ${MAX_SPOKEN} characters.`,
    );
  if (!SPOKEN_CHARS.test(spoken))
    throw refuse(
      400,
      'dictionary_spoken_not_words',
      'Cách đọc chỉ gồm chữ, dấu cách và dấu câu: số hãy viết bằng chữ (ví dụ "mười hai"), bỏ các ký hiệu.',
      'The spoken form may hold only letters, spaces and punctuation: write numbers as words, leave out symbols.',
    );
  if (!readsAsEntry(written, spoken))
    throw refuse(
      422,
      'dictionary_unmatched',
      `Bộ đọc văn bản không nhận "${written}" là một từ viết tắt: nó được đọc theo quy tắc khác trước (số, ngày, giờ, số điện thoại, đơn vị...) hoặc không đứng riêng thành một từ. Hãy nhập đúng như khi viết trong thông báo.`,
      `The reader does not take "${written}" as an abbreviation: another rule reads it first (a number, date, time, phone, unit...) or it is not a word of its own. Enter it as it is written in notices.`,
    );
  return { written, spoken };
}

/** Whether the normaliser, given the entry, reads `written` standing alone through it. */
function readsAsEntry(written: string, spoken: string): boolean {
  try {
    const { notes } = speech.normaliseVietnamese(written, { dictionary: { [written]: spoken } });
    return notes.expanded.includes(written);
  } catch {
    return false; // nothing to read (symbols only), or refused otherwise
  }
}

export const dictionaryFull = () =>
  refuse(
    409,
    'dictionary_full',
    `Từ điển đã có ${MAX_ENTRIES} mục, là giới hạn: hãy xóa các mục không còn dùng.`,
    `The dictionary holds ${MAX_ENTRIES} entries, its limit: remove entries no longer used.`,
  );

export const noEntry = (written: string) =>
  new HttpError(404, 'not_found', `no dictionary entry '${written}'`, {
    vi: `Từ điển không có mục "${written}".`,
    en: `The dictionary has no entry "${written}".`,
  });
