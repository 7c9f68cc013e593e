// PATCH bodies derived from a resource's fields, and the merge that applies them: only named fields change.
import { z } from 'zod';

type Shape = Record<string, z.ZodType>;
type Bare<F> = F extends z.ZodDefault<infer I> | z.ZodPrefault<infer I> ? Bare<I> : F;
type Value<F> = z.output<Bare<F>>;
/** A named field: a record's own patch, or a value (null also removes a field that may be absent). */
type FieldPatch<F> =
  Bare<F> extends z.ZodObject<infer I extends Shape>
    ? ShapePatch<I>
    : undefined extends Value<F>
      ? Exclude<Value<F>, undefined> | null
      : Value<F>;
/** What a PATCH may say about a resource with these fields: any subset of them. */
export type ShapePatch<S extends Shape> = { [K in keyof S]?: FieldPatch<S[K]> };

/** T: the stored fields; P: the request body. */
export interface ResourcePatch<T, P> {
  /** The request body: every field optional, none filled in by a default, unknown names refused. */
  schema: z.ZodType<P>;
  /** The stored fields with the named ones replaced (records merged field by field). */
  apply<C extends Partial<T>>(current: C, patch: P): C;
}

/** A default would write itself over the stored value of every field the request did not name. */
const withoutDefault = (t: z.ZodType): z.ZodType =>
  t instanceof z.ZodDefault || t instanceof z.ZodPrefault ? withoutDefault(t.unwrap() as z.ZodType) : t;

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Builds the PATCH schema and merge for a fields object (the create schema's fields, without id). */
export function resourcePatch<S extends Shape>(
  fields: z.ZodObject<S>,
  nested = false,
): ResourcePatch<z.output<z.ZodObject<S>>, ShapePatch<S>> {
  const shape: Shape = {};
  const clearable = new Set<string>();
  const records = new Map<string, ResourcePatch<Record<string, unknown>, Record<string, unknown>>>();
  for (const [name, field] of Object.entries(fields.shape)) {
    let bare = withoutDefault(field);
    if (bare instanceof z.ZodObject) {
      // A record inside a resource (an air-time policy's caps) is patched field by field as well.
      const inner = resourcePatch(bare as z.ZodObject<Shape>, true);
      records.set(name, inner as ResourcePatch<Record<string, unknown>, Record<string, unknown>>);
      bare = inner.schema;
    }
    if (bare.safeParse(undefined).success && !bare.safeParse(null).success) {
      clearable.add(name);
      bare = bare.nullable();
    }
    shape[name] = bare.optional();
  }
  const object = z.strictObject(shape);
  // An empty PATCH at the top is most likely a client that lost its fields: say so rather than
  // answer 200 for nothing. An empty record inside one is harmless and changes nothing.
  const schema = nested
    ? object
    : object
        .refine((body) => Object.keys(body).length > 0, 'name at least one field to change')
        .meta({ minProperties: 1 });
  return {
    schema: schema as unknown as z.ZodType<ShapePatch<S>>,
    apply(current, patch) {
      const next: Record<string, unknown> = { ...current };
      for (const [name, value] of Object.entries(patch as Record<string, unknown>)) {
        const record = records.get(name);
        if (value === undefined) continue;
        if (value === null && clearable.has(name)) delete next[name];
        else if (record && isRecord(value)) {
          const stored = next[name];
          next[name] = record.apply(isRecord(stored) ? stored : {}, value);
        } else next[name] = value;
      }
      return next as typeof current;
    },
  };
}
