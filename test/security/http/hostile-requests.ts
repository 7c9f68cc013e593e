// Hostile requests generated from the OpenAPI document: for every operation, one generator per body
// field, per query parameter and per multipart field, and generators for the body's shape and text.
import fc from 'fast-check';
import type { HostileRequest } from './hostile-harness.ts';
import { multipartTargets } from './hostile-uploads.ts';
import {
  asQueryText,
  type Hints,
  hostileValue,
  malformed,
  type Schema,
  UNICODE_EDGES,
  validValue,
  WRONG_CONTENT_TYPES,
} from './hostile-values.ts';

interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  schema: Schema;
}
interface OperationDoc {
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content: Record<string, { schema: Schema }> };
}
export interface Doc {
  paths: Record<string, Record<string, OperationDoc>>;
}

export interface Operation {
  method: string;
  template: string;
  body?: Schema;
  bodyRequired: boolean;
  multipart?: Schema;
  query: Parameter[];
}

/** One property of the suite: requests aimed at one part of one operation. */
export interface Target {
  name: string;
  requests: fc.Arbitrary<HostileRequest>;
  /** share of the suite's runs, 1 by default (uploads are costlier: each may start ffprobe) */
  weight: number;
}

export interface Aim {
  hints: Hints;
  concretePaths(template: string): string[];
}

export const operationsOf = (doc: Doc): Operation[] =>
  Object.entries(doc.paths).flatMap(([template, ops]) =>
    Object.entries(ops).map(([method, op]) => ({
      method: method.toUpperCase(),
      template,
      body: op.requestBody?.content['application/json']?.schema,
      bodyRequired: op.requestBody?.required ?? false,
      multipart: op.requestBody?.content['multipart/form-data']?.schema,
      query: (op.parameters ?? []).filter((p) => p.in === 'query'),
    })),
  );

/** Percent-encoded; a lone surrogate (which encodeURIComponent refuses) goes as U+FFFD's bytes. */
const percent = (text: string) =>
  encodeURIComponent(
    text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD'),
  );
export const queryString = (pairs: [string, string][]) =>
  pairs.length ? `?${pairs.map(([k, v]) => `${percent(k)}=${percent(v)}`).join('&')}` : '';

/** The body's fields, nested objects' fields included (`policy.maxSessionsPerDay`). */
export function fieldPaths(s: Schema, prefix: string[] = []): { path: string[]; schema: Schema }[] {
  return Object.entries(s.properties ?? {}).flatMap(([name, sub]) => [
    { path: [...prefix, name], schema: sub },
    ...(sub.properties ? fieldPaths(sub, [...prefix, name]) : []),
  ]);
}

/** A copy of `body` with the field at `path` set (or removed, for undefined). */
function withField(body: unknown, path: string[], value: unknown): unknown {
  const out = (body && typeof body === 'object' ? structuredClone(body) : {}) as Record<string, unknown>;
  let at = out;
  for (const key of path.slice(0, -1)) {
    if (!at[key] || typeof at[key] !== 'object') at[key] = {};
    at = at[key] as Record<string, unknown>;
  }
  const last = path.at(-1) as string;
  if (value === undefined) delete at[last];
  else at[last] = value;
  return out;
}

/** What the generators of one operation share: its paths, a plausible query, and the request maker. */
function context(op: Operation, aim: Aim) {
  const paths = fc.constantFrom(...aim.concretePaths(op.template));
  const valid = (s: Schema | undefined) => (s ? validValue(s, aim.hints) : fc.constant(undefined));
  const baseQuery = fc.tuple(
    ...op.query.map((p) =>
      p.required
        ? validValue(p.schema, aim.hints, p.name)
        : fc.option(validValue(p.schema, aim.hints, p.name)),
    ),
  );
  const pairsOf = (values: unknown[]) =>
    op.query.flatMap((p, i): [string, string][] =>
      values[i] == null ? [] : [[p.name, asQueryText(values[i])]],
    );
  const json = (
    what: string,
    path: string,
    query: [string, string][],
    body: string | Uint8Array,
    type = 'application/json',
  ): HostileRequest => ({
    what,
    method: op.method,
    path,
    query: queryString(query),
    headers: type ? { 'content-type': type } : {},
    body: op.method === 'GET' ? undefined : body,
  });
  const target = (name: string, requests: fc.Arbitrary<HostileRequest>): Target => ({
    name: `${op.method} ${op.template}: ${name}`,
    requests,
    weight: 1,
  });
  return { paths, valid, baseQuery, pairsOf, json, target };
}
type Context = ReturnType<typeof context>;

