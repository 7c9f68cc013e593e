// The four reorganisations of the area tree as the API takes them: rename, move, merge, split.
import { z } from 'zod';
import { Id } from '../../../schedules/model.ts';

export const AreaName = z.string().trim().min(1).max(200);
/** A national administrative unit code (digits, sometimes with letters); null removes it. */
export const AreaCode = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/, 'code: 1-32 letters, digits, ".", "_" or "-"');

const NewArea = z.strictObject({
  /** Absent: made from the name's letters. */
  id: Id.optional(),
  name: AreaName,
  code: AreaCode.nullable().optional(),
});

export const Reorganisation = z.discriminatedUnion('operation', [
  /** A new official name (and code) from now on; reports of the past keep the old one. */
  z.strictObject({
    operation: z.literal('rename'),
    area: Id,
    name: AreaName,
    code: AreaCode.nullable().optional(),
  }),
  /** The area, with everything under it, hangs from another parent from now on. */
  z.strictObject({ operation: z.literal('move'), area: Id, parent: Id }),
  /**
   * Areas of one level become one: an existing area (`into` an id, which may be one of them) or a new
   * one (`into` its name; under `parent`, else their common parent). Their stations, sub-areas, rules,
   * people and campaigns go to it; the others are retired (kept for history).
   */
  z.strictObject({
    operation: z.literal('merge'),
    areas: z.array(Id).min(2).max(50),
    into: z.union([Id, NewArea.extend({ parent: Id.optional() })]),
  }),
  /**
   * An area becomes several of its level under its parent: every station and sub-area of it goes to
   * exactly one part. Its rules go to the first part and are copied to the others; its people get every
   * part; its campaigns go up to its parent. The area is retired (kept for history).
   */
  z.strictObject({
    operation: z.literal('split'),
    area: Id,
    into: z
      .array(
        NewArea.extend({
          stations: z.array(Id).max(10_000).default([]),
          children: z.array(Id).max(10_000).default([]),
        }),
      )
      .min(2)
      .max(50),
  }),
]);
export type Reorganisation = z.output<typeof Reorganisation>;
