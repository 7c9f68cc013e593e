// /api/slots and /api/quiet-windows: the rules stations compile timetables from, and copying a quiet
// window to other areas.
import { z } from 'zod';
import { Id, Target } from '../../schedules/model.ts';
import { targetArea } from '../areas/store.ts';
import { newId } from '../db.ts';
import type { ControllerDeps } from '../deps.ts';
import { type AnyRoute, areaById, defineRoute, idParam } from '../http/route.ts';
import { copyQuietWindow, getQuietWindow } from './copy.ts';
import { getRule, QUIET_WINDOW, type RuleKind, SLOT, saveRule } from './kinds.ts';
import { deleteRule, listRules, slotsOfCampaign } from './store.ts';

const List = z.strictObject({ campaign: Id.optional() });
const CopyBody = z.strictObject({ targets: z.array(Target).min(1).max(100) });

/** The five routes of a kind of rule: list, create, read, change, delete. */
function ruleTable<T extends { id: string; target: Target }>(
  deps: ControllerDeps,
  kind: RuleKind<T>,
): AnyRoute[] {
  const { db, clock, desired } = deps;
  const areaOfId = areaById((id) => [targetArea(db, getRule(db, kind, id).target)]);
  return [
    defineRoute({
      method: 'get',
      path: kind.path,
      tag: kind.tag,
      summary: `List ${kind.noun}s (those in your area)`,
      access: 'user',
      query: List,
      itemArea: (rule: T) => targetArea(db, rule.target),
      handle: ({ query }) => ({
        json:
          query.campaign && kind.table === 'slots'
            ? slotsOfCampaign(db, query.campaign)
            : listRules<T>(db, kind.table),
      }),
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
        const rule = saveRule(db, kind, { ...body, id: body.id ?? newId(kind.idPrefix) }, true, clock.now());
        desired.sync({ targets: [rule.target] });
        return { status: 201, json: rule };
      },
    }),
    defineRoute({
      method: 'get',
      path: `${kind.path}/:id`,
      tag: kind.tag,
      summary: `One ${kind.noun}`,
      access: 'user',
      area: areaOfId,
      handle: ({ params }) => ({ json: getRule(db, kind, idParam(params)) }),
    }),
    defineRoute({
      method: 'patch',
      path: `${kind.path}/:id`,
      tag: kind.tag,
      summary: `Change a ${kind.noun}; the result is validated whole`,
      access: 'user',
      roles: kind.writers,
      body: kind.patch.schema,
      area: (input) => [
        ...areaOfId(input),
        ...(input.body.target ? [targetArea(db, input.body.target)] : []),
      ],
      handle: ({ params, body }) => {
        const before = getRule(db, kind, idParam(params));
        const changed = kind.patch.apply(before, body);
        const rule = saveRule(db, kind, changed, false, clock.now());
        desired.sync({ targets: [before.target, rule.target] });
        return { json: rule };
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
        const before = getRule(db, kind, idParam(params));
        deleteRule(db, kind.table, before.id);
        desired.sync({ targets: [before.target] });
        return { status: 204, json: null };
      },
    }),
  ];
}

export const slotRoutes = (deps: ControllerDeps) => ruleTable(deps, SLOT);

export const quietWindowRoutes = (deps: ControllerDeps) => ruleTable(deps, QUIET_WINDOW);

export function quietWindowCopyRoutes(deps: ControllerDeps): AnyRoute[] {
  const { db, clock, desired } = deps;
  return [
    defineRoute({
      method: 'post',
      path: '/api/quiet-windows/:id/copy',
      tag: 'quiet windows',
      summary: 'Copy a quiet window to other areas in one step; all copies are made or none',
      access: 'user',
      roles: ['technician', 'ward'],
      body: CopyBody,
      area: ({ params, body }) => [
        targetArea(db, getQuietWindow(db, idParam(params)).target),
        ...body.targets.map((t) => targetArea(db, t)),
      ],
      responses: { 201: 'the copies' },
      handle: ({ params, body }) => {
        const copies = copyQuietWindow(db, idParam(params), body.targets, clock.now());
        desired.sync({ targets: body.targets });
        return { status: 201, json: copies };
      },
    }),
  ];
}
