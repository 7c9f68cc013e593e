// The route table: one definition per /api route drives validation, auth and the OpenAPI document.
import type { Context, Hono } from 'hono';
import { z } from 'zod';
import { authenticate, type Principal, type Role } from './auth.ts';
import type { Db } from './db.ts';
import { badRequest, forbidden, fromZod, unauthorized } from './errors.ts';

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
  query?: z.ZodType<Q>;
  /** For routes that read multipart form data themselves; documented, not parsed here. */
  multipart?: Record<string, 'file' | 'string'>;
  responses?: Record<number, string>;
  handle(input: RouteInput<B, Q>): Promise<Response | Reply> | Response | Reply;
}

// biome-ignore lint/suspicious/noExplicitAny: a route table holds routes of many body types
export type AnyRoute = Route<any, any>;
export const defineRoute = <B = undefined, Q = undefined>(r: Route<B, Q>): AnyRoute => r as AnyRoute;

function authorize(route: AnyRoute, db: Db, c: Context, now: Date): Principal | null {
  if (route.access === 'public') return null;
  const header = c.req.header('authorization') ?? '';
  const m = /^Bearer\s+(\S+)$/i.exec(header);
  const principal = m?.[1] ? authenticate(db, m[1], now) : null;
  if (!principal) throw unauthorized();
  if (principal.kind === 'station' && route.access !== 'user-or-station') {
    throw forbidden('station credentials may only fetch clips');
  }
  if (route.access === 'admin' && (principal.kind !== 'user' || principal.role !== 'admin')) {
    throw forbidden('this action needs the admin role');
  }
  if (
    route.roles &&
    principal.kind === 'user' &&
    principal.role !== 'admin' &&
    !route.roles.includes(principal.role)
  ) {
    throw forbidden(`this action needs one of the roles: ${route.roles.join(', ')}`);
  }
  return principal;
}

export function mountRoutes(app: Hono, routes: AnyRoute[], db: Db, now: () => Date): void {
  for (const route of routes) {
    app.on(route.method.toUpperCase(), route.path, async (c) => {
      const principal = authorize(route, db, c, now());
      const query = route.query ? parseWith(route.query, c.req.query(), 'query') : undefined;
      let body: unknown;
      if (route.body) {
        const raw = await c.req.json().catch(() => {
          throw badRequest('request body must be JSON');
        });
        body = parseWith(route.body, raw, 'body');
      }
      const out = await route.handle({
        c,
        body,
        query,
        params: c.req.param() as Record<string, string>,
        principal,
      });
      if (out instanceof Response) return out;
      if (out.status === 204) return c.body(null, 204);
      return c.json(out.json, out.status ?? 200);
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
      op.requestBody = { required: true, content: { 'application/json': { schema: toJsonSchema(r.body) } } };
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
