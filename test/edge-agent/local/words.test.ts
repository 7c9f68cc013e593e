// How the station page words times and titles: spans in local time (dd/mm/yyyy, the date once, seconds
// only when both ends share the minute), and a typed notice's default title cut between words.
import { describe, expect, it } from 'vitest';
import { span } from '../../../edge-agent/local/page/banner.tsx';
import { translator } from '../../../edge-agent/local/page/i18n.ts';
import type { View } from '../../../edge-agent/local/page/panels.tsx';
import { titleOf } from '../../../edge-agent/local/speech.ts';

const view = (lang: 'vi' | 'en'): View => ({
  t: translator(lang),
  lang,
  tz: 'Asia/Ho_Chi_Minh',
  clipTitles: new Map(),
  alertTitles: new Map(),
});
const vi = view('vi');

describe('the page words', () => {
  it('reads a span in the station zone: the date once, seconds within one minute, both dates across days', () => {
    expect(span(vi, '2025-03-02T23:50:00Z', '2025-03-03T01:30:00Z')).toBe('từ 06:50 đến 08:30 03/03/2025');
    expect(span(vi, '2025-03-03T00:00:05Z', '2025-03-03T00:00:20.300Z')).toBe(
      'từ 07:00:05 đến 07:00:20 03/03/2025',
    );
    expect(span(vi, '2025-03-03T15:00:00Z', '2025-03-04T03:00:00Z')).toBe(
      'từ 22:00 03/03/2025 đến 10:00 04/03/2025',
    );
    expect(span(view('en'), '2025-03-02T23:50:00Z', '2025-03-03T01:30:00Z')).toBe(
      'from 06:50 until 08:30 03/03/2025',
    );
  });

  it('titles a typed notice with its first words, up to 80 characters, cut between words', () => {
    expect(titleOf('  Mời   bà con\nhọp tổ  ')).toBe('Mời bà con họp tổ');
    const long =
      'UBND phường An Bình thông báo: ngày 5/3/2025, từ 7h30 đến 11h30 cắt điện để sửa chữa đường dây.';
    expect(titleOf(long)).toBe(
      'UBND phường An Bình thông báo: ngày 5/3/2025, từ 7h30 đến 11h30 cắt điện để sửa…',
    );
    expect(titleOf(long).length).toBeLessThanOrEqual(81);
    expect(titleOf('x'.repeat(200))).toBe(`${'x'.repeat(80)}…`);
  });
});
