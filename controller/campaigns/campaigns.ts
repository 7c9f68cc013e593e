// Campaigns (đợt tuyên truyền): their fields, the area that owns one, and the rule that their slots stay
// inside their dates and area.
import { z } from 'zod';
import { dateRangeMessage, dateRangeOk, Id, LocalDate } from '../../schedules/model.ts';
import type { Area } from '../areas/scope.ts';
import { areaPlace, targetArea } from '../areas/store.ts';
import { liveRoot } from '../areas/tree.ts';
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
  /** The area that owns it (any level); absent, the whole tree (or a technician's only area). */
  areaId: Id.nullable().optional(),
});
/** As before the area tree: the owning district (an area with that id). */
const Legacy = { district: Id.nullable().optional() };
export const CampaignCreate = CampaignFields.extend({ id: Id.optional(), ...Legacy }).refine(
  dateRangeOk,
  dateRangeMessage,
);
export const CampaignPatch = resourcePatch(CampaignFields.extend(Legacy));

/** The place of an owning area; a campaign of the whole tree lies at the root. */
export function areaOfCampaign(db: Db, areaId: string | null | undefined): Area {
  if (areaId) return areaPlace(db, areaId);
  const root = liveRoot(db);
  return root ? { path: [root.id], name: root.name } : { path: [], name: 'the whole tree' };
}

/** A technician of exactly one area plans for it unless they say otherwise. */
export function owningArea(
  body: { areaId?: string | null; district?: string | null },
  principal: Principal | null,
): string | null {
  if (body.areaId !== undefined) return body.areaId;
  if (body.district !== undefined) return body.district;
  if (principal?.kind === 'user' && principal.scope.kind === 'areas' && principal.scope.ids.length === 1) {
    return principal.scope.ids[0] as string;
  }
  return null;
}

/** The owning area must be a live area. */
function checkOwner(db: Db, areaId: string | null): void {
  if (areaId === null) return;
  const place = areaPlace(db, areaId);
  if (place.path.length === 0)
    throw badRequest(
      [`area '${areaId}' does not exist`, 'Địa bàn đã chọn không còn: có thể đã bị xóa hoặc sáp nhập.'],
      {
        field: 'areaId',
      },
    );
}

type CampaignEdit = Pick<CampaignView, 'startDate' | 'endDate' | 'areaId'>;

/**
 * A campaign's slots must stay inside its dates and area (as when they were saved): a change that
 * would leave some outside is refused with their names, so the technician moves or removes them first.
 */
function refuseSlotsOutside(db: Db, id: string, next: CampaignEdit): void {
  const outside = slotsOfCampaign(db, id).filter(
    (s) =>
      s.startDate < next.startDate ||
      s.endDate > next.endDate ||
      (next.areaId !== null && !targetArea(db, s.target).path.includes(next.areaId)),
  );
  if (outside.length === 0) return;
  const named = outside
    .slice(0, 10)
    .map((s) => `${s.id} (${s.startDate} to ${s.endDate})`)
    .join(', ');
  const more = outside.length > 10 ? ` and ${outside.length - 10} more` : '';
  const where = next.areaId ? ` in area '${next.areaId}'` : '';
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
  if (campaignExists(db, id))
    throw badRequest([`campaign '${id}' already exists`, `Mã đợt tuyên truyền «${id}» đã được dùng.`]);
  const areaId = owningArea(body, principal);
  checkOwner(db, areaId);
  insertCampaign(db, id, { ...body, areaId }, now);
  return campaignView(getCampaign(db, id));
}

/** Applies a change, checked whole; refused (409) if it would leave slots outside the campaign. */
export function changeCampaign(db: Db, campaignId: string, body: z.output<typeof CampaignPatch.schema>) {
  const { id, createdAt: _, ...stored } = campaignView(getCampaign(db, campaignId));
  const { district, ...rest } = body;
  const next = CampaignPatch.apply(stored, district !== undefined ? { ...rest, areaId: district } : rest);
  const whole = CampaignFields.refine(dateRangeOk, dateRangeMessage).safeParse(next);
  if (!whole.success) throw fromZod(whole.error, 'campaign');
  checkOwner(db, next.areaId);
  refuseSlotsOutside(db, id, next);
  updateCampaign(db, id, next);
  return campaignView(getCampaign(db, id));
}
