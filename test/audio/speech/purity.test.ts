// The normaliser stays pure, so the agent can read announcements offline with the same code as the controller.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { normaliseVietnamese } from '../../../audio/speech/normalise/index.ts';

const folder = new URL('../../../audio/speech/normalise/', import.meta.url);
const sources = readdirSync(folder)
  .filter((name) => name.endsWith('.ts'))
  .map((name) => ({ name, text: readFileSync(new URL(name, folder), 'utf8') }));

describe('the normaliser is pure', () => {
  it('imports only its own files: no node modules, no packages, nothing outside its folder', () => {
    for (const { name, text } of sources) {
      for (const [, specifier] of text.matchAll(/from\s+'([^']+)'/g)) {
        expect(specifier, name).toMatch(/^\.\/[\w-]+\.ts$/);
      }
    }
  });

  it('reads no clock, no environment, no randomness, and keeps no state between calls', () => {
    for (const { name, text } of sources) {
      expect(text, name).not.toMatch(/\bDate\b|process\.|Math\.random|console\.|^let\s|^var\s/m);
    }
  });

  it('gives the same reading twice, whatever was read in between', () => {
    const text = 'UBND P. 5 họp lúc 7h30 ngày 23/9, gọi 0292 3821 234.';
    const first = normaliseVietnamese(text);
    normaliseVietnamese('TPCT, KP 3', { dictionary: { TPCT: 'thành phố Cần Thơ', KP: '' } });
    expect(normaliseVietnamese(text)).toEqual(first);
  });
});
