// Review of clips: approve, reject with a reason, retire, reinstate; each a checked state transition.
import { z } from 'zod';
import type { Principal } from '../auth.ts';
import type { ControllerDeps } from '../deps.ts';
import { conflict, forbidden } from '../errors.ts';
import { type AnyRoute, defineRoute } from '../routes.ts';
import { type ClipStatus, clipView, getClip } from './store.ts';

const RejectBody = z.strictObject({ reason: z.string().trim().min(1).max(500) });

export function reviewRoutes(deps: ControllerDeps): AnyRoute[] {
  const { db, clock, desired, log } = deps;

  /** Moves a clip between review states; anything else is a 409 naming the state it is in. */
  function transition(
    clipId: string,
    principal: Principal | null,
    from: ClipStatus[],
    to: ClipStatus,
    reason: string | null = null,
  ) {
    const row = getClip(db, clipId);
    if (!from.includes(row.status))
      throw conflict(`clip '${row.id}' is ${row.status}; it cannot become ${to}`);
    const who = principal?.kind === 'user' ? principal : null;
    const reviewing = to === 'approved' || to === 'rejected';
    // the department appraises content: a second pair of eyes, unless the admin takes it on
    if (reviewing && who && who.role !== 'admin' && row.uploaded_by === who.username) {
      throw forbidden('a clip is reviewed by someone other than the person who uploaded it');
    }
    const now = clock.now().toISOString();
    db.prepare(
      `UPDATE clips SET status = ?, reason = ?, updated_at = ?,
         reviewed_by = CASE WHEN ? THEN ? ELSE reviewed_by END,
         reviewed_at = CASE WHEN ? THEN ? ELSE reviewed_at END
       WHERE id = ?`,
    ).run(to, reason, now, reviewing ? 1 : 0, who?.username ?? null, reviewing ? 1 : 0, now, row.id);
    log.info(`clip ${row.id}: ${row.status} -> ${to}${who ? ` by ${who.username}` : ''}`);
    desired.sync();
    return { json: clipView(getClip(db, row.id)) };
  }
  const id = (params: Record<string, string>) => params.id as string;

  return [
    defineRoute({
      method: 'post',
      path: '/api/clips/:id/approve',
      tag: 'clips',
      summary: 'Approve a draft (or a rejected or retired clip) so it can be scheduled; not by its uploader',
      access: 'user',
      roles: ['reviewer'],
      responses: { 409: 'not in a state that can be approved' },
      handle: ({ params, principal }) =>
        transition(id(params), principal, ['draft', 'rejected', 'retired'], 'approved'),
    }),
    defineRoute({
      method: 'post',
      path: '/api/clips/:id/reject',
      tag: 'clips',
      summary: 'Reject a draft with a reason the uploader will see',
      access: 'user',
      roles: ['reviewer'],
      body: RejectBody,
      responses: { 409: 'not a draft' },
      handle: ({ params, principal, body }) =>
        transition(id(params), principal, ['draft'], 'rejected', body.reason),
    }),
    defineRoute({
      method: 'post',
      path: '/api/clips/:id/retire',
      tag: 'clips',
      summary:
        'Retire an approved clip: no new slots may use it; slots that play it keep it until they change',
      access: 'user',
      roles: ['reviewer', 'technician'],
      responses: { 409: 'not approved' },
      handle: ({ params, principal }) => transition(id(params), principal, ['approved'], 'retired'),
    }),
  ];
}
