// The route table: one definition per /api route drives validation, roles, area scope, audit and OpenAPI.
import type { Context, Hono } from 'hono';
import { getCookie } from 'hono/cookie';
import { z } from 'zod';
import { recordAudit } from './audit.ts';
import { authenticate, authenticateSession, type Principal, type Role } from './auth.ts';
import type { Db } from './db.ts';
import { badRequest, forbidden, fromZod, HttpError, unauthorized } from './errors.ts';
import { type Area, covers, describeScope } from './scope.ts';

/** The console's session cookie (HttpOnly; SameSite=Strict; Secure behind TLS). */
export const SESSION_COOKIE = 'loa_session';

export type Access = 'public' | 'user' | 'admin' | 'user-or-station';

export interface RouteInput<B, Q> {
  c: Context;
  body: B;
  query: Q;
  params: Record<string, string>;
  principal: Principal | null;
}

/** A handler returns a Response, or a JSON body with an optional status (default 200). */
export type Reply = { status?: 200 | 201 | 202 | 204; json: unknown };

export interface Route<B = unknown, Q = unknown> {
  method: 'get' | 'post' | 'patch' | 'delete';
  path: string;
  tag: string;
  summary: string;
  access: Access;
  /** Roles allowed besides admin (who may do anything); unset, any signed-in user may. */
  roles?: Role[];
  body?: z.ZodType<B>;
  /** An empty request body counts as `{}` (for bodies whose fields are all optional). */
  bodyOptional?: true;
  query?: z.ZodType<Q>;
  /** For routes that read multipart form data themselves; documented, not parsed here. */
  multipart?: Record<string, 'file' | 'string'>;
  responses?: Record<number, string>;
  /** The areas the request touches (the object, and for a change also its new place); checked against the user's scope. */
  area?(input: RouteInput<B, Q>): Area[];
  /** Set false for calls that change nothing worth recording (signing in). */
  audit?: false;
  /** For list routes: the area of each item; items outside the user's scope are left out. */
  itemArea?(item: never): Area;
  handle(input: RouteInput<B, Q>): Promise<Response | Reply> | Response | Reply;
}

// biome-ignore lint/suspicious/noExplicitAny: a route table holds routes of many body types
export type AnyRoute = Route<any, any>;
export const defineRoute = <B = undefined, Q = undefined>(r: Route<B, Q>): AnyRoute => r as AnyRoute;

function bearerOf(c: Context): string | null {
  return /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '')?.[1] ?? null;
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
      throw forbidden('missing or wrong x-csrf-token header for this session');
    }
  }
  if (!principal) throw unauthorized();
  if (principal.kind === 'station') {
    if (route.access !== 'user-or-station') throw forbidden('station credentials may only fetch clips');
    return principal;
  }
  if (principal.role === 'admin') return principal;
  if (route.access === 'admin') throw forbidden('this action needs the admin role');
  if (route.method !== 'get' && principal.role === 'viewer' && !route.roles?.includes('viewer')) {
    throw forbidden('viewers can only read');
  }
  if (route.roles && !route.roles.includes(principal.role)) {
    throw forbidden(`this action needs one of the roles: admin, ${route.roles.join(', ')}`);
  }
  return principal;
}

function checkAreas(principal: Principal | null, areas: Area[]): void {
  if (principal?.kind !== 'user') return;
  const outside = areas.find((a) => !covers(principal.scope, a));
  if (outside) {
    const where = outside.ward
      ? `ward ${outside.ward}`
      : outside.district
        ? `district ${outside.district}`
        : 'the whole city';
    throw forbidden(`${where} is outside your area (${describeScope(principal.scope)})`);
  }
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
      if (route.body) {
        const text = await c.req.text();
        let raw: unknown = {};
        if (!route.bodyOptional || text.trim() !== '') {
          try {
            raw = JSON.parse(text);
          } catch {
            throw badRequest('request body must be JSON');
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
      if (
        route.itemArea &&
        Array.isArray(json) &&
        principal?.kind === 'user' &&
        principal.scope.kind !== 'city'
      ) {
        const areaOf = route.itemArea as (item: unknown) => Area;
        json = json.filter((item) => covers(principal.scope, areaOf(item)));
      }
      audit(out.status ?? 200, json);
      if (out.status === 204) return c.body(null, 204);
      return c.json(json, out.status ?? 200);
    });
  }
}

function parseWith<T>(schema: z.ZodType<T>, value: unknown, where: string): T {
  const r = schema.safeParse(value);
  if (!r.success) throw fromZod(r.error, where);
  return r.data;
}

const toJsonSchema = (s: z.ZodType) => z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' });

export function openApiDocument(routes: AnyRoute[], version: string): object {
  const paths: Record<string, Record<string, object>> = {};
  for (const r of routes) {
    const p = r.path.replace(/:(\w+)/g, '{$1}');
    const parameters: object[] = [...r.path.matchAll(/:(\w+)/g)].map((m) => ({
      name: m[1],
      in: 'path',
      required: true,
      schema: { type: 'string' },
    }));
    if (r.query) {
      const q = toJsonSchema(r.query) as { properties?: Record<string, object>; required?: string[] };
      for (const [name, schema] of Object.entries(q.properties ?? {})) {
        parameters.push({ name, in: 'query', required: q.required?.includes(name) ?? false, schema });
      }
    }
    const op: Record<string, unknown> = { tags: [r.tag], summary: r.summary, parameters };
    if (r.access !== 'public') op.security = [{ bearer: [] }];
    if (r.body)
      op.requestBody = {
        required: !r.bodyOptional,
        content: { 'application/json': { schema: toJsonSchema(r.body) } },
      };
    if (r.multipart) {
      const properties = Object.fromEntries(
        Object.entries(r.multipart).map(([k, t]) => [
          k,
          t === 'file' ? { type: 'string', format: 'binary' } : { type: 'string' },
        ]),
      );
      op.requestBody = {
        required: true,
        content: { 'multipart/form-data': { schema: { type: 'object', properties } } },
      };
    }
    const responses: Record<string, object> = { 200: { description: 'OK' } };
    for (const [code, description] of Object.entries(r.responses ?? {})) responses[code] = { description };
    if (r.access !== 'public') responses[401] = { description: 'missing or invalid bearer token' };
    if (r.body || r.query) responses[400] = { description: 'invalid input, with the reason' };
    op.responses = responses;
    paths[p] = { ...paths[p], [r.method]: op };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Loa phường controller API', version },
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    paths,
  };
}
