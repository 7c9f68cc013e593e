// Bulletins for mobile loudspeakers: a unit inside an area when a bulletin for it is live gets it on its own
// station topic (the only bulletin topic besides its home chain that the broker lets it read), on the root
// it speaks; leaving the area, a bulletin it has not finished is withdrawn from it; its hello is answered
// with what it lacks of these. See docs/areas.md, "Mobile loudspeakers".
import { errorMessage, type Logger } from '../../common/log.ts';
import { type AlertState, alertStateRank } from '../../schedules/alerts.ts';
import { MobilePosition, parseAlertTopic, protocolTopics, TOPIC_ROOT } from '../../schedules/protocol.ts';
import { targetIncludes } from '../../schedules/targets.ts';
import { type AlertRow, alertPayload, targetsOf } from '../alerts/store.ts';
import { type AreaTree, loadTree } from '../areas/tree.ts';
import type { Db } from '../db.ts';
import type { MessageBus } from '../deps.ts';
import { createStationRoots, type StationRoots } from '../mqtt/roots.ts';
import { locate } from './geometry.ts';
import {
  allPositions,
  type DeliveryRow,
  deliveriesOf,
  deliveriesTo,
  markWithdrawn,
  positionOf,
  recordDelivery,
  savePosition,
  setPositionArea,
  stationState,
} from './store.ts';

export interface MobileDeps {
  db: Db;
  log: Logger;
  /**
   * Publishes a unit's own copy of a bulletin on its station's bulletin topic, on the root it speaks,
   * retained, QoS 1 (an empty payload clears the topic).
   */
  publishCopy(stationId: string, alertId: string, payload: string): void;
}

/**
 * A unit's copies published over the controller's bus, each on the root its unit speaks (`roots`: the
 * link's own, which learns it from what the stations send; by default read from the stations' rows).
 */
export function mobileOver(
  db: Db,
  log: Logger,
  bus: MessageBus,
  roots: StationRoots = createStationRoots(db, bus.roots ?? [TOPIC_ROOT]),
): MobileDeps {
  return {
    db,
    log,
    publishCopy: (stationId, alertId, payload) => {
      for (const root of roots.rootsOf(stationId))
        bus.publish(protocolTopics(root).alert({ scope: 'station', id: stationId }, alertId), payload, {
          retain: true,
        });
    },
  };
}

/** A fix stamped further ahead of the controller's clock than this is refused (a unit with a wrong clock). */
const MAX_FIX_AHEAD_MS = 5 * 60_000;

/** The bulletin as the unit gets it: its own station added to the targets, so that it takes it as its own. */
function copyFor(r: AlertRow, stationId: string, cancelledAt: string | null = r.cancelled_at): string {
  const p = alertPayload(r);
  return JSON.stringify({ ...p, targets: [...p.targets, { scope: 'station', id: stationId }], cancelledAt });
}

const homeChain = (db: Db, tree: AreaTree, stationId: string): string[] | null => {
  const r = db.prepare('SELECT area_id FROM stations WHERE id = ?').get(stationId) as
    | { area_id: string | null }
    | undefined;
  return r ? (r.area_id ? tree.chain(r.area_id) : []) : null;
};

const liveAlerts = (db: Db, now: Date) =>
  db
    .prepare(
      `SELECT * FROM alerts WHERE cleared_at IS NULL AND cancelled_at IS NULL AND expires_at > ?
       ORDER BY issued_at`,
    )
    .all(now.toISOString()) as AlertRow[];

const alertRow = (db: Db, id: string) =>
  db.prepare('SELECT * FROM alerts WHERE id = ?').get(id) as AlertRow | undefined;

/**
 * The bulletin's target area that a unit located in `here` (a chain) is inside; none when the bulletin
 * reaches it at home anyway (its home chain's topics, which it always reads).
 */
