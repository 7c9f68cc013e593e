// Property tests: every date, time and phone shape reads back to the values written.
import { describe, expect, it } from 'vitest';
import { normaliseVietnamese, readCardinal } from '../../../audio/speech/normalise/index.ts';

const say = (text: string) => normaliseVietnamese(text).spoken;
const DIGIT_WORDS = ['không', 'một', 'hai', 'ba', 'bốn', 'năm', 'sáu', 'bảy', 'tám', 'chín'];
const month = (m: number) => (m === 4 ? 'tư' : readCardinal(m));

function random(seed: number) {
  let state = seed;
  return (below: number) => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state % below;
  };
}

describe('properties', () => {
  it('reads every day of every month, with and without the year, as the words of its numbers', () => {
    for (let m = 1; m <= 12; m++) {
      for (let d = 1; d <= 31; d++) {
        expect(say(`Họp ${d}/${m}/2025.`)).toBe(
          `Họp ngày ${readCardinal(d)} tháng ${month(m)} năm hai nghìn không trăm hai mươi lăm.`,
        );
        expect(say(`vào ngày ${d}/${m} tới`)).toBe(`vào ngày ${readCardinal(d)} tháng ${month(m)} tới`);
      }
    }
  });

  it('reads every time of day written as 7h30, 7g30 and 07:30 the same way', () => {
    for (let h = 0; h <= 23; h++) {
      for (let min = 0; min < 60; min++) {
        const mm = String(min).padStart(2, '0');
        const expected = `lúc ${readCardinal(h)} giờ${min === 0 ? '' : ` ${readCardinal(min)} phút`}`;
        expect(say(`lúc ${h}h${mm}`)).toBe(expected);
        expect(say(`lúc ${h}g${mm}`)).toBe(expected);
        expect(say(`lúc ${String(h).padStart(2, '0')}:${mm}`)).toBe(expected);
      }
    }
  });

  it('reads random mobile numbers, however they are grouped, digit by digit back to the digits', () => {
    const next = random(7);
    for (let i = 0; i < 2_000; i++) {
      const digits = `0${[3, 5, 7, 8, 9][next(5)]}${Array.from({ length: 8 }, () => next(10)).join('')}`;
      const written = [
        digits,
        `${digits.slice(0, 4)} ${digits.slice(4, 7)} ${digits.slice(7)}`,
        `${digits.slice(0, 4)}.${digits.slice(4, 7)}.${digits.slice(7)}`,
      ][i % 3] as string;
      const spoken = say(`gọi ${written} ngay`);
      const words = spoken.replace(/^gọi |,| ngay$/g, '').split(' ');
      expect(words.map((w) => DIGIT_WORDS.indexOf(w)).join(''), `${written} → ${spoken}`).toBe(digits);
    }
  });

  it('reads random amounts of money with thousands dots as the cardinal of their value', () => {
    const next = random(11);
    for (let i = 0; i < 2_000; i++) {
      const value = next(2_000_000_000);
      const written = value.toLocaleString('de-DE'); // dots for thousands, as Vietnamese writes them
      expect(say(`${written}đ`)).toBe(`${readCardinal(value)} đồng`);
    }
  });
});
