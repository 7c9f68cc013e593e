// The console's word table is spread together from several files: a key in two of them would silently take
// the later one's words (TypeScript does not see it), as `relay` (the amplifier) once hid an outcome's words.
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { clipWords } from '../../controller/console/words/clips.ts';
import { formWords } from '../../controller/console/words/forms.ts';
import { liveWords } from '../../controller/console/words/live.ts';
import { operationsWords } from '../../controller/console/words/operations.ts';
import { relayWords } from '../../controller/console/words/relay.ts';

it('has each key in one file only', () => {
  const table = readFileSync(new URL('../../controller/console/i18n.ts', import.meta.url), 'utf8');
  const own = [...table.matchAll(/^ {2}(?:'([^']+)'|([A-Za-z][\w.]*)): \[/gm)].map((m) => m[1] ?? m[2]);
  const files = { i18n: own, clipWords, formWords, liveWords, operationsWords, relayWords };
  const seen = new Map<string, string>();
  const twice: string[] = [];
  for (const [file, keys] of Object.entries(files)) {
    for (const key of Array.isArray(keys) ? keys : Object.keys(keys)) {
      const before = seen.get(key as string);
      if (before) twice.push(`${key}: ${before} and ${file}`);
      seen.set(key as string, file);
    }
  }
  expect(own.length).toBeGreaterThan(100);
  expect(twice).toEqual([]);
});