/** Each body field hostile in turn; bodies missing a required field or carrying unknown ones; broken text. */
function bodyTargets(body: Schema, { paths, valid, baseQuery, pairsOf, json, target }: Context, aim: Aim) {
  const fields = fieldPaths(body);
  const targets = fields.map((field) =>
    target(
      `body field ${field.path.join('.')}`,
      fc
        .tuple(paths, baseQuery, valid(body), hostileValue(field.schema, aim.hints, field.path.at(-1)))
        .map(([path, q, base, v]) =>
          json(
            `${field.path.join('.')} = ${String(JSON.stringify(v)).slice(0, 80)}`,
            path,
            pairsOf(q),
            JSON.stringify(withField(base, field.path, v)),
          ),
        ),
    ),
  );
  const required = fields.filter(({ path }) => {
    const parentPath = path.slice(0, -1).join('.');
    const parent = path.length === 1 ? body : fields.find((f) => f.path.join('.') === parentPath)?.schema;
    return parent?.required?.includes(path.at(-1) as string);
  });
  const extraKeys = [
    'unexpected',
    '__proto__',
    'constructor',
    'isAdmin',
    'role',
    ...UNICODE_EDGES.slice(0, 8),
  ];
  const shapes = fc.oneof(
    ...(required.length
      ? [
          fc.tuple(valid(body), fc.constantFrom(...required)).map(([b, f]) => ({
            what: `without ${f.path.join('.')}`,
            body: withField(b, f.path, undefined),
          })),
        ]
      : []),
    fc
      .tuple(valid(body), fc.constantFrom(...extraKeys), fc.jsonValue({ maxDepth: 2 }))
      .map(([b, key, v]) => ({
        what: `extra field ${JSON.stringify(key)}`,
        body: { ...(b as object), [key]: v },
      })),
    fc
      .oneof(
        fc.string(),
        fc.integer(),
        fc.constant(null),
        fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 }),
      )
      .map((b) => ({ what: 'not an object', body: b })),
  );
  targets.push(
    target(
      'body shape',
      fc
        .tuple(paths, baseQuery, shapes)
        .map(([path, q, s]) => json(s.what, path, pairsOf(q), JSON.stringify(s.body))),
    ),
    target(
      'body text',
      fc.tuple(paths, baseQuery, valid(body)).chain(([path, q, b]) => {
        const text = JSON.stringify(b);
        return fc.oneof(
          malformed(text).map((t) => json('malformed JSON', path, pairsOf(q), t)),
          fc
            .constantFrom(...WRONG_CONTENT_TYPES, '')
            .map((type) => json(`content type '${type}'`, path, pairsOf(q), text, type)),
        );
      }),
    ),
  );
  return targets;
}

/** Each query parameter hostile in turn (or missing), the others plausible. */
function queryTargets(op: Operation, { paths, valid, baseQuery, pairsOf, json, target }: Context, aim: Aim) {
  return op.query.map((param, i) =>
    target(
      `query ${param.name}`,
      fc
        .tuple(paths, baseQuery, valid(op.body), hostileValue(param.schema, aim.hints, param.name))
        .map(([path, q, b, v]) => {
          const pairs = pairsOf(q.map((old, j) => (j === i ? undefined : old)));
          if (v !== undefined) pairs.push([param.name, asQueryText(v)]);
          return json(`?${param.name}=${asQueryText(v).slice(0, 80)}`, path, pairs, JSON.stringify(b ?? {}));
        }),
    ),
  );
}

/** What every operation gets: unknown or repeated parameters, broken escapes, a body it does not take. */
function oddTarget(op: Operation, { paths, valid, json, target }: Context): Target {
  const oddQuery = fc.oneof(
    fc
      .tuple(fc.constantFrom('x', 'limit', '__proto__', 'id', ...UNICODE_EDGES.slice(0, 6)), fc.string())
      .map(([k, v]) => queryString([[k, v]])),
    fc.constantFrom(
      '?%ZZ=1',
      '?a=%',
      '?a=%C0%AF',
      '?a=%ED%A0%80',
      '?a=%00',
      '?&&=&',
      `?a=${'b'.repeat(20_000)}`,
    ),
    ...(op.query.length
      ? [fc.constantFrom(...op.query).map((p) => `?${p.name}=1&${p.name}=x&${p.name}=`)]
      : []),
  );
  return target(
    'odd query and stray bodies',
    fc
      .tuple(paths, oddQuery, valid(op.body), fc.constantFrom(...WRONG_CONTENT_TYPES, 'application/json'))
      .map(([path, query, b, type]) => ({
        ...json(
          `query ${query.slice(0, 80)}`,
          path,
          [],
          op.body ? JSON.stringify(b) : '{"stray": true}',
          type,
        ),
        query,
      })),
  );
}

/** Every generator for one operation of the document. */
export function targetsOf(op: Operation, aim: Aim): Target[] {
  const ctx = context(op, aim);
  return [
    ...(op.body ? bodyTargets(op.body, ctx, aim) : []),
    ...queryTargets(op, ctx, aim),
    oddTarget(op, ctx),
    ...(op.multipart ? multipartTargets(op, aim, ctx.paths) : []),
  ];
}
