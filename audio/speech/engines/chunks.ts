// Long text cut for engines that take a limited number of characters a request.

/**
 * `text` in pieces of at most `max` characters, cut after a sentence where one ends in reach, else
 * after a comma or semicolon, else at a space; a word longer than `max` is cut where it must be.
 */
export function splitText(text: string, max: number): string[] {
  const out: string[] = [];
  let rest = text.trim();
  while (rest.length > max) {
    const head = rest.slice(0, max + 1);
    const cut = lastMatch(head, /[.!?]\s/g) ?? lastMatch(head, /[,;:]\s/g) ?? lastMatch(head, /\s/g) ?? max;
    out.push(rest.slice(0, cut).trim());
    rest = rest.slice(cut).trim();
  }
  if (rest) out.push(rest);
  return out;
}

/** The index just after the last match's first character in `s`, or null. */
function lastMatch(s: string, re: RegExp): number | null {
  let at: number | null = null;
  for (const m of s.matchAll(re)) if (m.index > 0) at = m.index + 1;
  return at;
}
