// POST /api/what-if: what a slot, quiet window, air-time policy or bulletin would do to the next two weeks,
// asked before saving it (the console's "Kiểm tra trước khi lưu" page is its client). Changes nothing.
import { targetArea } from '../../areas/store.ts';
import type { ControllerDeps } from '../../deps.ts';
import { type AnyRoute, defineRoute } from '../../http/route.ts';
import { replacedTarget, WhatIfBody } from './proposal.ts';
import { whatIf } from './what-if.ts';

/** The body's own targets, for the area check (the replaced rule's is checked when it is read). */
const targetsOf = (body: WhatIfBody['body']) => {
  const one = body.target as Parameters<typeof targetArea>[1] | undefined;
  const many = body.targets as Parameters<typeof targetArea>[1][] | undefined;
  return [...(one ? [one] : []), ...(Array.isArray(many) ? many : [])];
};

export function whatIfRoutes(deps: ControllerDeps): AnyRoute[] {
  const { db, clock } = deps;
  return [
    defineRoute({
      method: 'post',
      path: '/api/what-if',
      tag: 'what-if',
      summary:
        'Before saving: what a slot, quiet window, air-time policy or bulletin (kind; body as its POST takes ' +
        'it, or with replaces as its PATCH takes it) would do over the next 14 days at each station it reaches: ' +
        "other entries skipped, pushed off, moved or playing again, with the cause by name and the reason's " +
        'words, its own plays, its own entries kept off air, the air-time findings (slot) or breaches (policy). ' +
        'Validated as the save is; nothing is stored.',
      access: 'user',
      roles: ['technician', 'ward'],
      body: WhatIfBody,
      audit: false,
      area: ({ body }) => {
        // the rule replaced first (404 if there is none), then the new targets
        const old = replacedTarget(db, body);
        let asked: ReturnType<typeof targetArea>[] = [];
        try {
          asked = targetsOf(body.body).map((t) => targetArea(db, t));
        } catch {
          // a target that cannot be read is answered by the check itself (400, field target)
        }
        return [...(old ? [targetArea(db, old)] : []), ...asked];
      },
      responses: {
        200: 'the difference: stations, changes, own plays, air-time findings, breaches',
        400: 'the change as its save would refuse it (the field at fault in details)',
        403: 'a target outside your area, or a kind your role may not save',
        404: 'replaces names nothing stored',
      },
      handle: ({ body, principal }) => ({ json: whatIf(db, body, principal, clock.now()) }),
    }),
  ];
}
