// Vietnamese text normaliser: turns a notice as written into the words a speech engine should read.
// Pure: no I/O, no clock, no state kept between calls. Rules and their order: docs/speech.md.
import { cleanText, NormaliseError, type NormaliseErrorCode, type Removal } from './clean.ts';
import { phoneRule, webRule } from './contacts.ts';
import { dateRule } from './dates.ts';
import { ABBREVIATIONS, type Dictionary, mergeDictionary } from './dictionary.ts';
import { NORTHERN, type NumberWords } from './numbers.ts';
import { codeRule, numberRule, ordinalRule, quantityRule, rangeRule } from './quantities.ts';
import type { Reading, ReadingNotes, Rule } from './reading.ts';
import { punctuationRule, spacingRule, spellRule, symbolRule } from './tidy.ts';
import { timeRule } from './times.ts';
import { dictionaryRule, initialRule, romanRule } from './words.ts';

export {
  NORTHERN,
  type NumberWords,
  readCardinal,
  readDigits,
  readOrdinal,
  readWrittenNumber,
} from './numbers.ts';
export { romanValue } from './words.ts';
export type { ReadingNotes };
export {
  ABBREVIATIONS,
  type Dictionary,
  mergeDictionary,
  NormaliseError,
  type NormaliseErrorCode,
  type Removal,
};

/** The southern words ("ngàn", "lẻ"), for a station whose listeners expect them. */
export const SOUTHERN: NumberWords = { thousand: 'ngàn', zeroTens: 'lẻ' };

/** The most characters a text may have (the limit); a caller may lower it. */
export const MAX_TEXT_LENGTH = 20_000;

export interface NormaliseOptions {
  /** a province's own abbreviations, over the built-in ones (see mergeDictionary) */
  dictionary?: Dictionary;
  /** regional number words; northern by default */
  numberWords?: NumberWords;
  maxLength?: number;
}

export interface Normalised {
  /** the text as it should be read: words and sentence punctuation, no digits or symbols */
  spoken: string;
  notes: ReadingNotes;
}

/**
 * The order matters: web addresses first (their digits and slashes are neither numbers nor dates),
 * phones before dates and times (their digits are not amounts), dates before the dictionary and
 * ranges ("23-30/9"), Roman numerals before place initials ("khóa X."), the dictionary before numbers
 * ("COVID-19", "F0", "5K"), ranges before units ("100-150mm"), and spelling last, over words only.
 */
export const RULES: readonly Rule[] = [
  webRule,
  phoneRule,
  dateRule,
  timeRule,
  codeRule,
  romanRule,
  initialRule,
  dictionaryRule,
  rangeRule,
  quantityRule,
  ordinalRule,
  numberRule,
  symbolRule,
  punctuationRule,
  spellRule,
  spacingRule,
];

/**
 * Reads a Vietnamese notice into spoken words. Throws NormaliseError for empty text, text over the
 * limit, and text with nothing to read; HTML, control characters and emoji are removed and noted.
 */
export function normaliseVietnamese(text: string, options: NormaliseOptions = {}): Normalised {
  const cleaned = cleanText(text, options.maxLength ?? MAX_TEXT_LENGTH);
  const reading: Reading = {
    words: options.numberWords ?? NORTHERN,
    dictionary: mergeDictionary(options.dictionary),
    notes: { removed: cleaned.removed, spelled: [], expanded: [], unknownCapitals: [] },
  };
  const spoken = RULES.reduce((t, rule) => rule.apply(t, reading), cleaned.text);
  if (spoken === '') throw new NormaliseError('nothing_to_read');
  return { spoken, notes: reading.notes };
}