function areaReached(r: AlertRow, stationId: string, here: string[], home: string[]) {
  const targets = targetsOf(r);
  if (targets.some((t) => targetIncludes(t, { id: stationId, areaPath: home }))) return undefined;
  return targets.find((t) => t.scope === 'area' && here.includes(t.id)) as
    | { scope: 'area'; id: string }
    | undefined;
}

function withdraw(deps: MobileDeps, d: DeliveryRow, now: Date): void {
  const r = alertRow(deps.db, d.alert_id);
  const state = stationState(deps.db, d.alert_id, d.station_id);
  const finished = state !== 'pending' && alertStateRank(state as AlertState) >= 4;
  const live = r && !r.cancelled_at && r.expires_at > now.toISOString();
  // Not finished there: the unit takes it as withdrawn (not played, or cut). Finished: nothing to take back.
  if (r && live && !finished)
    deps.publishCopy(d.station_id, d.alert_id, copyFor(r, d.station_id, now.toISOString()));
  else deps.publishCopy(d.station_id, d.alert_id, '');
  markWithdrawn(deps.db, d.alert_id, d.station_id, now);
  deps.log.info(`mobile: ${d.station_id} left area ${d.area_id}; bulletin ${d.alert_id} withdrawn from it`);
}

/** Brings a unit's bulletins in line with where it is: new ones of the areas it is in, withdrawn ones it left. */
export function reconcileUnit(deps: MobileDeps, stationId: string, now: Date, tree: AreaTree): void {
  const { db } = deps;
  const pos = positionOf(db, stationId);
  const home = homeChain(db, tree, stationId);
  if (!pos || !home) return;
  const here = pos.area_id ? tree.chain(pos.area_id) : [];
  const delivered = deliveriesTo(db, stationId);
  for (const d of delivered) if (!d.withdrawn_at && !here.includes(d.area_id)) withdraw(deps, d, now);
  if (!pos.area_id) return;
  const known = new Set(delivered.map((d) => d.alert_id));
  for (const r of liveAlerts(db, now)) {
    const area = areaReached(r, stationId, here, home);
    if (!area || known.has(r.id)) continue;
    deps.publishCopy(stationId, r.id, copyFor(r, stationId));
    recordDelivery(db, { alertId: r.id, stationId, areaId: area.id, locatedIn: pos.area_id }, now);
    deps.log.info(`mobile: ${stationId} is in area ${area.id}; bulletin ${r.id} sent to it`);
  }
}

/** A position from a unit's station topic: checked, stored, located, and its bulletins reconciled. */
function positionReceived(deps: MobileDeps, stationId: string, payload: Buffer, now: Date): void {
  const { db, log } = deps;
  if (payload.length === 0) return; // a cleared retained position: nothing to store
  let json: unknown;
  try {
    json = JSON.parse(payload.toString('utf8'));
  } catch {
    log.warn(`mqtt: dropped non-JSON position from ${stationId}`);
    return;
  }
  const p = MobilePosition.safeParse(json);
  if (!p.success) {
    const i = p.error.issues[0];
    log.warn(`mqtt: dropped position from ${stationId}: ${i?.path.join('.') || '(root)'}: ${i?.message}`);
    return;
  }
  if (Date.parse(p.data.at) > now.getTime() + MAX_FIX_AHEAD_MS) {
    log.warn(`mqtt: dropped position from ${stationId}: its fix time ${p.data.at} is in the future`);
    return;
  }
  const stored = positionOf(db, stationId);
  if (stored && Date.parse(stored.fix_at) >= Date.parse(p.data.at)) return; // a repeat or an older fix
  const tree = loadTree(db);
  if (!homeChain(db, tree, stationId)) {
    log.warn(`mqtt: dropped position from unknown station '${stationId}'`);
    return;
  }
  const area = locate(db, p.data, tree);
  savePosition(db, stationId, p.data, area, now);
  if (area !== (stored?.area_id ?? null))
    log.info(`mobile: ${stationId} is now in ${area ? `area ${area}` : 'no drawn area'}`);
  reconcileUnit(deps, stationId, now, tree);
}

