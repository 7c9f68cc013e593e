// Paged lists: a request that names `cursor` (empty for the first page) is answered one page at a time,
// `{ items, nextCursor }`, walking an index from where the last page ended (keyset paging: a page costs
// the same at any depth, and rows added meanwhile neither repeat nor shift the pages after).
import { z } from 'zod';
import type { Db } from '../db.ts';
import { badRequest } from './errors.ts';

export const PAGE_DEFAULT = 50;
export const PAGE_MAX = 500;

/** The query fields every paged list takes; `cursor` absent keeps a list's older unpaged answer. */
export const PageQuery = {
  cursor: z
    .string()
    .max(400)
    .optional()
    .describe('send empty for the first page, then the nextCursor of the page before'),
  q: z.string().trim().max(100).optional().describe('text to look for (names and ids)'),
};

export interface Page<T> {
  items: T[];
  /** Absent from the last page. */
  nextCursor: string | null;
}

/** The position after a row, as an opaque string. */
export const encodeCursor = (key: readonly (string | number)[]): string =>
  Buffer.from(JSON.stringify(key)).toString('base64url');

/** The key a cursor holds (null for the first page); 400 for one this server did not give out. */
export function decodeCursor(cursor: string | undefined, parts: number): (string | number)[] | null {
  if (!cursor) return null;
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(key) &&
      key.length === parts &&
      key.every((k) => ['string', 'number'].includes(typeof k))
    )
      return key;
  } catch {}
  throw badRequest(
    [
      'cursor is not one this list gave out: start again with an empty cursor',
      'Vị trí trang không hợp lệ; vui lòng xem lại danh sách từ đầu.',
    ],
    { field: 'cursor' },
  );
}

/** A page from `limit + 1` rows read: the extra row only tells that another page follows. */
export function pageOf<R, T>(
  rows: R[],
  limit: number,
  keyOf: (r: R) => (string | number)[],
  view: (r: R) => T,
) {
  const more = rows.length > limit;
  const shown = more ? rows.slice(0, limit) : rows;
  const last = shown.at(-1);
  return {
    items: shown.map(view),
    nextCursor: more && last !== undefined ? encodeCursor(keyOf(last)) : null,
  } satisfies Page<T>;
}

/** `LIKE` text for "contains", with its wildcards escaped (use with ESCAPE '\'). */
export const containsPattern = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** Lower case without Vietnamese diacritics: "Phường An Hòa" is found by "an hoa". */
export const fold = (s: string) =>
  s.normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').toLowerCase();

const withFold = new WeakSet<Db>();
/** Makes `vn_fold(text)` (fold in SQL) available on this connection. */
export function registerFold(db: Db): void {
  if (withFold.has(db)) return;
  db.function('vn_fold', { deterministic: true }, (s: unknown) => (typeof s === 'string' ? fold(s) : s));
  withFold.add(db);
}
