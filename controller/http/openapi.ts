// The OpenAPI document, made from the route table: paths, parameters, bodies, answers and security.
import { z } from 'zod';
import { SESSION_COOKIE } from '../users/auth.ts';
import type { AnyRoute } from './route.ts';

/**
 * How a caller proves who it is. The session cookie is sent by the browser on its own, so a change
 * made with it must also carry the CSRF token (a page on another site cannot read it).
 */
const SECURITY_SCHEMES = {
  bearer: {
    type: 'http',
    scheme: 'bearer',
    description:
      'A token from POST /api/auth/token. A station authenticates with its secret (st_...) the same way, ' +
      'for GET /api/clips/{id}/audio only.',
  },
  session: {
    type: 'apiKey',
    in: 'cookie',
    name: SESSION_COOKIE,
    description:
      'The console session set by POST /api/auth/session (HttpOnly, SameSite=Strict). A request that ' +
      'changes something (POST, PATCH, DELETE) must also send the csrf scheme.',
  },
  csrf: {
    type: 'apiKey',
    in: 'header',
    name: 'x-csrf-token',
    description:
      'The csrfToken answered by POST /api/auth/session; with the session cookie, required on every ' +
      'change (403 when missing or wrong). Not needed with a bearer token.',
  },
};
/** Reads: a bearer token or the session. Changes: a bearer token, or the session with its CSRF token. */
const READ_SECURITY = [{ bearer: [] }, { session: [] }];
const CHANGE_SECURITY = [{ bearer: [] }, { session: [], csrf: [] }];

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
    // public by design: `security: []` overrides the document's default; reads inherit it
    if (r.access === 'public') op.security = [];
    else if (r.method !== 'get') op.security = CHANGE_SECURITY;
    if (r.body)
      op.requestBody = {
        required: !r.bodyOptional,
        content: {
          'application/json': { schema: toJsonSchema(r.body) },
          ...Object.fromEntries(
            Object.entries(r.otherBodies ?? {}).map(([type, what]) => [
              type,
              { schema: { type: 'string', description: what } },
            ]),
          ),
        },
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
    if (r.access !== 'public') {
      responses[401] = {
        description: 'no credentials, or a token or session that is unknown, expired or revoked',
      };
      responses[403] = {
        description: 'signed in, but the role, the area or the CSRF token does not allow it',
      };
    }
    if (r.body || r.query) responses[400] = { description: 'invalid input, with the reason' };
    op.responses = responses;
    paths[p] = { ...paths[p], [r.method]: op };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Loa phường controller API', version },
    components: { securitySchemes: SECURITY_SCHEMES },
    security: READ_SECURITY,
    paths,
  };
}
