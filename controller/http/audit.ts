// The audit trail: every change made through the API (and every refusal for lack of rights), who, what,
// when; written by the route machinery, read back by GET /api/audit.
import { z } from 'zod';
import type { Db } from '../db.ts';
import { containsPattern, decodeCursor, PageQuery, pageOf } from './page.ts';
import { type AnyRoute, defineRoute, type RouteInput } from './route.ts';

const SECRET_KEYS = /pass(word)?|secret|token|code/i;

/** Bodies are kept for the record, less anything that would let a reader log in. */
function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, SECRET_KEYS.test(k) ? '***' : redact(v)]),
    );
  }
  return value;
}

function actorOf(input: RouteInput<unknown, unknown>): string {
  const p = input.principal;
  if (!p) return 'anonymous';
  return p.kind === 'user' ? `user:${p.username}` : `station:${p.stationId}`;
}

function objectIdOf(input: RouteInput<unknown, unknown>, result: unknown): string | null {
  if (input.params.id) return input.params.id;
  const r = result as { id?: unknown; station?: { id?: unknown } } | null;
  const id = r?.id ?? r?.station?.id;
  return typeof id === 'string' || typeof id === 'number' ? String(id) : null;
}

export function recordAudit(
  db: Db,
  e: { route: AnyRoute; input: RouteInput<unknown, unknown>; status: number; result: unknown; at: Date },
): void {
  if (e.route.audit === false) return;
  const detail = keptDetail(
    JSON.stringify(redact({ body: e.input.body ?? null, result: e.status >= 400 ? e.result : undefined })),
  );
  db.prepare(
    `INSERT INTO audit_log (at, actor, action, object_type, object_id, status, detail) VALUES (?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    e.at.toISOString(),
    actorOf(e.input),
    `${e.route.method.toUpperCase()} ${e.route.path}`,
    e.route.tag,
    objectIdOf(e.input, e.result),
    e.status,
    detail,
  );
}

/** Room for one entry's detail. */
const DETAIL_CHARS = 4000;

/** The detail as stored: whole, or (a long body) its beginning wrapped so it stays JSON. */
function keptDetail(json: string): string {
  if (json.length <= DETAIL_CHARS) return json;
  return JSON.stringify({ truncated: true, excerpt: json.slice(0, DETAIL_CHARS - 100) });
}

/** A stored detail read back; entries written before details were kept whole may be cut JSON. */
function readDetail(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return { truncated: true, excerpt: text };
  }
}

const AuditQuery = z.strictObject({
  objectType: z.string().max(50).optional(),
  objectId: z.string().max(200).optional(),
  actor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
  ...PageQuery,
  status: z.enum(['done', 'refused']).optional().describe('done (2xx) or refused (4xx, 5xx)'),
});
type AuditQuery = z.infer<typeof AuditQuery>;

/** Entries newest first, filtered by object, actor, outcome and text, after a cursor's entry. */
export function listAudit(db: Db, query: AuditQuery) {
  const where = [
    '(@objectType IS NULL OR object_type = @objectType)',
    '(@objectId IS NULL OR object_id = @objectId)',
    '(@actor IS NULL OR actor = @actor)',
  ];
  const { cursor, q, status, ...rest } = query;
  const args: Record<string, unknown> = { objectType: null, objectId: null, actor: null, ...rest };
  if (status) where.push(status === 'done' ? 'status < 400' : 'status >= 400');
  if (q) {
    where.push("(actor LIKE @q ESCAPE '\\' OR action LIKE @q ESCAPE '\\' OR object_id LIKE @q ESCAPE '\\')");
    args.q = containsPattern(q);
  }
  const after = decodeCursor(cursor, 1);
  if (after) {
    where.push('id < @after');
    args.after = after[0];
  }
  if (cursor !== undefined) args.limit = rest.limit + 1;
  const rows = db
    .prepare(`SELECT * FROM audit_log WHERE ${where.join(' AND ')} ORDER BY id DESC LIMIT @limit`)
    .all(args) as { id: number; detail: string }[];
  const view = (r: { id: number; detail: string }) => ({ ...r, detail: readDetail(r.detail) });
  return cursor === undefined ? rows.map(view) : pageOf(rows, rest.limit, (r) => [r.id], view);
}

export function auditRoutes(db: Db): AnyRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/api/audit',
      tag: 'audit',
      summary:
        'Who changed what and when, newest first; filter by object, actor, outcome or text. Admins read ' +
        "everyone's entries, other users their own. Name `cursor` (empty for the first page) to get " +
        '`{ items, nextCursor }`',
      access: 'user',
      query: AuditQuery,
      responses: {
        200: 'the whole list; with `cursor`, one page: { items, nextCursor } (null on the last page)',
      },
      handle: ({ query, principal }) => {
        if (principal?.kind !== 'user' || principal.role === 'admin') return { json: listAudit(db, query) };
        // another person's entries are not theirs to read: asking for them finds none
        const self = `user:${principal.username}`;
        const actor = query.actor === undefined || query.actor === self ? self : `${self}\u0000other`;
        return { json: listAudit(db, { ...query, actor }) };
      },
    }),
  ];
}
