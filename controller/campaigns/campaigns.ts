// Campaigns (đợt tuyên truyền): their fields, who owns one, and the rule that their slots stay inside
// their dates and district.
import { z } from 'zod';
import { dateRangeMessage, dateRangeOk, Id, LocalDate } from '../../schedules/model.ts';
import type { Area } from '../areas/scope.ts';
import { targetArea } from '../areas/store.ts';
import { type Db, newId } from '../db.ts';
import { badRequest, fromZod, HttpError } from '../http/errors.ts';
import { resourcePatch } from '../http/patch.ts';
import { slotsOfCampaign } from '../rules/store.ts';
import type { Principal } from '../users/roles.ts';
import {
  type CampaignView,
  campaignExists,
  campaignView,
  getCampaign,
  insertCampaign,
  updateCampaign,
} from './store.ts';

const CampaignFields = z.strictObject({
  name: z.string().trim().min(1).max(200),
  message: z.string().trim().max(2000).default(''),
  startDate: LocalDate,
  endDate: LocalDate,
  /** The district that owns it; absent, a city-wide campaign (or a technician's only district). */
  district: Id.nullable().optional(),
});
export const CampaignCreate = CampaignFields.extend({ id: Id.optional() }).refine(
  dateRangeOk,
  dateRangeMessage,
);
export const CampaignPatch = resourcePatch(CampaignFields);

export const areaOfCampaign = (r: { district: string | null }): Area => ({
  district: r.district,
  ward: null,
});

/** A technician of exactly one district plans for it unless they say otherwise. */
export function owningDistrict(
  body: { district?: string | null },
  principal: Principal | null,
): string | null {
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

type CampaignEdit = Pick<CampaignView, 'startDate' | 'endDate' | 'district'>;

/**
 * A campaign's slots must stay inside its dates and district (as when they were saved): a change that
 * would leave some outside is refused with their names, so the technician moves or removes them first.
 */
function refuseSlotsOutside(db: Db, id: string, next: CampaignEdit): void {
  const outside = slotsOfCampaign(db, id).filter(
    (s) =>
      s.startDate < next.startDate ||
      s.endDate > next.endDate ||
      (next.district !== null && targetArea(db, s.target).district !== next.district),
  );
  if (outside.length === 0) return;
  const named = outside
    .slice(0, 10)
    .map((s) => `${s.id} (${s.startDate} to ${s.endDate})`)
    .join(', ');
  const more = outside.length > 10 ? ` and ${outside.length - 10} more` : '';
  const where = next.district ? ` in district '${next.district}'` : '';
  throw new HttpError(
    409,
    'conflict',
    `campaign '${id}' would leave slots outside its dates (${next.startDate} to ${next.endDate})${where}: ` +
      `${named}${more}; change or remove them first`,
    { slotIds: outside.map((s) => s.id) },
  );
}

export function createCampaign(
  db: Db,
  body: z.output<typeof CampaignCreate>,
  principal: Principal | null,
  now: Date,
): CampaignView {
  const id = body.id ?? newId('camp');
  if (campaignExists(db, id)) throw badRequest(`campaign '${id}' already exists`);
  insertCampaign(db, id, { ...body, district: owningDistrict(body, principal) }, now);
  return campaignView(getCampaign(db, id));
}

/** Applies a change, checked whole; refused (409) if it would leave slots outside the campaign. */
export function changeCampaign(db: Db, campaignId: string, body: z.output<typeof CampaignPatch.schema>) {
  const { id, createdAt: _, ...stored } = campaignView(getCampaign(db, campaignId));
  const next = CampaignPatch.apply(stored, body);
  const whole = CampaignFields.refine(dateRangeOk, dateRangeMessage).safeParse(next);
  if (!whole.success) throw fromZod(whole.error, 'campaign');
  refuseSlotsOutside(db, id, next);
  updateCampaign(db, id, next);
  return campaignView(getCampaign(db, id));
}
