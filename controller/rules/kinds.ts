// Slots and quiet windows, two kinds of rule with one lifecycle: validated whole, checked against what
// exists (and the air-time policy, for a slot), saved; the stations they reach get a new desired state.
import type { z } from 'zod';
import {
  QuietWindow,
  QuietWindowFields,
  Relay,
  Slot,
  SlotFields,
  type Target,
} from '../../schedules/model.ts';
import { toTreeTarget } from '../areas/legacy.ts';
import type { Db } from '../db.ts';
import { badRequest, fromZod, notFound } from '../http/errors.ts';
import { type ResourcePatch, resourcePatch } from '../http/patch.ts';
import { airTimeCheck } from '../policies/airtime.ts';
import type { Role } from '../users/roles.ts';
import { checkSlot, checkTarget } from './checks.ts';
import { checkDayRules } from './day-rules.ts';
import { findRule, type RuleTable, ruleExists, saveQuietWindow, saveSlot } from './store.ts';

export interface RuleKind<T extends { id: string; target: Target }> {
  table: RuleTable;
  path: string;
  noun: string;
  tag: string;
  idPrefix: string;
  /** Who may change these rules besides admin. */
  writers: Role[];
  /** Body schema for create (id optional); a patch names any fields but id. */
  createBody: z.ZodType<{ id?: string; target?: Target }>;
  patch: ResourcePatch<Omit<T, 'id'>, { target?: Target }>;
  full: z.ZodType<T>;
  check(db: Db, rule: T): void;
  /** Warnings to answer beside the saved rule (it may refuse instead, by throwing). */
  warnings?(db: Db, rule: T, now: Date): unknown[];
  save(db: Db, rule: T, now: string, isNew: boolean): void;
}

/** A slot as sent to the API: where a station listens to a relay is the controller's to say. */
const SlotBody = SlotFields.extend({ relay: Relay.omit({ listenUrl: true }).strict().nullish() });

export const SLOT: RuleKind<Slot> = {
  table: 'slots',
  path: '/api/slots',
  noun: 'slot',
  tag: 'slots',
  idPrefix: 'slot',
  writers: ['technician'],
  createBody: SlotBody.partial({ id: true }).strict(),
  patch: resourcePatch(SlotBody.omit({ id: true })),
  full: Slot,
  check: checkSlot,
  warnings: airTimeCheck,
  save: saveSlot,
};

export const QUIET_WINDOW: RuleKind<QuietWindow> = {
  table: 'quiet_windows',
  path: '/api/quiet-windows',
  noun: 'quiet window',
  tag: 'quiet windows',
  idPrefix: 'qw',
  // Ward staff add local quiet windows (an exam, a funeral) for their own ward.
  writers: ['technician', 'ward'],
  createBody: QuietWindowFields.partial({ id: true }).strict(),
  patch: resourcePatch(QuietWindowFields.omit({ id: true })),
  full: QuietWindow,
  check: (db, qw) => {
    checkTarget(db, qw.target);
    checkDayRules(qw, qw, 'quiet window');
  },
  save: saveQuietWindow,
};

export function getRule<T extends { id: string; target: Target }>(db: Db, kind: RuleKind<T>, id: string): T {
  const rule = findRule<T>(db, kind.table, id);
  if (!rule) throw notFound(kind.noun, id);
  return rule;
}

/** A rule validated whole and checked against what exists (a new one's id must be free), not saved. */
export function checkedRule<T extends { id: string; target: Target }>(
  db: Db,
  kind: RuleKind<T>,
  raw: unknown,
  isNew: boolean,
): T {
  const r = kind.full.safeParse(raw);
  if (!r.success) throw fromZod(r.error, kind.noun);
  // stored as the tree knows it: an old city, district or ward target becomes its area
  const rule = { ...r.data, target: toTreeTarget(db, r.data.target) };
  kind.check(db, rule);
  if (isNew && ruleExists(db, kind.table, rule.id))
    throw badRequest([
      `${kind.noun} '${rule.id}' already exists`,
      // said without the id: the console's "Lưu" pressed twice meets it with an id the person never typed
      'Mã này đã được dùng: mục này đã được lưu rồi, hoặc hãy chọn mã khác.',
    ]);
  return rule;
}

/**
 * Validates a rule whole, checks it (a new one's id must be free), saves it; answers it with the air-time
 * policy's warnings beside it when there are any.
 */
export function saveRule<T extends { id: string; target: Target }>(
  db: Db,
  kind: RuleKind<T>,
  raw: unknown,
  isNew: boolean,
  now: Date,
): T | (T & { airTimeWarnings: unknown[] }) {
  const rule = checkedRule(db, kind, raw, isNew);
  const warnings = kind.warnings?.(db, rule, now) ?? [];
  kind.save(db, rule, now.toISOString(), isNew);
  return warnings.length ? { ...rule, airTimeWarnings: warnings } : rule;
}
