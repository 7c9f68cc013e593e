// People: signing in and out (with back-off after failures), and the admin's management of users.

import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { z } from 'zod';
import { Id } from '../schedules/model.ts';
import { hashPassword, issueToken, type Role, revokeToken, scopeOf } from './auth.ts';
import type { Db } from './db.ts';
import type { ControllerDeps } from './deps.ts';
import { badRequest, conflict, notFound, unauthorized } from './errors.ts';
import { clientAddress, type FailureLimiter, refuseIfLocked } from './ratelimit.ts';
import { type AnyRoute, defineRoute, SESSION_COOKIE } from './routes.ts';

const RoleEnum = z.enum(['admin', 'technician', 'reviewer', 'ward', 'viewer']);
const Password = z.string().min(10, 'password must be at least 10 characters').max(200);
const Login = z.strictObject({ username: z.string().min(1).max(100), password: z.string().min(1).max(200) });

const UserFields = z.strictObject({
  role: RoleEnum,
  /** Technicians: the districts they plan for. */
  districts: z.array(Id).max(50).default([]),
  /** Ward staff: their ward. */
  ward: Id.nullable().default(null),
  disabled: z.boolean().default(false),
});
const UserCreate = UserFields.extend({
  username: z.string().regex(/^[A-Za-z0-9._-]{3,50}$/, 'username: 3-50 letters, digits, ".", "_" or "-"'),
  password: Password,
});
const UserPatch = UserFields.partial().extend({ password: Password.optional() });

interface UserRow {
  id: number;
  username: string;
  role: Role;
  districts: string;
  ward: string | null;
  disabled: number;
  created_at: string;
}

const view = (r: UserRow) => ({
  id: r.id,
  username: r.username,
  role: r.role,
  districts: JSON.parse(r.districts) as string[],
  ward: r.ward,
  disabled: r.disabled === 1,
  scope: scopeOf(r),
  createdAt: r.created_at,
});

function checkScopeFields(u: { role: Role; districts: string[]; ward: string | null }): void {
  if (u.role === 'technician' && u.districts.length === 0)
    throw badRequest('a technician needs at least one district');
  if (u.role === 'ward' && !u.ward) throw badRequest('ward staff need a ward');
}

const getUser = (db: Db, id: string) => {
  const r = db.prepare('SELECT * FROM users WHERE id = ?').get(Number(id)) as UserRow | undefined;
  if (!r) throw notFound('user', id);
  return r;
};

