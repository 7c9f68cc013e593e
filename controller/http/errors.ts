// Domain errors, typed once and answered in one place (app.onError), never showing paths, stacks or SQL.
import type { ZodError } from 'zod';

/** A reason in English for the API's clients, or in English and Vietnamese for the console's people. */
export type Reason = string | readonly [en: string, vi: string];

export class HttpError extends Error {
  /** The reason in Vietnamese, answered beside the English as `messageVi`. */
  readonly messageVi?: string;
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 503,
    readonly code: string,
    reason: Reason,
    readonly details?: unknown,
  ) {
    super(typeof reason === 'string' ? reason : reason[0]);
    if (typeof reason !== 'string') this.messageVi = reason[1];
  }
}

export const badRequest = (reason: Reason, details?: unknown) =>
  new HttpError(400, 'bad_request', reason, details);
export const notFound = (what: string, id: string) =>
  new HttpError(404, 'not_found', [
    `${what} '${id}' not found`,
    'Không tìm thấy: có thể đã bị xóa hoặc đổi tên.',
  ]);
export const conflict = (reason: Reason) => new HttpError(409, 'conflict', reason);
export const unauthorized = (reason: Reason = 'missing or invalid bearer token') =>
  new HttpError(401, 'unauthorized', reason);
export const forbidden = (reason: Reason) => new HttpError(403, 'forbidden', reason);

/** A zod issue in Vietnamese: what the value must be (the English one names types and codes). */
function issueVi(i: ZodError['issues'][number]): string {
  const n = i as {
    origin?: string;
    minimum?: unknown;
    maximum?: unknown;
    inclusive?: boolean;
  };
  const many = (what: string) => (n.origin === 'string' ? 'ký tự' : n.origin === 'number' ? '' : what);
  switch (i.code) {
    case 'too_small':
      if (n.origin === 'string' && n.minimum === 1) return 'không được để trống';
      if (n.origin === 'number')
        return n.inclusive === false ? `phải lớn hơn ${n.minimum}` : `ít nhất là ${n.minimum}`;
      return `cần ít nhất ${n.minimum} ${many('mục')}`.trim();
    case 'too_big':
      if (n.origin === 'number')
        return n.inclusive === false ? `phải nhỏ hơn ${n.maximum}` : `nhiều nhất là ${n.maximum}`;
      return `nhiều nhất ${n.maximum} ${many('mục')}`.trim();
    case 'invalid_type': {
      // zod keeps no input in an issue: a missing field is told by its message
      if (/received undefined$/.test(i.message)) return 'chưa được điền';
      const want: Record<string, string> = {
        number: 'phải là một số',
        int: 'phải là một số nguyên',
        string: 'phải là văn bản',
        boolean: 'phải là có hoặc không',
        array: 'phải là một danh sách',
      };
      return want[(i as { expected?: string }).expected ?? ''] ?? 'sai kiểu dữ liệu';
    }
    case 'invalid_value':
      return 'không thuộc các giá trị được chấp nhận';
    case 'invalid_format': {
      const f = (i as { format?: string }).format;
      if (f === 'date') return 'phải là ngày hợp lệ';
      if (f === 'time') return 'phải là giờ hợp lệ';
      if (f === 'datetime') return 'phải là ngày giờ hợp lệ';
      return 'sai định dạng';
    }
    case 'unrecognized_keys':
      return `có mục không được chấp nhận: ${(i as { keys: string[] }).keys.map((k) => `«${k}»`).join(', ')}`;
    case 'not_multiple_of':
      return `phải là bội số của ${(i as { divisor?: unknown }).divisor}`;
    default:
      return 'giá trị không hợp lệ';
  }
}

export function fromZod(error: ZodError, where: string): HttpError {
  const issues = error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
  const first = issues[0];
  const summary = first ? `${first.path || where}: ${first.message}` : 'invalid input';
  const firstIssue = error.issues[0];
  const vi = firstIssue
    ? `Dữ liệu không hợp lệ${first?.path ? ` ở mục «${first.path}»` : ''}: ${issueVi(firstIssue)}.`
    : 'Dữ liệu gửi lên không hợp lệ.';
  return new HttpError(400, 'invalid_input', [`invalid ${where}: ${summary}`, vi], issues);
}

/**
 * better-sqlite3 errors carry SQLite's code. A uniqueness or reference failure is a conflict the
 * client can resolve (two requests raced, or an id is taken or still used); a busy database asks to
 * retry. Anything else is a bug: null, answered 500 and logged.
 */
export function fromSqlite(err: unknown): HttpError | null {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !code.startsWith('SQLITE_')) return null;
  if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY')
    return conflict([
      'a record with the same id or name already exists',
      'Đã có một mục trùng mã hoặc trùng tên.',
    ]);
  if (code === 'SQLITE_CONSTRAINT_FOREIGNKEY')
    return conflict([
      'the change names a record that does not exist, or removes one that others still use',
      'Thay đổi này nhắc đến một mục không tồn tại, hoặc xóa một mục vẫn đang được sử dụng.',
    ]);
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED')
    return new HttpError(503, 'busy', [
      'the database is busy; try again in a moment',
      'Cơ sở dữ liệu đang bận, vui lòng thử lại sau giây lát.',
    ]);
  return null;
}

/** Where the server keeps its files: an answer never shows one (a URL path like /api/... is kept). */
const SERVER_PATH =
  /(?<![\w.~-])\/(?:tmp|home|work|root|var|usr|etc|opt|srv|mnt|proc|run|data|app|Users|private)\/[^\s'"`,;:)]*/g;
/** A stack frame ("    at fn (file:1:2)"): the message is cut there. */
const STACK_FRAME = /\s+at [^\n]*:\d+:\d+\)?/;
/** SQLite's own words, which quote the schema. */
const SQL_TEXT =
  /SQLITE_[A-Z_]+|\b(?:UNIQUE|FOREIGN KEY|NOT NULL|CHECK|PRIMARY KEY) constraint failed[^\n]*|no such (?:table|column)[^\n]*|near "[^"]*": syntax error/g;

/** The text with server paths, stack frames and SQL detail taken out; `changed` says whether any were. */
export function redact(text: string): { text: string; changed: boolean } {
  const frame = STACK_FRAME.exec(text);
  const cut = frame ? text.slice(0, frame.index) : text;
  const out = cut.replace(SERVER_PATH, '(server file)').replace(SQL_TEXT, '(database detail)');
  return { text: out, changed: out !== text };
}

/** Every string inside `value` redacted (details of a refusal can quote what produced it). */
function redactDeep(value: unknown, found: { changed: boolean }): unknown {
  if (typeof value === 'string') {
    const r = redact(value);
    if (r.changed) found.changed = true;
    return r.text;
  }
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, found));
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactDeep(v, found)]));
  return value;
}

/** The answer for a refusal, as every client reads it: `{error, message, details?}`, redacted. */
export function refusalBody(e: HttpError): {
  body: { error: string; message: string; messageVi?: string; details?: unknown };
  redacted: boolean;
} {
  const found = { changed: false };
  const body = redactDeep(
    { error: e.code, message: e.message, messageVi: e.messageVi, details: e.details },
    found,
  ) as { error: string; message: string; messageVi?: string; details?: unknown };
  // a message that was all detail still says something
  if (!body.message.trim()) body.message = 'request refused';
  return { body, redacted: found.changed };
}
