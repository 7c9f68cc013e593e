// A console request: the signed-in person, their language, and the API called on their behalf.
import { timingSafeEqual } from 'node:crypto';
import type { Context, Hono } from 'hono';
import { getCookie } from 'hono/cookie';
import type { UserScope } from '../areas/scope.ts';
import { SESSION_COOKIE } from '../users/auth.ts';
import { backupWarnings } from './backup-warning.ts';
import { type Lang, translator } from './i18n.ts';
import { inTheirWords } from './say/problems.ts';

export const CSRF_COOKIE = 'loa_csrf';

export type Form = Record<string, string | string[] | File | (string | File)[]>;
/** The field a refusal names and what to say beside it, in the person's language (refused-form.tsx). */
export interface Fault {
  field: string;
  message: string;
}
/** What was posted to `action` and refused: the page shows it again as typed. */
export interface Refused {
  action: string;
  form: Form;
  fault?: Fault;
}
// biome-ignore lint/suspicious/noExplicitAny: pages read the API's JSON answers
type ApiAnswer = { status: number; body: any };
/** Runs a page for a signed-in person, or sends them to sign in. */
export type WithPage = (
  render: (page: Page, c: Context) => Promise<unknown> | unknown,
) => (c: Context) => Promise<Response>;
/** A form post: CSRF check, the API call, then back to a page (303) or the page again with the reason. */
export type WithForm = (
  act: (page: Page, form: Form, c: Context) => Promise<ApiAnswer>,
  /** Where to go after success; `answer` is the API's (e.g. the id of what was created). */
  back: (c: Context, form: Form, answer: ApiAnswer) => string,
  again: (page: Page, error: string, c: Context) => Promise<unknown>,
) => (c: Context) => Promise<Response>;
export const LANG_COOKIE = 'loa_lang';

export interface Me {
  username: string;
  role: string;
  scope: UserScope;
}

export interface Page {
  c: Context;
  lang: Lang;
  t: ReturnType<typeof translator>;
  me: Me;
  csrf: string;
  /** For admins: what is wrong with backups (none, over a day old, failed, damage found), else undefined. */
  backupWarning?: string;
  /** A refused form post, shown again as typed (refused-form.tsx). */
  refused?: Refused;
  // biome-ignore lint/suspicious/noExplicitAny: pages read the API's JSON answers
  api(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>;
}

export const langOf = (c: Context): Lang => (getCookie(c, LANG_COOKIE) === 'en' ? 'en' : 'vi');

/**
 * Pages are clients of the API, called in-process with the person's own session: every rule about
 * who may see or change what is the API's, checked in one place.
 */
export async function pageContext(c: Context, app: Hono): Promise<Page | null> {
  const session = getCookie(c, SESSION_COOKIE);
  const csrf = getCookie(c, CSRF_COOKIE) ?? '';
  if (!session) return null;
  const api = async (method: string, path: string, body?: unknown) => {
    const headers: Record<string, string> = { cookie: `${SESSION_COOKIE}=${session}`, 'x-csrf-token': csrf };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await app.request(
      path,
      { method, headers, body: body === undefined ? undefined : JSON.stringify(body) },
      c.env,
    );
    const text = await res.text();
    const isJson = res.headers.get('content-type')?.includes('json');
    return inTheirWords(lang, { status: res.status, body: isJson && text ? JSON.parse(text) : text });
  };
  const lang = langOf(c);
  const me = await api('GET', '/api/auth/me');
  if (me.status !== 200) return null;
  const page: Page = { c, lang, t: translator(lang), me: me.body as Me, csrf, api };
  if (page.me.role === 'admin') {
    const backups = await api('GET', '/api/backups');
    if (backups.status === 200) page.backupWarning = backupWarnings(page.t, backups.body, new Date())[0];
  }
  return page;
}

/** A form's hidden _csrf must match the session's token (double submit; the API checks it again). */
export function formCsrfOk(c: Context, form: Record<string, unknown>): boolean {
  const a = Buffer.from(String(form._csrf ?? ''));
  const b = Buffer.from(getCookie(c, CSRF_COOKIE) ?? '');
  return a.length > 0 && a.length === b.length && timingSafeEqual(a, b);
}
