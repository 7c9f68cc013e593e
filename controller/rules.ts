// Slots and quiet windows: the rules stations compile timetables from, checked against what exists.
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { flexibleFitProblem } from '../schedules/flexible.ts';
import { Id, QuietWindow, QuietWindowFields, Slot, SlotFields, type Target } from '../schedules/model.ts';
import type { Role } from './auth.ts';
import { clipSchedulingProblem } from './clips/store.ts';
import type { Db } from './db.ts';
import type { ControllerDeps } from './deps.ts';
import { badRequest, fromZod, notFound } from './errors.ts';
import { airTimeCheck } from './policies.ts';
import { type AnyRoute, defineRoute } from './routes.ts';
import { targetArea } from './scope.ts';

export const newId = (prefix: string) => `${prefix}-${randomBytes(4).toString('hex')}`;

/** A target must name something that exists, or a typo would silently reach no station. */
export function checkTarget(db: Db, target: Target): void {
  if (target.scope === 'city') return;
  const column = target.scope === 'station' ? 'id' : target.scope;
  if (!db.prepare(`SELECT 1 FROM stations WHERE ${column} = ? LIMIT 1`).get(target.id)) {
    throw badRequest(
      target.scope === 'station'
        ? `station '${target.id}' does not exist`
        : `no station is registered in ${target.scope} '${target.id}'`,
    );
  }
}

function checkSlot(db: Db, slot: Slot): void {
  checkTarget(db, slot.target);
  for (const clipId of slot.clipIds) {
    const problem = clipSchedulingProblem(db, clipId, slot.id);
    if (problem) throw badRequest(problem);
  }
  const durations = slot.clipIds.map((id) => {
    const r = db.prepare('SELECT duration_ms FROM clips WHERE id = ?').get(id) as { duration_ms: number };
    return { id, durationMs: r.duration_ms };
  });
  const tooShort = flexibleFitProblem(slot, durations);
  if (tooShort) throw badRequest(tooShort);
  if (slot.campaignId) {
    const c = db.prepare('SELECT * FROM campaigns WHERE id = ?').get(slot.campaignId) as
      | { id: string; start_date: string; end_date: string; district: string | null }
      | undefined;
    if (!c) throw badRequest(`campaign '${slot.campaignId}' does not exist`);
    if (slot.startDate < c.start_date || slot.endDate > c.end_date) {
      throw badRequest(`slot dates must lie within campaign '${c.id}' (${c.start_date} to ${c.end_date})`);
    }
    if (c.district && targetArea(db, slot.target).district !== c.district) {
      throw badRequest(
        `campaign '${c.id}' belongs to district '${c.district}': its slots must target inside it`,
      );
    }
  }
}

function saveSlot(db: Db, slot: Slot, now: string, isNew: boolean): void {
  db.transaction(() => {
    if (isNew) {
      db.prepare('INSERT INTO slots (id, campaign_id, body, created_at) VALUES (?, ?, ?, ?)').run(
        slot.id,
        slot.campaignId,
        JSON.stringify(slot),
        now,
      );
    } else {
      db.prepare('UPDATE slots SET campaign_id = ?, body = ? WHERE id = ?').run(
        slot.campaignId,
        JSON.stringify(slot),
        slot.id,
      );
      db.prepare('DELETE FROM slot_clips WHERE slot_id = ?').run(slot.id);
    }
    const link = db.prepare('INSERT INTO slot_clips (slot_id, position, clip_id) VALUES (?, ?, ?)');
    for (const [i, clipId] of slot.clipIds.entries()) link.run(slot.id, i, clipId);
  })();
}

function saveQuietWindow(db: Db, qw: QuietWindow, now: string, isNew: boolean): void {
  if (isNew) {
    db.prepare('INSERT INTO quiet_windows (id, body, created_at) VALUES (?, ?, ?)').run(
      qw.id,
      JSON.stringify(qw),
      now,
    );
  } else db.prepare('UPDATE quiet_windows SET body = ? WHERE id = ?').run(JSON.stringify(qw), qw.id);
}

interface RuleKind<T extends { id: string; target: Target }> {
  table: 'slots' | 'quiet_windows';
  path: string;
  noun: string;
  tag: string;
  idPrefix: string;
  /** Who may change these rules besides admin. */
  writers: Role[];
  /** Body schemas for create (id optional) and patch (any field but id). */
  createBody: z.ZodType<{ id?: string; target?: Target }>;
  patchBody: z.ZodType<{ target?: Target }>;
  full: z.ZodType<T>;
  check(db: Db, rule: T): void;
  /** Warnings to answer beside the saved rule (it may refuse instead, by throwing). */
  warnings?(db: Db, rule: T, now: Date): unknown[];
  save(db: Db, rule: T, now: string, isNew: boolean): void;
}

