// The walk's reader: it finds English, UTC and raw ids, and lets Vietnamese written without marks be.
import { describe, expect, it } from 'vitest';
import { englishWords, rawIds, utcStamps } from '../support/readable.ts';

describe('the reader of visible text', () => {
  it('finds English words, not Vietnamese syllables, acronyms or allowed terms', () => {
    expect(englishWords('Played, skipped: next-session (draft) approved')).toEqual([
      'Played',
      'skipped',
      'next',
      'session',
      'draft',
      'approved',
    ]);
    expect(englishWords('Đài phường An Hòa, Ninh Kiều: Loa tin UBND HĐND Tải CSV, tệp Opus')).toEqual([]);
    expect(englishWords('Đăng nhập English')).toEqual([]);
  });

  it('finds UTC instants and yyyy-mm-dd days, not local dd/mm/yyyy times', () => {
    expect(utcStamps('plays at 2026-12-04T23:30:00.000Z, from 2026-12-05, 17:20Z UTC')).toEqual([
      '2026-12-04T23:30:00.000Z',
      '2026-12-05',
      '17:20Z',
      'UTC',
    ]);
    expect(utcStamps('05/12/2026 06:30 đến 07:00')).toEqual([]);
  });

  it('finds ids shown on their own, not inside longer words', () => {
    expect(rawIds('Đài st-an-hoa; slot-c895a6ba', ['st-an-hoa', 'an-hoa', 'slot-c895a6ba'])).toEqual([
      'st-an-hoa',
      'slot-c895a6ba',
    ]);
  });
});
