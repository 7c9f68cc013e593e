// Campaigns (đợt tuyên truyền), their slots, and quiet windows: the rules stations compile timetables from.
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import {
  dateRangeMessage,
  dateRangeOk,
  Id,
  LocalDate,
  QuietWindow,
  QuietWindowFields,
  Slot,
  SlotFields,
  type Target,
} from '../schedules/model.ts';
import type { Db } from './db.ts';
import type { ControllerDeps } from './deps.ts';
import { badRequest, fromZod, notFound } from './errors.ts';
import { type AnyRoute, defineRoute } from './routes.ts';

const newId = (prefix: string) => `${prefix}-${randomBytes(4).toString('hex')}`;

const CampaignFields = z.strictObject({
  name: z.string().trim().min(1).max(200),
  message: z.string().trim().max(2000).default(''),
  startDate: LocalDate,
  endDate: LocalDate,
});
const CampaignCreate = CampaignFields.extend({ id: Id.optional() }).refine(dateRangeOk, dateRangeMessage);

interface CampaignRow {
  id: string;
  name: string;
  message: string;
  start_date: string;
  end_date: string;
  created_at: string;
}
const campaignView = (r: CampaignRow) => ({
  id: r.id,
  name: r.name,
  message: r.message,
  startDate: r.start_date,
  endDate: r.end_date,
  createdAt: r.created_at,
});
const getCampaign = (db: Db, id: string) => {
  const r = db.prepare('SELECT * FROM campaigns WHERE id = ?').get(id) as CampaignRow | undefined;
  if (!r) throw notFound('campaign', id);
  return r;
};

/** A target must name something that exists, or a typo would silently reach no station. */
function checkTarget(db: Db, target: Target): void {
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
    if (!db.prepare('SELECT 1 FROM clips WHERE id = ?').get(clipId))
      throw badRequest(`clip '${clipId}' does not exist`);
  }
  if (slot.campaignId) {
    const c = getCampaignOr400(db, slot.campaignId);
    if (slot.startDate < c.start_date || slot.endDate > c.end_date) {
      throw badRequest(`slot dates must lie within campaign '${c.id}' (${c.start_date} to ${c.end_date})`);
    }
  }
}

function getCampaignOr400(db: Db, id: string): CampaignRow {
  const r = db.prepare('SELECT * FROM campaigns WHERE id = ?').get(id) as CampaignRow | undefined;
  if (!r) throw badRequest(`campaign '${id}' does not exist`);
  return r;
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
  if (isNew)
    db.prepare('INSERT INTO quiet_windows (id, body, created_at) VALUES (?, ?, ?)').run(
      qw.id,
      JSON.stringify(qw),
      now,
    );
  else db.prepare('UPDATE quiet_windows SET body = ? WHERE id = ?').run(JSON.stringify(qw), qw.id);
}

interface RuleKind<T extends { id: string }> {
  table: 'slots' | 'quiet_windows';
  path: string;
  noun: string;
  idPrefix: string;
  /** Body schemas for create (id optional) and patch (any field but id). */
  createBody: z.ZodType<{ id?: string }>;
  patchBody: z.ZodType<object>;
  full: z.ZodType<T>;
  check(db: Db, rule: T): void;
  save(db: Db, rule: T, now: string, isNew: boolean): void;
}

