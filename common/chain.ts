// A hash chain of JSON records: each carries its sequence number, the hash of the one before it and its
// own hash, the SHA-256 of its canonical form (RFC 8785) without `hash`. The as-run records a station
// keeps are chained so that a record removed or edited before the controller stores it shows.
import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';

/** What a chained record carries. */
export interface ChainLink {
  seq: number;
  /** The hash of the record before it; null for the first of a chain. */
  prevHash: string | null;
  hash: string;
}

/** The hash a record must carry: of its canonical form, its `seq` and `prevHash` included, `hash` left out. */
export function chainHash(record: object): string {
  const { hash: _, ...content } = record as Record<string, unknown>;
  const text = canonicalize(content);
  if (text === undefined) throw new Error('record cannot be put in canonical form');
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** `record` as the next link after `head` (null: the first of the chain). */
export function chainNext<T extends object>(
  record: T,
  head: Pick<ChainLink, 'seq' | 'hash'> | null,
): T & ChainLink {
  const linked = { ...record, seq: (head?.seq ?? 0) + 1, prevHash: head?.hash ?? null };
  return { ...linked, hash: chainHash(linked) };
}
