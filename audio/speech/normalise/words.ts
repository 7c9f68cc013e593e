// Rules on words: place initials ("P. 5"), the abbreviation dictionary, Roman numerals in names.
import { readCardinal, readOrdinal } from './numbers.ts';
import { capitalAtSentenceStart, END, escapePattern, noteOnce, type Rule, re, START } from './reading.ts';
import { spellOut } from './spell.ts';

const PLACES: Readonly<Record<string, string>> = {
  P: 'phường',
  Q: 'quận',
  X: 'xã',
  H: 'huyện',
  TX: 'thị xã',
};
// "P. 5", "P.An Hòa", "Nguyễn Văn P. cư trú": the letter, its dot, and what follows.
const INITIAL = re(`${START}(TX|P|Q|X|H)\\.(\\s*)(?=(\\d|\\p{Lu}|\\p{Ll}|$))`);
const NAME_WORD = /[^.!?\n:;\s]\s+\p{Lu}\p{Ll}+\s*$/u;

/**
 * A place letter is a place ("phường") when a number follows it, or when the word before it is not part
 * of a person's name; it is a name's initial (spelled, "pê") when a capitalised word that does not open
 * the sentence stands right before it ("ông Nguyễn Văn P.").
 */
export const initialRule: Rule = {
  name: 'initial',
  apply: (text) =>
    text.replace(INITIAL, (_, letter: string, space: string, next: string, offset: number, whole: string) => {
      const lead = whole.slice(Math.max(0, offset - 40), offset);
      const isName = !/\d/.test(next) && NAME_WORD.test(lead);
      // at the end of the text the dot also ends the sentence
      if (isName) return `${spellOut(letter)}${next === '' ? '.' : ''}${space}`;
      return `${PLACES[letter]} `;
    }),
};

/** The dictionary as one pattern, longest first; a key ending in a dot may touch the next word. */
function dictionaryPattern(keys: string[]): RegExp {
  const alternatives = [...keys]
    .sort((a, b) => b.length - a.length)
    .map((k) => `${escapePattern(k)}${/[\p{L}\p{N}]$/u.test(k) ? END : ''}`);
  return re(`${START}(?:${alternatives.join('|')})`);
}

export const dictionaryRule: Rule = {
  name: 'dictionary',
  apply(text, { dictionary, notes }) {
    const keys = Object.keys(dictionary);
    if (keys.length === 0) return text;
    return text.replace(dictionaryPattern(keys), (written: string, offset: number, whole: string) => {
      noteOnce(notes.expanded, written);
      // "TP.Cần Thơ": a space where the written form touched the next word
      const touches = /[\p{L}\p{N}]/u.test(whole[offset + written.length] ?? '');
      return `${capitalAtSentenceStart(dictionary[written] as string, whole, offset)}${touches ? ' ' : ''}`;
    });
  },
};

const ROMAN_VALUES: Readonly<Record<string, number>> = { I: 1, V: 5, X: 10, L: 50, C: 100, D: 500, M: 1000 };
const CANONICAL_ROMAN = /^M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$/;

/** The value of a well-formed Roman numeral, or undefined ("IIII" and "VX" are not numerals). */
export function romanValue(numeral: string): number | undefined {
  if (numeral === '' || !CANONICAL_ROMAN.test(numeral)) return undefined;
  let total = 0;
  [...numeral].forEach((c, i) => {
    const value = ROMAN_VALUES[c] as number;
    const next = ROMAN_VALUES[numeral[i + 1] ?? ''] ?? 0;
    total += value < next ? -value : value;
  });
  return total;
}

// The words before which a Roman numeral is a number: "Quý III", "thế kỷ XXI", "Khóa XV", "lần thứ XIII".
const ROMAN_CONTEXT =
  '(?:[Qq]uý|[Kk]hu phố|[Kk]hóa|[Kk]hoá|[Tt]hế kỷ|[Tt]hế kỉ|[Đđ]ại hội|[Pp]hần|[Cc]hương|[Mm]ục|[Kk]ỳ|[Đđ]ợt|[Tt]ổ|[Ấấ]p|[Cc]ụm|[Gg]iai đoạn|[Nn]hiệm kỳ|[Bb]áo động|[Cc]ấp|[Tt]hứ|QUÝ|PHẦN|CHƯƠNG|MỤC)';
const ROMAN = re(`${START}(${ROMAN_CONTEXT})(\\s+)([IVX]+)${END}`);
// A heading or list item that opens a line: "I. MỤC ĐÍCH", "II. NỘI DUNG", "1. Mục đích".
const HEADING = re(`(^|\\n)(\\s*)([IVX]+|\\d{1,2})\\.(?=\\s)`);

export const romanRule: Rule = {
  name: 'roman',
  apply: (text, { words }) =>
    text
      .replace(ROMAN, (m, lead: string, space: string, numeral: string) => {
        const value = /\d/.test(numeral) ? Number(numeral) : romanValue(numeral);
        if (value === undefined) return m;
        if (/thứ$/i.test(lead)) return `${lead}${readOrdinal(value, words).replace(/^thứ/, '')}`;
        return `${lead}${space}${readCardinal(value, words)}`;
      })
      .replace(HEADING, (m, start: string, space: string, numeral: string) => {
        const value = /\d/.test(numeral) ? Number(numeral) : romanValue(numeral);
        if (value === undefined) return m;
        const spoken = readCardinal(value, words);
        return `${start}${space}${spoken.charAt(0).toUpperCase()}${spoken.slice(1)}.`;
      }),
};