/** Every unit located again (an area was drawn anew) and its bulletins reconciled. */
export function relocateAll(deps: MobileDeps, now: Date): void {
  const tree = loadTree(deps.db);
  for (const p of allPositions(deps.db)) {
    setPositionArea(deps.db, p.station_id, locate(deps.db, p, tree));
    reconcileUnit(deps, p.station_id, now, tree);
  }
}

/**
 * The controller published on a bulletin topic: for an area's, the units inside get their copy (again,
 * after a broker restart), a withdrawal reaches those that have it, and a clearing at expiry clears theirs.
 */
function bulletinPublished(deps: MobileDeps, topic: string, payload: string, now: Date): void {
  const where = parseAlertTopic(topic);
  if (where?.target.scope !== 'area') return;
  const { db } = deps;
  const positions = allPositions(db).filter((p) => p.area_id);
  const delivered = deliveriesOf(db, where.alertId);
  if (!positions.length && !delivered.length) return;
  const r = alertRow(db, where.alertId);
  if (!r) return;
  if (payload === '') {
    // Cleared at expiry; a live one's old topic cleared after a reorganisation named its areas anew keeps its copies.
    if (r.expires_at > now.toISOString()) return;
    for (const d of delivered) deps.publishCopy(d.station_id, d.alert_id, '');
    return;
  }
  const active = delivered.filter((d) => !d.withdrawn_at);
  if (r.cancelled_at) {
    for (const d of active) deps.publishCopy(d.station_id, d.alert_id, copyFor(r, d.station_id));
    return;
  }
  for (const d of active) deps.publishCopy(d.station_id, d.alert_id, copyFor(r, d.station_id));
  if (positions.some((p) => !delivered.some((d) => d.station_id === p.station_id))) {
    const tree = loadTree(db);
    for (const p of positions)
      if (!delivered.some((d) => d.station_id === p.station_id)) reconcileUnit(deps, p.station_id, now, tree);
  }
}

/**
 * A unit's hello answered for its own copies: each delivered copy still live that it does not hold, and
 * the end of each it holds that was withdrawn from it (it left the area) or by its sender. Keyed by
 * bulletin; a bulletin expired or gone is the hello's to end, as for any station.
 */
export function copiesForHello(db: Db, stationId: string, holds: ReadonlySet<string>, now: Date) {
  const owed = new Map<string, { payload: string; ended: boolean }>();
  for (const d of deliveriesTo(db, stationId)) {
    const r = alertRow(db, d.alert_id);
    if (!r || r.cleared_at || r.expires_at <= now.toISOString()) continue;
    const held = holds.has(r.id);
    if (r.cancelled_at) {
      if (held) owed.set(r.id, { payload: copyFor(r, stationId), ended: true });
    } else if (d.withdrawn_at) {
      if (held) owed.set(r.id, { payload: copyFor(r, stationId, d.withdrawn_at), ended: true });
    } else if (!held) owed.set(r.id, { payload: copyFor(r, stationId), ended: false });
  }
  return owed;
}

/** A failure here is logged: it must not lose the message for the ingest, nor fail the bulletin's request. */
const guarded =
  <A extends unknown[]>(what: string, f: (deps: MobileDeps, ...args: A) => void) =>
  (deps: MobileDeps, ...args: A): void => {
    try {
      f(deps, ...args);
    } catch (e) {
      deps.log.error(`mobile: ${what} failed: ${errorMessage(e)}`);
    }
  };

/** A position from a unit's station topic: checked, stored, located, and its bulletins reconciled. */
export const receivePosition = guarded('a position', positionReceived);

/**
 * The controller published on a bulletin topic: for an area's, the units inside get their copy (again,
 * after a broker restart), a withdrawal reaches those that have it, and a clearing at expiry clears theirs.
 */
export const alertPublished = guarded('a bulletin for mobile units', bulletinPublished);
