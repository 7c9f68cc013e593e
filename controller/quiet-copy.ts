// Copying a quiet window to other areas in one step (the school term's online-class hours, ward by ward).
import { z } from 'zod';
import { type QuietWindow, Target } from '../schedules/model.ts';
import type { ControllerDeps } from './deps.ts';
import { notFound } from './errors.ts';
import { type AnyRoute, defineRoute } from './routes.ts';
import { checkTarget, newId } from './rules.ts';
import { targetArea } from './scope.ts';

const CopyBody = z.strictObject({ targets: z.array(Target).min(1).max(100) });

export function quietCopyRoutes(deps: ControllerDeps): AnyRoute[] {
  const { db, clock, desired } = deps;
  const get = (id: string): QuietWindow => {
    const r = db.prepare('SELECT body FROM quiet_windows WHERE id = ?').get(id) as
      | { body: string }
      | undefined;
    if (!r) throw notFound('quiet window', id);
    return JSON.parse(r.body) as QuietWindow;
  };
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
        targetArea(db, get(params.id as string).target),
        ...body.targets.map((t) => targetArea(db, t)),
      ],
      responses: { 201: 'the copies' },
      handle: ({ params, body }) => {
        const source = get(params.id as string);
        for (const t of body.targets) checkTarget(db, t);
        const now = clock.now().toISOString();
        const copies = body.targets.map((target) => ({ ...source, id: newId('qw'), target }));
        const insert = db.prepare('INSERT INTO quiet_windows (id, body, created_at) VALUES (?, ?, ?)');
        db.transaction(() => {
          for (const c of copies) insert.run(c.id, JSON.stringify(c), now);
        })();
        desired.sync();
        return { status: 201, json: copies };
      },
    }),
  ];
}
