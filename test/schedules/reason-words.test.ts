// One list of reason codes with their words: the protocol page names the same codes, and every code has words.
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { REASON_CODES, reasonText } from '../../schedules/reason-words.ts';

const HELD_ONLY = ['waiting', 'next-session', 'quiet-window'];

it('names in docs/protocol.md exactly the as-run reasons of the table', () => {
  const doc = readFileSync(new URL('../../docs/protocol.md', import.meta.url), 'utf8');
  const table = doc.slice(doc.indexOf('| outcome | reasons |'), doc.indexOf('Every reason code'));
  const documented = new Set([...table.matchAll(/`([a-z-]+)`/g)].map((m) => m[1] as string));
  const outcomes = ['played', 'skipped', 'failed', 'missed', 'interrupted', 'relay', 'relay-failed', 'live'];
  for (const o of [...outcomes, 'slotEdge', 'skip', 'graceMs']) documented.delete(o);
  expect([...documented].sort()).toEqual(REASON_CODES.filter((c) => !HELD_ONLY.includes(c)).sort());
});

it('has words in both languages for every code, and shows an unknown code as it is', () => {
  for (const code of REASON_CODES) {
    expect(reasonText('vi', code)).not.toBe(code);
    expect(reasonText('en', code)).not.toBe(code);
  }
  expect(reasonText('vi', 'online-class')).toBe('Giờ học trực tuyến');
  expect(reasonText('vi', 'from-a-newer-agent')).toBe('from-a-newer-agent');
  expect(reasonText('en', null)).toBe('');
});
