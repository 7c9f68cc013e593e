// Campaigns (đợt tuyên truyền): a name, a key message, a date range and an owning district; slots join them.
import { z } from 'zod';
import { dateRangeMessage, dateRangeOk, Id, LocalDate } from '../schedules/model.ts';
import type { Principal } from './auth.ts';
import type { Db } from './db.ts';
import type { ControllerDeps } from './deps.ts';
import { badRequest, notFound } from './errors.ts';
import { type AnyRoute, defineRoute } from './routes.ts';
import { newId, ruleRoutesAll } from './rules.ts';
import type { Area } from './scope.ts';

const CampaignCreate = z
  .strictObject({
    id: Id.optional(),
    name: z.string().trim().min(1).max(200),
    message: z.string().trim().max(2000).default(''),
    startDate: LocalDate,
    endDate: LocalDate,
    /** The district that owns it; absent, a city-wide campaign (or a technician's only district). */
    district: Id.nullable().optional(),
  })
  .refine(dateRangeOk, dateRangeMessage);

interface CampaignRow {
  id: string;
  name: string;
  message: string;
  start_date: string;
  end_date: string;
  district: string | null;
  created_at: string;
}
const view = (r: CampaignRow) => ({
  id: r.id,
  name: r.name,
  message: r.message,
  startDate: r.start_date,
  endDate: r.end_date,
  district: r.district,
  createdAt: r.created_at,
});
const getCampaign = (db: Db, id: string) => {
  const r = db.prepare('SELECT * FROM campaigns WHERE id = ?').get(id) as CampaignRow | undefined;
  if (!r) throw notFound('campaign', id);
  return r;
};
const areaOfCampaign = (r: { district: string | null }): Area => ({ district: r.district, ward: null });

/** A technician of exactly one district plans for it unless they say otherwise. */
function owningDistrict(body: { district?: string | null }, principal: Principal | null): string | null {
  if (body.district !== undefined) return body.district;
  if (
    principal?.kind === 'user' &&
    principal.scope.kind === 'districts' &&
    principal.scope.ids.length === 1
  ) {
    return principal.scope.ids[0] as string;
  }
  return null;
}

export function campaignRoutes(deps: ControllerDeps): AnyRoute[] {
  const { db, clock, desired } = deps;
  const areaOfId = ({ params }: { params: Record<string, string> }) => [
    areaOfCampaign(getCampaign(db, params.id as string)),
  ];
  return [
    defineRoute({
      method: 'get',
      path: '/api/campaigns',
      tag: 'campaigns',
      summary: 'List campaigns (those of your area)',
      access: 'user',
      itemArea: areaOfCampaign,
      handle: () => ({
        json: (db.prepare('SELECT * FROM campaigns ORDER BY start_date DESC').all() as CampaignRow[]).map(
          view,
        ),
      }),
    }),
    defineRoute({
      method: 'post',
      path: '/api/campaigns',
      tag: 'campaigns',
      summary: 'Create a campaign (name, key message, date range, owning district)',
      access: 'user',
      roles: ['technician'],
      body: CampaignCreate,
      area: ({ body, principal }) => [{ district: owningDistrict(body, principal), ward: null }],
      responses: { 201: 'created' },
      handle: ({ body, principal }) => {
        const id = body.id ?? newId('camp');
        if (db.prepare('SELECT 1 FROM campaigns WHERE id = ?').get(id))
          throw badRequest(`campaign '${id}' already exists`);
        db.prepare(
          'INSERT INTO campaigns (id, name, message, start_date, end_date, district, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
        ).run(
          id,
          body.name,
          body.message,
          body.startDate,
          body.endDate,
          owningDistrict(body, principal),
          clock.now().toISOString(),
        );
        return { status: 201, json: view(getCampaign(db, id)) };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/campaigns/:id',
      tag: 'campaigns',
      summary: 'One campaign with its slots',
      access: 'user',
      area: areaOfId,
      handle: ({ params }) => {
        const c = getCampaign(db, params.id as string);
        const slots = (
          db.prepare('SELECT body FROM slots WHERE campaign_id = ? ORDER BY id').all(c.id) as {
            body: string;
          }[]
        ).map((r) => JSON.parse(r.body));
        return { json: { ...view(c), slots } };
      },
    }),
    defineRoute({
      method: 'delete',
      path: '/api/campaigns/:id',
      tag: 'campaigns',
      summary: 'Delete a campaign and its slots (the as-run log is kept)',
      access: 'user',
      roles: ['technician'],
      area: areaOfId,
      handle: ({ params }) => {
        db.prepare('DELETE FROM campaigns WHERE id = ?').run(params.id);
        desired.sync();
        return { status: 204, json: null };
      },
    }),
    ...ruleRoutesAll(deps),
  ];
}
