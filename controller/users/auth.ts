// Signing in and who a request comes from: the first admin, bearer tokens, console sessions with their
// CSRF token, and station secrets used as bearer credentials.
import { randomBytes } from 'node:crypto';
import type { Context } from 'hono';
import { deleteCookie, getCookie } from 'hono/cookie';
import type { FailureLimiter } from '../../common/backoff.ts';
import type { Db } from '../db.ts';
import { unauthorized } from '../http/errors.ts';
import { clientAddress, refuseIfLocked } from '../http/ratelimit.ts';
import { stationIdBySecretHash } from '../stations/store.ts';
import { type Principal, scopeOf } from './roles.ts';
import { hashPassword, hashSecret, newSecret, sameHash, verifyPassword } from './secrets.ts';
import {
  countUsers,
  credentialsOf,
  csrfHashOf,
  insertToken,
  insertUser,
  revokeTokenHash,
  userByToken,
} from './store.ts';

export type { Principal, Role } from './roles.ts';

/** The console's session cookie (HttpOnly; SameSite=Strict; Secure behind TLS). */
export const SESSION_COOKIE = 'loa_session';

export function bearerOf(c: Context): string | null {
  return /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '')?.[1] ?? null;
}

/** Creates the first admin when there is no user yet; returns the generated password, if any. */
export async function ensureAdmin(db: Db, password: string | undefined, now: Date): Promise<string | null> {
  if (countUsers(db) > 0) return null;
  const generated = password ? null : randomBytes(12).toString('base64url');
  const passwordHash = await hashPassword(password ?? (generated as string));
  insertUser(db, { username: 'admin', passwordHash, role: 'admin', areas: [] }, false, now);
  return generated;
}

/**
 * Checks a password and issues a token. A console session (`session: true`) also gets a CSRF token,
 * which every state-changing request made with the session cookie must echo in `x-csrf-token`.
 */
export async function issueToken(
  db: Db,
  username: string,
  password: string,
  now: Date,
  ttlMs: number,
  session = false,
): Promise<{ token: string; expiresAt: string; csrfToken?: string } | null> {
  const user = credentialsOf(db, username);
  // Hash even for unknown users so the answer takes as long either way.
  const ok = await verifyPassword(password, user?.password_hash ?? 'scrypt$AAAA$AAAA');
  if (!user || !ok || user.disabled) return null;
  const token = newSecret(session ? 'us' : 'ut');
  const csrfToken = session ? newSecret('csrf') : undefined;
  const expiresAt = new Date(now.getTime() + ttlMs).toISOString();
  const csrfHash = csrfToken ? hashSecret(csrfToken) : null;
  insertToken(db, { tokenHash: hashSecret(token), userId: user.id, expiresAt, csrfHash }, now);
  return { token, expiresAt, csrfToken };
}

/**
 * Signing in with a password under back-off: the address and the user name are each locked for a
 * growing time after repeated failures (429 with Retry-After).
 */
export function createSignIn(db: Db, logins: FailureLimiter, ttlMs: number) {
  return async (c: Context, body: { username: string; password: string }, now: Date, session: boolean) => {
    const keys = [`ip:${clientAddress(c)}`, `user:${body.username.toLowerCase()}`];
    refuseIfLocked(c, logins, keys, 'sign-ins');
    const t = await issueToken(db, body.username, body.password, now, ttlMs, session);
    if (!t) {
      for (const k of keys) logins.fail(k);
      throw unauthorized(['wrong username or password', 'Sai tên đăng nhập hoặc mật khẩu.']);
    }
    for (const k of keys) logins.succeed(k);
    return t;
  };
}

/** Revokes the bearer token and the session of this request, and clears the session cookie. */
export function signOut(db: Db, c: Context, now: Date): void {
  const bearer = bearerOf(c);
  const session = getCookie(c, SESSION_COOKIE);
  for (const t of [bearer, session]) if (t) revokeTokenHash(db, hashSecret(t), now);
  if (session) deleteCookie(c, SESSION_COOKIE, { path: '/' });
}

/** Resolves a bearer credential: a user's token or a station's secret. */
export function authenticate(db: Db, bearer: string, now: Date): Principal | null {
  const h = hashSecret(bearer);
  if (bearer.startsWith('st_')) {
    const stationId = stationIdBySecretHash(db, h);
    return stationId ? { kind: 'station', stationId } : null;
  }
  return userFor(db, h, now, 'bearer');
}

/**
 * Resolves a console session cookie. `csrf` is the request's x-csrf-token for a state-changing
 * request, or null for a read; a missing or wrong one is refused like no session at all.
 */
export function authenticateSession(
  db: Db,
  cookie: string,
  csrf: string | null,
  now: Date,
): Principal | null {
  const principal = userFor(db, hashSecret(cookie), now, 'session');
  if (!principal || csrf === null) return principal;
  return sameHash(csrfHashOf(db, hashSecret(cookie)), hashSecret(csrf)) ? principal : null;
}

function userFor(db: Db, tokenHash: string, now: Date, kind: 'bearer' | 'session'): Principal | null {
  const row = userByToken(db, tokenHash, now, kind);
  return row
    ? { kind: 'user', userId: row.id, username: row.username, role: row.role, scope: scopeOf(row) }
    : null;
}