export function userRoutes(deps: ControllerDeps, logins: FailureLimiter): AnyRoute[] {
  const { db, clock, config } = deps;
  /** Checks the password under the address's and the user name's back-off; a token or a session. */
  const signIn = async (c: Context, body: z.infer<typeof Login>, session: boolean) => {
    const keys = [`ip:${clientAddress(c)}`, `user:${body.username.toLowerCase()}`];
    refuseIfLocked(c, logins, keys, 'sign-ins');
    const t = await issueToken(db, body.username, body.password, clock.now(), config.tokenTtlMs, session);
    if (!t) {
      for (const k of keys) logins.fail(k);
      throw unauthorized('wrong username or password');
    }
    for (const k of keys) logins.succeed(k);
    return t;
  };
  return [
    defineRoute({
      method: 'post',
      path: '/api/auth/token',
      tag: 'auth',
      summary:
        'Exchange a username and password for a bearer token (429 with Retry-After after repeated failures)',
      access: 'public',
      audit: false,
      body: Login,
      responses: { 429: 'too many failed attempts; retry later' },
      handle: async ({ c, body }) => ({ json: await signIn(c, body, false) }),
    }),
    defineRoute({
      method: 'post',
      path: '/api/auth/session',
      tag: 'auth',
      summary: 'Sign in the console: sets an HttpOnly session cookie and answers the CSRF token for changes',
      access: 'public',
      audit: false,
      body: Login,
      responses: { 429: 'too many failed attempts; retry later' },
      handle: async ({ c, body }) => {
        const t = await signIn(c, body, true);
        setCookie(c, SESSION_COOKIE, t.token, {
          httpOnly: true,
          sameSite: 'Strict',
          secure: config.cookieSecure,
          path: '/',
          expires: new Date(t.expiresAt),
        });
        return { json: { csrfToken: t.csrfToken, expiresAt: t.expiresAt } };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/auth/logout',
      tag: 'auth',
      summary: 'Revoke the bearer token or the session of this request',
      access: 'user',
      roles: ['technician', 'reviewer', 'ward', 'viewer'],
      handle: ({ c }) => {
        const bearer = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '')?.[1];
        const session = getCookie(c, SESSION_COOKIE);
        for (const t of [bearer, session]) if (t) revokeToken(db, t, clock.now());
        if (session) deleteCookie(c, SESSION_COOKIE, { path: '/' });
        return { status: 204, json: null };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/auth/me',
      tag: 'auth',
      summary: 'Who this credential belongs to: username, role and area',
      access: 'user',
      handle: ({ principal }) => {
        if (principal?.kind !== 'user') throw unauthorized();
        return { json: { username: principal.username, role: principal.role, scope: principal.scope } };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/users',
      tag: 'users',
      summary: 'List users with their role and area',
      access: 'admin',
      handle: () => ({
        json: (db.prepare('SELECT * FROM users ORDER BY username').all() as UserRow[]).map(view),
      }),
    }),
    defineRoute({
      method: 'post',
      path: '/api/users',
      tag: 'users',
      summary: 'Create a user: a role and, for technicians, districts; for ward staff, a ward',
      access: 'admin',
      body: UserCreate,
      responses: { 201: 'created', 409: 'the username is taken' },
      handle: async ({ body }) => {
        checkScopeFields(body);
        if (db.prepare('SELECT 1 FROM users WHERE username = ?').get(body.username)) {
          throw conflict(`username '${body.username}' is taken`);
        }
        const r = db
          .prepare(
            `INSERT INTO users (username, password_hash, role, districts, ward, disabled, created_at)
             VALUES (?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(
            body.username,
            await hashPassword(body.password),
            body.role,
            JSON.stringify(body.districts),
            body.ward,
            body.disabled ? 1 : 0,
            clock.now().toISOString(),
          );
        return { status: 201, json: view(getUser(db, String(r.lastInsertRowid))) };
      },
    }),
    defineRoute({
      method: 'patch',
      path: '/api/users/:id',
      tag: 'users',
      summary: "Change a user's role, area, password or disable them; a disabled user's tokens stop working",
      access: 'admin',
      body: UserPatch,
      handle: async ({ params, body }) => {
        const cur = getUser(db, params.id as string);
        const next = {
          role: body.role ?? cur.role,
          districts: body.districts ?? (JSON.parse(cur.districts) as string[]),
          ward: body.ward !== undefined ? body.ward : cur.ward,
          disabled: body.disabled ?? cur.disabled === 1,
        };
        checkScopeFields(next);
        const hash = body.password ? await hashPassword(body.password) : null;
        db.transaction(() => {
          db.prepare('UPDATE users SET role = ?, districts = ?, ward = ?, disabled = ? WHERE id = ?').run(
            next.role,
            JSON.stringify(next.districts),
            next.ward,
            next.disabled ? 1 : 0,
            cur.id,
          );
          if (hash) db.prepare('UPDATE users SET password_hash = ? WHERE id = ?').run(hash, cur.id);
          // A new password, a disabled account or a changed role ends every open session.
          if (hash || next.disabled || next.role !== cur.role) {
            db.prepare('UPDATE api_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL').run(
              clock.now().toISOString(),
              cur.id,
            );
          }
        })();
        return { json: view(getUser(db, params.id as string)) };
      },
    }),
  ];
}
