// POST /api/areas/reorganise: plan (checks, the tree afterwards, what it does to everything that names
// areas), preview, and, unless it is a dry run, apply in one transaction, then republish what changed.
import { topics } from '../../../schedules/protocol.ts';
import { publishAlert } from '../../alerts/publish.ts';
import { getAlertRow } from '../../alerts/store.ts';
import type { ControllerDeps } from '../../deps.ts';
import { HttpError } from '../../http/errors.ts';
import { actorName, type Principal } from '../../users/roles.ts';
import { applyPlan } from './apply.ts';
import { effects } from './effects.ts';
import type { Reorganisation } from './ops.ts';
import { preview } from './preview.ts';
import { loadSnapshot, Refusal } from './snapshot.ts';
import { treeChange } from './tree-ops.ts';

/** Plans (and applies unless dryRun) a reorganisation, then republishes; refused with the reason, changing nothing. */
export function reorganise(
  deps: ControllerDeps,
  op: Reorganisation,
  principal: Principal | null,
  dryRun: boolean,
) {
  const r = planAndApply(deps, op, principal, dryRun);
  r.republish();
  return r.answer;
}

/**
 * The same, with the republishing left to the caller: inside a larger transaction, the stations and the
 * broker hear of it only once it is committed.
 */
export function planAndApply(
  deps: ControllerDeps,
  op: Reorganisation,
  principal: Principal | null,
  dryRun: boolean,
) {
  const { db, clock, log } = deps;
  const s = loadSnapshot(db, clock.now());
  let planned: { change: ReturnType<typeof treeChange>; fx: ReturnType<typeof effects> };
  try {
    const change = treeChange(s, op);
    planned = { change, fx: effects(s, change) };
  } catch (e) {
    if (e instanceof Refusal)
      throw new HttpError(
        e.status,
        e.status === 404 ? 'not_found' : e.status === 409 ? 'conflict' : 'bad_request',
        e.message,
      );
    throw e;
  }
  const { change, fx } = planned;
  const changes = preview(s, op, change, fx);
  // The as-run log is history: it stays with its stations, and reports name the areas as they were.
  const asRun = (
    db
      .prepare('SELECT COUNT(*) AS n FROM plays WHERE station_id IN (SELECT value FROM json_each(?))')
      .get(JSON.stringify(changes.stations.map((st) => st.id))) as { n: number }
  ).n;
  const answer = { dryRun, ...changes, history: { asRunRecordsKept: asRun } };
  if (dryRun) return { answer, republish: () => {} };

  const id = applyPlan(db, s, op, change, fx, { actor: actorName(principal), summary: changes.counts });
  log.info(
    `areas: ${op.operation} by ${actorName(principal)}: ${changes.counts.areas} area(s), ` +
      `${changes.counts.stations} station(s), ${changes.counts.slots} slot(s) changed`,
  );
  const republish = () => {
    deps.desired.sync();
    if (!deps.bus) return;
    for (const a of fx.alerts) {
      const row = getAlertRow(db, a.id);
      publishAlert(deps.bus, row);
      const now = new Set(a.after.map((t) => topics.alert(t, a.id)));
      for (const t of a.before) {
        const topic = topics.alert(t, a.id);
        if (!now.has(topic)) deps.bus.publish(topic, '', { retain: true });
      }
    }
  };
  return { answer: { ...answer, reorganisationId: id }, republish };
}
