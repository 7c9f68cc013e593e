// Spelling a word letter by letter the way Vietnamese listeners say the letters of an acronym.

/** Letter names as said in acronyms ("VTV" → "vê tê vê", "SMS" → "ét em ét"). */
export const LETTER_NAMES: Readonly<Record<string, string>> = {
  a: 'a',
  ă: 'á',
  â: 'ớ',
  b: 'bê',
  c: 'xê',
  d: 'dê',
  đ: 'đê',
  e: 'e',
  ê: 'ê',
  f: 'ép',
  g: 'gờ',
  h: 'hát',
  i: 'i',
  j: 'gi',
  k: 'ca',
  l: 'lờ',
  m: 'em',
  n: 'en',
  o: 'o',
  ô: 'ô',
  ơ: 'ơ',
  p: 'pê',
  q: 'quy',
  r: 'rờ',
  s: 'ét',
  t: 'tê',
  u: 'u',
  ư: 'ư',
  v: 'vê',
  w: 'vê kép',
  x: 'ích',
  y: 'i',
  z: 'dét',
};

const VOWEL = /[aeiouy]/;

/** True when the word has a vowel once its tone and letter marks are taken off (đ counts as d). */
export function hasVowel(word: string): boolean {
  return VOWEL.test(word.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase());
}

/** "HTX" → "hát tê ích"; a letter with no name (a stray symbol) is dropped. */
export function spellOut(word: string): string {
  return [...word.toLowerCase()]
    .map((c) => LETTER_NAMES[c])
    .filter((name): name is string => name !== undefined)
    .join(' ');
}
