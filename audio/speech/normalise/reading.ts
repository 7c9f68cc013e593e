// What every rule of a reading shares: the number words, the dictionary and the notes it adds to.
import type { Removal } from './clean.ts';
import type { Dictionary } from './dictionary.ts';
import type { NumberWords } from './numbers.ts';

/** What a reading did that a person may want to check: removals, spellings, expansions. */
export interface ReadingNotes {
  /** what cleaning took out of the text */
  removed: Removal[];
  /** words with no vowel that the dictionary does not know, spelled out letter by letter */
  spelled: string[];
  /** dictionary entries that were used (written forms) */
  expanded: string[];
  /** acronyms the dictionary does not know, left as written because they have vowels ("EVN") */
  unknownCapitals: string[];
}

export interface Reading {
  words: NumberWords;
  dictionary: Dictionary;
  notes: ReadingNotes;
}

/** One step of the reading: a rewrite of the whole text, in the order of RULES. */
export interface Rule {
  name: string;
  apply(text: string, reading: Reading): string;
}

/** Not preceded by a letter or a digit. */
export const START = '(?<![\\p{L}\\p{N}])';
/** Not followed by a letter or a digit. */
export const END = '(?![\\p{L}\\p{N}])';
/** A written number: thousands dots and a decimal comma ("1.000.000", "3,5", "12"). */
export const NUMBER = '(?:\\d{1,3}(?:\\.\\d{3})+|\\d+)(?:,\\d+)?';

export const re = (source: string, flags = 'gu') => new RegExp(source, flags);

/** A literal string inside a pattern. */
export const escapePattern = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** Adds a value to a note list once. */
export function noteOnce(list: string[], value: string): void {
  if (!list.includes(value)) list.push(value);
}

/** A read-out word that opens a sentence starts with a capital, as the written form did. */
export function capitalAtSentenceStart(spoken: string, whole: string, offset: number): string {
  const opensSentence = /(?:^|[.!?\n])[\s\-–•*]*$/u.test(whole.slice(Math.max(0, offset - 8), offset));
  const first = /[\p{Lu}]/u.test(whole[offset] ?? '');
  return opensSentence && first ? `${spoken.charAt(0).toUpperCase()}${spoken.slice(1)}` : spoken;
}
