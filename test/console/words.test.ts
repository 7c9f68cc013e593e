// The console's word table is spread together from several files: a key in two of them would silently take
// the later one's words (TypeScript does not see it), as `relay` (the amplifier) once hid an outcome's words.
import { readdirSync, readFileSync } from 'node:fs';
import { expect, it } from 'vitest';

const WORDS = new URL('../../controller/console/words/', import.meta.url);

it('has each key in one file only, every word file spread into the table', async () => {
  const table = readFileSync(new URL('../../controller/console/i18n.ts', import.meta.url), 'utf8');
  const own = [...table.matchAll(/^ {2}(?:'([^']+)'|([A-Za-z][\w.]*)): \[/gm)].map((m) => m[1] ?? m[2]);
  const files: Record<string, string[]> = { i18n: own as string[] };
  for (const name of readdirSync(WORDS).filter((f) => f.endsWith('.ts'))) {
    const module = (await import(new URL(name, WORDS).href)) as Record<string, Record<string, unknown>>;
    for (const [exported, words] of Object.entries(module)) {
      files[name] = Object.keys(words);
      expect(table, `${name} is spread into the table`).toContain(`...${exported},`);
    }
  }
  const seen = new Map<string, string>();
  const twice: string[] = [];
  for (const [file, keys] of Object.entries(files)) {
    for (const key of keys) {
      const before = seen.get(key);
      if (before) twice.push(`${key}: ${before} and ${file}`);
      seen.set(key, file);
    }
  }
  expect(Object.keys(files).length).toBeGreaterThan(8);
  expect(own.length).toBeGreaterThan(100);
  expect(twice).toEqual([]);
});
