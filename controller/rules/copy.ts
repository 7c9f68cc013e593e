// Copying a quiet window to other areas in one step (the school term's online-class hours, ward by ward).
import type { QuietWindow, Target } from '../../schedules/model.ts';
import { toTreeTarget } from '../areas/legacy.ts';
import { type Db, newId } from '../db.ts';
import { notFound } from '../http/errors.ts';
import { checkTarget } from './checks.ts';
import { findRule, insertQuietWindows } from './store.ts';

export function getQuietWindow(db: Db, id: string): QuietWindow {
  const qw = findRule<QuietWindow>(db, 'quiet_windows', id);
  if (!qw) throw notFound('quiet window', id);
  return qw;
}

/** One copy per target, all made or none; answers the copies. */
export function copyQuietWindow(db: Db, id: string, targets: Target[], now: Date): QuietWindow[] {
  const source = getQuietWindow(db, id);
  const tree = targets.map((t) => toTreeTarget(db, t));
  for (const t of tree) checkTarget(db, t);
  const copies = tree.map((target) => ({ ...source, id: newId('qw'), target }));
  insertQuietWindows(db, copies, now.toISOString());
  return copies;
}
