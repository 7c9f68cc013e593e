// Mounting the route table on the app: authentication, roles, parsing, area scope and the audit entry.
import type { Context, Hono } from 'hono';
import { getCookie } from 'hono/cookie';
import type { z } from 'zod';
import type { Area } from '../areas/scope.ts';
import { translator, type WordKey } from '../console/i18n.ts';
import type { Db } from '../db.ts';
import {
  authenticate,
  authenticateSession,
  bearerOf,
  type Principal,
  SESSION_COOKIE,
} from '../users/auth.ts';
import { recordAudit } from './audit.ts';
import { badRequest, forbidden, fromZod, HttpError, type Reason, unauthorized } from './errors.ts';
import type { AnyRoute, Reply, RouteInput } from './route.ts';
import { checkAreas, itemsInScope } from './scope.ts';

/** A role as the console names it (Quản trị, Kỹ thuật viên...). */
const roleVi = (role: string) => translator('vi')(`role.${role}` as WordKey);

/** A 401's reason: what was missing or not accepted (an unknown, expired or revoked credential look alike). */
function whyUnauthorized(bearer: string | null, cookie: string | undefined): Reason {
  if (bearer)
    return [
      'the bearer token is unknown, expired or revoked; sign in again (POST /api/auth/token)',
      'Mã truy cập không hợp lệ, đã hết hạn hoặc đã bị thu hồi; vui lòng đăng nhập lại.',
    ];
  if (cookie)
    return [
      'the console session is unknown, expired or signed out; sign in again',
      'Phiên làm việc đã hết hạn hoặc đã đăng xuất; vui lòng đăng nhập lại.',
    ];
  return [
    'sign in first: send Authorization: Bearer <token> from POST /api/auth/token, or the console session',
    'Vui lòng đăng nhập trước.',
  ];
}

/** Who may call this route at all: authentication, station limits, roles, read-only viewers. */
function authorize(route: AnyRoute, db: Db, c: Context, now: Date): Principal | null {
  if (route.access === 'public') return null;
  const bearer = bearerOf(c);
  const cookie = bearer ? undefined : getCookie(c, SESSION_COOKIE);
  let principal: Principal | null = null;
  if (bearer) principal = authenticate(db, bearer, now);
  else if (cookie) {
    // A cookie is sent by the browser on its own: a change needs the CSRF token as well.
    const csrf = route.method === 'get' ? null : (c.req.header('x-csrf-token') ?? '');
    principal = authenticateSession(db, cookie, csrf, now);
    if (!principal && csrf !== null && authenticateSession(db, cookie, null, now)) {
      throw forbidden([
        'missing or wrong x-csrf-token header for this session',
        'Phiên làm việc không xác nhận được yêu cầu này; vui lòng tải lại trang rồi thử lại.',
      ]);
    }
  }
  if (!principal) throw unauthorized(whyUnauthorized(bearer, cookie));
  if (principal.kind === 'station') {
    if (route.access !== 'user-or-station')
      throw forbidden([
        'station credentials may only fetch clips',
        'Thông tin xác thực của đài chỉ dùng để tải tệp âm thanh.',
      ]);
    return principal;
  }
  if (principal.role === 'admin') return principal;
  if (route.access === 'admin')
    throw forbidden(['this action needs the admin role', 'Chỉ Quản trị mới được thực hiện thao tác này.']);
  if (route.method !== 'get' && principal.role === 'viewer' && !route.roles?.includes('viewer')) {
    throw forbidden(['viewers can only read', 'Tài khoản chỉ xem không được thay đổi dữ liệu.']);
  }
  if (route.roles && !route.roles.includes(principal.role)) {
    throw forbidden([
      `this action needs one of the roles: admin, ${route.roles.join(', ')}`,
      `Thao tác này chỉ dành cho: ${['admin', ...route.roles].map(roleVi).join(', ')}.`,
    ]);
  }
  return principal;
}

export function mountRoutes(app: Hono, routes: AnyRoute[], db: Db, now: () => Date): void {
  for (const route of routes) {
    app.on(route.method.toUpperCase(), route.path, async (c) => {
      const principal = authorize(route, db, c, now());
      const input: RouteInput<unknown, unknown> = {
        c,
        body: undefined,
        query: route.query ? parseWith(route.query, c.req.query(), 'query') : undefined,
        params: c.req.param() as Record<string, string>,
        principal,
      };
      if (route.body && !readsItself(route, c)) {
        const text = await c.req.text();
        let raw: unknown = {};
        if (!route.bodyOptional || text.trim() !== '') {
          try {
            raw = JSON.parse(text);
          } catch {
            throw badRequest(['request body must be JSON', 'Nội dung yêu cầu phải là JSON.']);
          }
        }
        input.body = parseWith(route.body, raw, 'body');
      }
      const audit = (status: number, json: unknown) =>
        route.method !== 'get' && recordAudit(db, { route, input, status, result: json, at: now() });
      let out: Response | Reply;
      try {
        if (route.area) checkAreas(principal, route.area(input));
        out = await route.handle(input);
      } catch (e) {
        if (e instanceof HttpError && e.status === 403) audit(403, { error: e.message });
        throw e;
      }
      if (out instanceof Response) {
        audit(out.status, null);
        return out;
      }
      let json = out.json;
      if (route.itemArea && Array.isArray(json))
        json = itemsInScope(principal, json, route.itemArea as (item: unknown) => Area);
      else if (route.itemArea && isPage(json))
        // a paged list filters by scope in its query (so pages are full); this only guards it
        json = {
          ...json,
          items: itemsInScope(principal, json.items, route.itemArea as (item: unknown) => Area),
        };
      audit(out.status ?? 200, json);
      if (out.status === 204) return c.body(null, 204);
      return c.json(json, out.status ?? 200);
    });
  }
}

/** Whether the request's body is one of the other content types the route's handler reads itself. */
const readsItself = (route: AnyRoute, c: Context) =>
  Object.hasOwn(
    route.otherBodies ?? {},
    (c.req.header('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '',
  );

const isPage = (json: unknown): json is { items: unknown[] } =>
  typeof json === 'object' && json !== null && Array.isArray((json as { items?: unknown }).items);

function parseWith<T>(schema: z.ZodType<T>, value: unknown, where: string): T {
  const r = schema.safeParse(value);
  if (!r.success) throw fromZod(r.error, where);
  return r.data;
}