/** Slots and quiet windows share one lifecycle: validate whole, check references, save, republish. */
function ruleRoutes<T extends { id: string }>(deps: ControllerDeps, kind: RuleKind<T>): AnyRoute[] {
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
  const tag = kind.noun === 'slot' ? 'slots' : 'quiet windows';
  const List = z.strictObject({ campaign: Id.optional() });
  return [
    defineRoute({
      method: 'get',
      path: kind.path,
      tag,
      summary: `List ${kind.noun}s`,
      access: 'user',
      query: List,
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
      tag,
      summary: `Create a ${kind.noun}; affected stations get a new desired state`,
      access: 'user',
      body: kind.createBody,
      responses: { 201: 'created' },
      handle: ({ body }) => {
        const rule = validate({ ...body, id: body.id ?? newId(kind.idPrefix) });
        if (db.prepare(`SELECT 1 FROM ${kind.table} WHERE id = ?`).get(rule.id)) {
          throw badRequest(`${kind.noun} '${rule.id}' already exists`);
        }
        kind.save(db, rule, clock.now().toISOString(), true);
        desired.sync();
        return { status: 201, json: rule };
      },
    }),
    defineRoute({
      method: 'get',
      path: `${kind.path}/:id`,
      tag,
      summary: `One ${kind.noun}`,
      access: 'user',
      handle: ({ params }) => ({ json: get(params.id as string) }),
    }),
    defineRoute({
      method: 'patch',
      path: `${kind.path}/:id`,
      tag,
      summary: `Change a ${kind.noun}; the result is validated whole`,
      access: 'user',
      body: kind.patchBody,
      handle: ({ params, body }) => {
        const rule = validate({ ...get(params.id as string), ...body });
        kind.save(db, rule, clock.now().toISOString(), false);
        desired.sync();
        return { json: rule };
      },
    }),
    defineRoute({
      method: 'delete',
      path: `${kind.path}/:id`,
      tag,
      summary: `Delete a ${kind.noun}`,
      access: 'user',
      handle: ({ params }) => {
        get(params.id as string);
        db.prepare(`DELETE FROM ${kind.table} WHERE id = ?`).run(params.id);
        desired.sync();
        return { status: 204, json: null };
      },
    }),
  ];
}

export function campaignRoutes(deps: ControllerDeps): AnyRoute[] {
  const { db, clock, desired } = deps;
  return [
    defineRoute({
      method: 'get',
      path: '/api/campaigns',
      tag: 'campaigns',
      summary: 'List campaigns',
      access: 'user',
      handle: () => ({
        json: (db.prepare('SELECT * FROM campaigns ORDER BY start_date DESC').all() as CampaignRow[]).map(
          campaignView,
        ),
      }),
    }),
    defineRoute({
      method: 'post',
      path: '/api/campaigns',
      tag: 'campaigns',
      summary: 'Create a campaign (name, key message, date range)',
      access: 'user',
      body: CampaignCreate,
      responses: { 201: 'created' },
      handle: ({ body }) => {
        const id = body.id ?? newId('camp');
        if (db.prepare('SELECT 1 FROM campaigns WHERE id = ?').get(id))
          throw badRequest(`campaign '${id}' already exists`);
        db.prepare(
          'INSERT INTO campaigns (id, name, message, start_date, end_date, created_at) VALUES (?, ?, ?, ?, ?, ?)',
        ).run(id, body.name, body.message, body.startDate, body.endDate, clock.now().toISOString());
        return { status: 201, json: campaignView(getCampaign(db, id)) };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/campaigns/:id',
      tag: 'campaigns',
      summary: 'One campaign with its slots',
      access: 'user',
      handle: ({ params }) => {
        const c = getCampaign(db, params.id as string);
        const slots = (
          db.prepare('SELECT body FROM slots WHERE campaign_id = ? ORDER BY id').all(c.id) as {
            body: string;
          }[]
        ).map((r) => JSON.parse(r.body));
        return { json: { ...campaignView(c), slots } };
      },
    }),
    defineRoute({
      method: 'delete',
      path: '/api/campaigns/:id',
      tag: 'campaigns',
      summary: 'Delete a campaign and its slots (the as-run log is kept)',
      access: 'user',
      handle: ({ params }) => {
        getCampaign(db, params.id as string);
        db.prepare('DELETE FROM campaigns WHERE id = ?').run(params.id);
        desired.sync();
        return { status: 204, json: null };
      },
    }),
    ...ruleRoutes<Slot>(deps, {
      table: 'slots',
      path: '/api/slots',
      noun: 'slot',
      idPrefix: 'slot',
      createBody: SlotFields.partial({ id: true }).strict(),
      patchBody: SlotFields.omit({ id: true }).partial().strict(),
      full: Slot,
      check: checkSlot,
      save: saveSlot,
    }),
    ...ruleRoutes<QuietWindow>(deps, {
      table: 'quiet_windows',
      path: '/api/quiet-windows',
      noun: 'quiet window',
      idPrefix: 'qw',
      createBody: QuietWindowFields.partial({ id: true }).strict(),
      patchBody: QuietWindowFields.omit({ id: true }).partial().strict(),
      full: QuietWindow,
      check: (db, qw) => checkTarget(db, qw.target),
      save: (db, qw, now, isNew) => saveQuietWindow(db, qw, now, isNew),
    }),
  ];
}
