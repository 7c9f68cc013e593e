// The last rules: symbols said as words, dashes and slashes, letter-by-letter spelling, spacing.
import { noteOnce, type Rule } from './reading.ts';
import { hasVowel, spellOut } from './spell.ts';

const SAID: ReadonlyArray<[RegExp, string]> = [
  [/\s*\+\s*/g, ' cộng '],
  [/\s*&\s*/g, ' và '],
  [/\s*@\s*/g, ' a còng '],
  [/\s*=\s*/g, ' bằng '],
  [/\.\/\./g, '.'],
  [/…|\.{2,}/g, '.'],
];

export const symbolRule: Rule = {
  name: 'symbol',
  apply: (text) => SAID.reduce((t, [pattern, words]) => t.replace(pattern, words), text),
};

export const punctuationRule: Rule = {
  name: 'punctuation',
  apply: (text) =>
    text
      // a bullet or a dash that opens a line is not read
      .replace(/(^|\n)[ \t]*[-–—•*][ \t]+/g, '$1')
      // a dash between spaces (or an em dash) is a pause
      .replace(/\s+[-–—]\s+|\s*—\s*/g, ', ')
      // a hyphen inside a word ("vắc-xin", "KH-UBND") or a slash between words ("quận/huyện") joins
      .replace(/(?<=[\p{L}\p{N}])\s*[-–/]\s*(?=[\p{L}\p{N}])/gu, ' ')
      // a dot between two letters with no space ("tokhaiyte.vn") reads "chấm"
      .replace(/(?<=\p{L})\.(?=\p{L})/gu, ' chấm ')
      // brackets are a pause
      .replace(/\s*[()[\]]\s*/g, ', ')
      .replace(/[“”"‘’«»]|(?<!\p{L})'|'(?!\p{L})/gu, ' ')
      .replace(/[-–—/]/g, ' '),
};

const WORD = /[\p{L}\p{M}]+/gu;
// An acronym looks like "EVN": capitals with no Vietnamese mark. A heading ("THÔNG TIN") is not noted.
const ACRONYM = /^[A-Z]{2,6}$/;
const CAPITAL_NEIGHBOUR = /^\p{Lu}{2,}$/u;

function isLoneAcronym(word: string, offset: number, whole: string): boolean {
  if (!ACRONYM.test(word)) return false;
  const before = whole.slice(0, offset).match(/([\p{L}\p{M}]+)[^\p{L}\p{M}]*$/u)?.[1] ?? '';
  const after = whole.slice(offset + word.length).match(/^[^\p{L}\p{M}]*([\p{L}\p{M}]+)/u)?.[1] ?? '';
  return !CAPITAL_NEIGHBOUR.test(before) && !CAPITAL_NEIGHBOUR.test(after);
}

/** A word the dictionary does not know and that has no vowel is spelled out ("TBTT" → "tê bê tê tê"). */
export const spellRule: Rule = {
  name: 'spell',
  apply: (text, { notes }) =>
    text.replace(WORD, (word: string, offset: number, whole: string) => {
      if (hasVowel(word)) {
        if (isLoneAcronym(word, offset, whole)) noteOnce(notes.unknownCapitals, word);
        return word;
      }
      noteOnce(notes.spelled, word);
      return spellOut(word);
    }),
};

export const spacingRule: Rule = {
  name: 'spacing',
  apply: (text) =>
    text
      // a line broken inside a sentence (the next starts in lower case) goes on; else a heading ends
      .replace(/(?<=[\p{L}\p{N},])[ \t]*\n+(?=[ \t]*\p{Ll})/gu, ' ')
      .replace(/(?<=[\p{L}\p{N}])[ \t]*\n+/gu, '. ')
      .replace(/\s+/g, ' ')
      .replace(/\s+([.,;:!?])/g, '$1')
      .replace(/([,;:])(?:\s*[,;:])+/g, '$1')
      .replace(/([.!?])(?:\s*[.,;:])+/g, '$1')
      .replace(/[,;:]\s*([.!?])/g, '$1')
      .replace(/^[\s.,;:]+/, '')
      .trim(),
};
