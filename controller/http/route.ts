// What a route is: one declaration drives validation, roles, area scope, the audit entry and OpenAPI.
import type { Context } from 'hono';
import { z } from 'zod';
import type { Area } from '../areas/scope.ts';
import type { Principal, Role } from '../users/roles.ts';

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
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
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
  /** Other content types of the body the handler reads itself (media type: what it is); not parsed as JSON. */
  otherBodies?: Record<string, string>;
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

/** The `:id` of a route's path. */
export const idParam = (params: Record<string, string>) => params.id as string;

/** A route's `area` read from the object its `:id` names (404 first if there is none). */
export const areaById =
  (areasOf: (id: string) => Area[]) =>
  ({ params }: { params: Record<string, string> }) =>
    areasOf(idParam(params));

/**
 * Withdrawing what was sent (a bulletin, a local override): technicians and ward staff, with an optional
 * reason that is recorded. One policy for every cancel route.
 */
export const withdrawal = {
  access: 'user',
  roles: ['technician', 'ward'],
  body: z.strictObject({ reason: z.string().trim().min(1).max(500).optional() }),
  bodyOptional: true,
} as const satisfies Partial<Route<{ reason?: string }>>;
