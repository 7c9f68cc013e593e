// Reading numbers the Vietnamese way: cardinals, ordinals, decimals and digit strings.
// Written here rather than taken from npm: see docs/speech.md ("Why not a package").

/** Regional choices for the words that differ between north and south. */
export interface NumberWords {
  /** 10^3: "nghìn" (north, the broadcast standard) or "ngàn" (south). */
  thousand: 'nghìn' | 'ngàn';
  /** a zero tens digit before a unit ("một trăm linh năm"): "linh" (north) or "lẻ" (south). */
  zeroTens: 'linh' | 'lẻ';
}

export const NORTHERN: NumberWords = { thousand: 'nghìn', zeroTens: 'linh' };

const DIGIT = ['không', 'một', 'hai', 'ba', 'bốn', 'năm', 'sáu', 'bảy', 'tám', 'chín'] as const;

/** One digit alone, as in a phone number: 1 "một", 4 "bốn", 5 "năm". */
export function readDigit(d: number): string {
  const word = DIGIT[d];
  if (word === undefined) throw new RangeError(`not a digit: ${d}`);
  return word;
}

/** A string of digits read one by one ("0292" → "không hai chín hai"). */
export function readDigits(digits: string): string {
  return [...digits].map((c) => readDigit(Number(c))).join(' ');
}

/** 0..999 as a group; `full` reads the leading zeros of a group that follows a bigger one. */
function readGroup(n: number, full: boolean, words: NumberWords): string[] {
  const hundreds = Math.floor(n / 100);
  const tens = Math.floor((n % 100) / 10);
  const units = n % 10;
  const out: string[] = [];
  if (hundreds > 0 || full) out.push(readDigit(hundreds), 'trăm');
  if (tens === 0) {
    if (units > 0 && out.length > 0) out.push(words.zeroTens);
  } else if (tens === 1) out.push('mười');
  else out.push(readDigit(tens), 'mươi');
  if (units === 0) return out;
  if (units === 1 && tens >= 2) out.push('mốt');
  else if (units === 4 && tens >= 2) out.push('tư');
  else if (units === 5 && tens >= 1) out.push('lăm');
  else out.push(readDigit(units));
  return out;
}

const SCALES = ['', 'nghìn', 'triệu'] as const;
const BILLION = 1_000_000_000n;

function readBelowBillion(n: bigint, full: boolean, words: NumberWords): string[] {
  const groups: number[] = [];
  let rest = n;
  do {
    groups.unshift(Number(rest % 1000n));
    rest /= 1000n;
  } while (rest > 0n);
  const out: string[] = [];
  groups.forEach((g, i) => {
    const scale = groups.length - 1 - i;
    if (g === 0) return;
    out.push(...readGroup(g, full || out.length > 0, words));
    if (scale === 1) out.push(words.thousand);
    else if (scale > 0) out.push(SCALES[scale] as string);
  });
  return out;
}

function readBig(n: bigint, full: boolean, words: NumberWords): string[] {
  if (n < BILLION) return readBelowBillion(n, full, words);
  const head = readBig(n / BILLION, full, words);
  const tail = n % BILLION;
  return [...head, 'tỷ', ...(tail > 0n ? readBelowBillion(tail, true, words) : [])];
}

/** A whole number in words: 21 "hai mươi mốt", 105 "một trăm linh năm", 2021 "hai nghìn không trăm hai mươi mốt". */
export function readCardinal(value: number | bigint | string, words: NumberWords = NORTHERN): string {
  const n = typeof value === 'bigint' ? value : BigInt(value);
  if (n < 0n) return `âm ${readCardinal(-n, words)}`;
  if (n === 0n) return 'không';
  return readBig(n, false, words).join(' ');
}

/** "thứ nhất", "thứ hai", "thứ tư", then "thứ" with the cardinal. */
export function readOrdinal(value: number, words: NumberWords = NORTHERN): string {
  if (value === 1) return 'thứ nhất';
  if (value === 4) return 'thứ tư';
  return `thứ ${readCardinal(value, words)}`;
}

/**
 * The part after the decimal comma: read as a number when it has no leading zero and at most three
 * digits ("3,14" → "ba phẩy mười bốn"), digit by digit otherwise ("0,05" → "không phẩy không năm").
 */
export function readFraction(digits: string, words: NumberWords = NORTHERN): string {
  if (digits.length <= 3 && !digits.startsWith('0')) return readCardinal(digits, words);
  return readDigits(digits);
}

/** A written number: "1.000.000" (thousands dots), "3,5" (decimal comma), "12". */
export function readWrittenNumber(written: string, words: NumberWords = NORTHERN): string {
  const [whole = '', fraction] = written.split(',');
  const digits = whole.replaceAll('.', '');
  // beyond a million billion a number is an account or a code, not an amount: read digit by digit
  const integer = digits.length > 15 ? readDigits(digits) : readCardinal(digits, words);
  return fraction === undefined ? integer : `${integer} phẩy ${readFraction(fraction, words)}`;
}
