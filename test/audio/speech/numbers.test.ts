// Vietnamese number reading: hand-checked values, then every integer to a million read back to itself.
import { describe, expect, it } from 'vitest';
import {
  readCardinal,
  readDigits,
  readOrdinal,
  readWrittenNumber,
  SOUTHERN,
} from '../../../audio/speech/normalise/index.ts';

/** Reads the words back into a number: the inverse the property tests check against. */
function parseCardinal(spoken: string): bigint {
  const DIGITS: Record<string, number> = {
    không: 0,
    một: 1,
    mốt: 1,
    hai: 2,
    ba: 3,
    bốn: 4,
    tư: 4,
    năm: 5,
    lăm: 5,
    sáu: 6,
    bảy: 7,
    tám: 8,
    chín: 9,
  };
  let total = 0n; // finished billions
  let millions = 0n; // below a billion, finished thousands
  let group = 0n; // below a thousand
  let last = 0n;
  for (const word of spoken.split(' ')) {
    if (word in DIGITS) {
      last = BigInt(DIGITS[word] as number);
      group += last;
    } else if (word === 'mười') group += 10n;
    else if (word === 'mươi')
      group += last * 9n; // "hai mươi": the 2 already added, make it 20
    else if (word === 'trăm') group += last * 99n;
    else if (word === 'linh' || word === 'lẻ') continue;
    else if (word === 'nghìn' || word === 'ngàn') {
      millions += group * 1000n;
      group = 0n;
    } else if (word === 'triệu') {
      millions = (millions + group) * 1_000_000n;
      group = 0n;
    } else if (word === 'tỷ') {
      total = (total + millions + group) * 1_000_000_000n;
      millions = 0n;
      group = 0n;
    } else throw new Error(`unexpected word "${word}" in "${spoken}"`);
  }
  return total + millions + group;
}

/** "mốt" and "tư" only after "mươi", "lăm" only after "mười"/"mươi", "linh" only after "trăm". */
function wellPlaced(spoken: string): boolean {
  const words = spoken.split(' ');
  const AFTER: Record<string, string[]> = {
    mốt: ['mươi'],
    tư: ['mươi'],
    lăm: ['mười', 'mươi'],
    linh: ['trăm'],
  };
  return words.every((w, i) => !(w in AFTER) || (AFTER[w] as string[]).includes(words[i - 1] ?? ''));
}

describe('readCardinal', () => {
  it.each([
    [0, 'không'],
    [1, 'một'],
    [4, 'bốn'],
    [5, 'năm'],
    [10, 'mười'],
    [11, 'mười một'],
    [14, 'mười bốn'],
    [15, 'mười lăm'],
    [20, 'hai mươi'],
    [21, 'hai mươi mốt'],
    [24, 'hai mươi tư'],
    [25, 'hai mươi lăm'],
    [101, 'một trăm linh một'],
    [104, 'một trăm linh bốn'],
    [105, 'một trăm linh năm'],
    [110, 'một trăm mười'],
    [115, 'một trăm mười lăm'],
    [1000, 'một nghìn'],
    [1005, 'một nghìn không trăm linh năm'],
    [2021, 'hai nghìn không trăm hai mươi mốt'],
    [10_000, 'mười nghìn'],
    [1_000_500, 'một triệu năm trăm'],
    [1_000_005, 'một triệu không trăm linh năm'],
    [1_200_000_000_000, 'một nghìn hai trăm tỷ'],
    [1_000_000_001, 'một tỷ không trăm linh một'],
  ])('%d → %s', (n, words) => {
    expect(readCardinal(n)).toBe(words);
  });

  it('reads the southern words when asked', () => {
    expect(readCardinal(1005, SOUTHERN)).toBe('một ngàn không trăm lẻ năm');
    expect(readCardinal(105, SOUTHERN)).toBe('một trăm lẻ năm');
  });

  it('reads negative numbers with "âm" and numbers beyond 2^53 as bigint or string', () => {
    expect(readCardinal(-5)).toBe('âm năm');
    expect(readCardinal('9007199254740993')).toBe(
      'chín triệu không trăm linh bảy nghìn một trăm chín mươi chín tỷ hai trăm năm mươi tư triệu bảy trăm bốn mươi nghìn chín trăm chín mươi ba',
    );
  });

  it('reads every integer from 0 to 1,000,000 with known words only, and back to itself', () => {
    for (let n = 0; n <= 1_000_000; n++) {
      const words = readCardinal(n);
      if (parseCardinal(words) !== BigInt(n) || /undefined|\s\s/.test(words) || !wellPlaced(words)) {
        throw new Error(`${n} read as "${words}"`);
      }
    }
  });

  it('reads sampled numbers up to a million billion back to themselves, in both regions', () => {
    let seed = 42;
    const next = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return BigInt(seed);
    };
    for (let i = 0; i < 20_000; i++) {
      const n = (next() * 2_147_483_648n + next()) % 10n ** BigInt(1 + (i % 16));
      expect(parseCardinal(readCardinal(n))).toBe(n);
      expect(parseCardinal(readCardinal(n, SOUTHERN))).toBe(n);
    }
  });
});

describe('ordinals, decimals and digits', () => {
  it.each([
    [1, 'thứ nhất'],
    [2, 'thứ hai'],
    [4, 'thứ tư'],
    [14, 'thứ mười bốn'],
    [21, 'thứ hai mươi mốt'],
  ])('ordinal %d → %s', (n, words) => {
    expect(readOrdinal(n)).toBe(words);
  });

  it.each([
    ['3,5', 'ba phẩy năm'],
    ['3,14', 'ba phẩy mười bốn'],
    ['0,05', 'không phẩy không năm'],
    ['2,1234', 'hai phẩy một hai ba bốn'],
    ['1.000.000', 'một triệu'],
    ['12.500,75', 'mười hai nghìn năm trăm phẩy bảy mươi lăm'],
  ])('written %s → %s', (written, words) => {
    expect(readWrittenNumber(written)).toBe(words);
  });

  it('reads digits one by one, 1 as "một", 4 as "bốn" and 5 as "năm"', () => {
    expect(readDigits('0145')).toBe('không một bốn năm');
  });
});
