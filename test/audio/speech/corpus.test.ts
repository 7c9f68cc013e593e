// The corpus of notices (corpus.tsv): every sentence reads as written down, and every category is covered.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { normaliseVietnamese } from '../../../audio/speech/normalise/index.ts';

/** The categories of the issue; each sentence is tagged with those it exercises. */
const CATEGORIES = [
  'cardinal',
  'ordinal',
  'decimal',
  'percent',
  'date',
  'time',
  'range',
  'phone',
  'money',
  'unit',
  'roman',
  'abbreviation',
  'spelling',
] as const;

interface Sentence {
  line: number;
  categories: string[];
  text: string;
  spoken: string;
}

const rows = readFileSync(new URL('./corpus.tsv', import.meta.url), 'utf8').split('\n');
const corpus: Sentence[] = rows
  .map((row, i) => ({ row, line: i + 1 }))
  .filter(({ row, line }) => line > 1 && row.trim() !== '')
  .map(({ row, line }) => {
    const [categories = '', text = '', spoken = ''] = row.split('\t');
    return { line, categories: categories.split(','), text, spoken };
  });

describe('the corpus of notices', () => {
  it('has at least 300 sentences, each with a spoken form and known categories', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(300);
    for (const s of corpus) {
      expect(s.spoken, `line ${s.line}`).not.toBe('');
      for (const c of s.categories) expect(CATEGORIES, `line ${s.line}`).toContain(c);
    }
    expect(new Set(corpus.map((s) => s.text)).size).toBe(corpus.length);
  });

  it('covers every category with at least ten sentences', () => {
    for (const category of CATEGORIES) {
      const count = corpus.filter((s) => s.categories.includes(category)).length;
      expect(count, category).toBeGreaterThanOrEqual(10);
    }
  });

  it('reads every sentence exactly as written down (100%)', () => {
    const misses = corpus
      .map((s) => ({ ...s, got: normaliseVietnamese(s.text).spoken }))
      .filter((s) => s.got !== s.spoken)
      .map((s) => `line ${s.line}: ${s.text}\n  expected: ${s.spoken}\n  got:      ${s.got}`);
    expect(misses, misses.join('\n')).toEqual([]);
  });

  it('leaves no digit, no "undefined" and no symbol a reader cannot say', () => {
    for (const s of corpus) {
      expect(s.spoken, `line ${s.line}`).not.toMatch(/\d|undefined|[%°²³/&+=()"“”]/);
    }
  });
});