/** Slots and quiet windows share one lifecycle: validate whole, check references, save, republish. */
function ruleRoutes<T extends { id: string; target: Target }>(
  deps: ControllerDeps,
  kind: RuleKind<T>,
): AnyRoute[] {
  const { db, clock, desired } = deps;
  const get = (id: string): T => {
    const r = db.prepare(`SELECT body FROM ${kind.table} WHERE id = ?`).get(id) as
      | { body: string }
      | undefined;
    if (!r) throw notFound(kind.noun, id);
    return JSON.parse(r.body) as T;
  };
  const validate = (raw: unknown): T => {
    const r = kind.full.safeParse(raw);
    if (!r.success) throw fromZod(r.error, kind.noun);
    kind.check(db, r.data);
    return r.data;
  };
  const areaOfId = ({ params }: { params: Record<string, string> }) => [
    targetArea(db, get(params.id as string).target),
  ];
  const itemArea = (rule: T) => targetArea(db, rule.target);
  const List = z.strictObject({ campaign: Id.optional() });
  return [
    defineRoute({
      method: 'get',
      path: kind.path,
      tag: kind.tag,
      summary: `List ${kind.noun}s (those in your area)`,
      access: 'user',
      query: List,
      itemArea,
      handle: ({ query }) => {
        const rows = (
          query.campaign && kind.table === 'slots'
            ? db.prepare('SELECT body FROM slots WHERE campaign_id = ? ORDER BY id').all(query.campaign)
            : db.prepare(`SELECT body FROM ${kind.table} ORDER BY id`).all()
        ) as { body: string }[];
        return { json: rows.map((r) => JSON.parse(r.body)) };
      },
    }),
    defineRoute({
      method: 'post',
      path: kind.path,
      tag: kind.tag,
      summary: `Create a ${kind.noun}; affected stations get a new desired state`,
      access: 'user',
      roles: kind.writers,
      body: kind.createBody,
      area: ({ body }) => (body.target ? [targetArea(db, body.target)] : []),
      responses: { 201: 'created' },
      handle: ({ body }) => {
        const rule = validate({ ...body, id: body.id ?? newId(kind.idPrefix) });
        if (db.prepare(`SELECT 1 FROM ${kind.table} WHERE id = ?`).get(rule.id)) {
          throw badRequest(`${kind.noun} '${rule.id}' already exists`);
        }
        const warnings = kind.warnings?.(db, rule, clock.now()) ?? [];
        kind.save(db, rule, clock.now().toISOString(), true);
        desired.sync();
        return { status: 201, json: warnings.length ? { ...rule, airTimeWarnings: warnings } : rule };
      },
    }),
    defineRoute({
      method: 'get',
      path: `${kind.path}/:id`,
      tag: kind.tag,
      summary: `One ${kind.noun}`,
      access: 'user',
      area: areaOfId,
      handle: ({ params }) => ({ json: get(params.id as string) }),
    }),
    defineRoute({
      method: 'patch',
      path: `${kind.path}/:id`,
      tag: kind.tag,
      summary: `Change a ${kind.noun}; the result is validated whole`,
      access: 'user',
      roles: kind.writers,
      body: kind.patchBody,
      area: (input) => [
        ...areaOfId(input),
        ...(input.body.target ? [targetArea(db, input.body.target)] : []),
      ],
      handle: ({ params, body }) => {
        const rule = validate({ ...get(params.id as string), ...body });
        const warnings = kind.warnings?.(db, rule, clock.now()) ?? [];
        kind.save(db, rule, clock.now().toISOString(), false);
        desired.sync();
        return { json: warnings.length ? { ...rule, airTimeWarnings: warnings } : rule };
      },
    }),
    defineRoute({
      method: 'delete',
      path: `${kind.path}/:id`,
      tag: kind.tag,
      summary: `Delete a ${kind.noun}`,
      access: 'user',
      roles: kind.writers,
      area: areaOfId,
      handle: ({ params }) => {
        db.prepare(`DELETE FROM ${kind.table} WHERE id = ?`).run(params.id);
        desired.sync();
        return { status: 204, json: null };
      },
    }),
  ];
}

export function ruleRoutesAll(deps: ControllerDeps): AnyRoute[] {
  return [
    ...ruleRoutes<Slot>(deps, {
      table: 'slots',
      path: '/api/slots',
      noun: 'slot',
      tag: 'slots',
      idPrefix: 'slot',
      writers: ['technician'],
      createBody: SlotFields.partial({ id: true }).strict(),
      patchBody: SlotFields.omit({ id: true }).partial().strict(),
      full: Slot,
      check: checkSlot,
      warnings: airTimeCheck,
      save: saveSlot,
    }),
    ...ruleRoutes<QuietWindow>(deps, {
      table: 'quiet_windows',
      path: '/api/quiet-windows',
      noun: 'quiet window',
      tag: 'quiet windows',
      idPrefix: 'qw',
      // Ward staff add local quiet windows (an exam, a funeral) for their own ward.
      writers: ['technician', 'ward'],
      createBody: QuietWindowFields.partial({ id: true }).strict(),
      patchBody: QuietWindowFields.omit({ id: true }).partial().strict(),
      full: QuietWindow,
      check: (db, qw) => checkTarget(db, qw.target),
      save: saveQuietWindow,
    }),
  ];
}
