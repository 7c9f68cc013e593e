// /api/campaigns: campaigns of the whole tree or an area; slots (rules/) join them.
import type { ControllerDeps } from '../deps.ts';
import { type AnyRoute, areaById, defineRoute, idParam } from '../http/route.ts';
import { slotsOfCampaign } from '../rules/store.ts';
import {
  areaOfCampaign,
  CampaignCreate,
  CampaignPatch,
  changeCampaign,
  createCampaign,
  owningArea,
} from './campaigns.ts';
import { campaignView, deleteCampaign, getCampaign, listCampaigns } from './store.ts';

export function campaignRoutes(deps: ControllerDeps): AnyRoute[] {
  const { db, clock, desired } = deps;
  const areaOfId = areaById((id) => [areaOfCampaign(db, getCampaign(db, id).area_id)]);
  return [
    defineRoute({
      method: 'get',
      path: '/api/campaigns',
      tag: 'campaigns',
      summary: 'List campaigns (those of your area)',
      access: 'user',
      itemArea: (c: { areaId: string | null }) => areaOfCampaign(db, c.areaId),
      handle: () => ({ json: listCampaigns(db).map(campaignView) }),
    }),
    defineRoute({
      method: 'post',
      path: '/api/campaigns',
      tag: 'campaigns',
      summary: 'Create a campaign (name, key message, date range, owning area)',
      access: 'user',
      roles: ['technician'],
      body: CampaignCreate,
      area: ({ body, principal }) => [areaOfCampaign(db, owningArea(body, principal))],
      responses: { 201: 'created' },
      handle: ({ body, principal }) => ({
        status: 201,
        json: createCampaign(db, body, principal, clock.now()),
      }),
    }),
    defineRoute({
      method: 'get',
      path: '/api/campaigns/:id',
      tag: 'campaigns',
      summary: 'One campaign with its slots',
      access: 'user',
      area: areaOfId,
      handle: ({ params }) => {
        const c = getCampaign(db, idParam(params));
        return { json: { ...campaignView(c), slots: slotsOfCampaign(db, c.id) } };
      },
    }),
    defineRoute({
      method: 'patch',
      path: '/api/campaigns/:id',
      tag: 'campaigns',
      summary:
        "Change a campaign's name, message, dates or owning area; its slots must stay inside its dates and area",
      access: 'user',
      roles: ['technician'],
      body: CampaignPatch.schema,
      // the campaign where it is, and where it would go
      area: (input) => [
        ...areaOfId(input),
        ...(input.body.areaId !== undefined ? [areaOfCampaign(db, input.body.areaId)] : []),
        ...(input.body.district !== undefined ? [areaOfCampaign(db, input.body.district)] : []),
      ],
      responses: { 409: 'slots of the campaign would lie outside its new dates or area' },
      handle: ({ params, body }) => ({ json: changeCampaign(db, idParam(params), body) }),
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
        deleteCampaign(db, idParam(params));
        desired.sync();
        return { status: 204, json: null };
      },
    }),
  ];
}
