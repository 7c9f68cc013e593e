// /api/auth and /api/users: signing in and out (with back-off after failures), and the admin's
// management of users.
import { setCookie } from 'hono/cookie';
import { z } from 'zod';
import type { FailureLimiter } from '../../common/backoff.ts';
import type { ControllerDeps } from '../deps.ts';
import { unauthorized } from '../http/errors.ts';
import { type AnyRoute, defineRoute } from '../http/route.ts';
import { changeUser, createUser, UserCreate, UserPatch, userView } from './accounts.ts';
import { createSignIn, SESSION_COOKIE, signOut } from './auth.ts';
import { listUsers } from './store.ts';

const Login = z.strictObject({ username: z.string().min(1).max(100), password: z.string().min(1).max(200) });

export function userRoutes(deps: ControllerDeps, logins: FailureLimiter): AnyRoute[] {
  const { db, clock, config } = deps;
  const signIn = createSignIn(db, logins, config.tokenTtlMs);
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
      handle: async ({ c, body }) => ({ json: await signIn(c, body, clock.now(), false) }),
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
        const t = await signIn(c, body, clock.now(), true);
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
        signOut(db, c, clock.now());
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
        if (principal?.kind !== 'user')
          throw unauthorized([
            'missing or invalid bearer token',
            'Vui lòng đăng nhập bằng tài khoản người dùng.',
          ]);
        return { json: { username: principal.username, role: principal.role, scope: principal.scope } };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/users',
      tag: 'users',
      summary: 'List users with their role and area',
      access: 'admin',
      handle: () => ({ json: listUsers(db).map(userView) }),
    }),
    defineRoute({
      method: 'post',
      path: '/api/users',
      tag: 'users',
      summary:
        'Create a user: a role and the areas they act in (any level; technicians and ward staff need one)',
      access: 'admin',
      body: UserCreate,
      responses: { 201: 'created', 409: 'the username is taken' },
      handle: async ({ body }) => ({ status: 201, json: await createUser(db, body, clock.now()) }),
    }),
    defineRoute({
      method: 'patch',
      path: '/api/users/:id',
      tag: 'users',
      summary: "Change a user's role, area, password or disable them; a disabled user's tokens stop working",
      access: 'admin',
      body: UserPatch.schema,
      handle: async ({ params, body }) => ({
        json: await changeUser(db, params.id as string, body, clock.now()),
      }),
    }),
  ];
}
