// Issuing and withdrawing a bulletin: the checks (clip, expiry, targets, level, who), the stored rows
// (one per target station) and the publication.
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { AlertLevel } from '../../schedules/alerts.ts';
import { Id, type StationInfo, Target } from '../../schedules/model.ts';
import { PlayShapeFields, shapeFields } from '../../schedules/repeat.ts';
import { describeTarget, targetIncludes, targetKey } from '../../schedules/targets.ts';
import { toTreeTarget } from '../areas/legacy.ts';
import { targetProblem } from '../areas/store.ts';
import { type ClipRow, findClip } from '../clips/store.ts';
import type { Db } from '../db.ts';
import type { ControllerDeps } from '../deps.ts';
import { badRequest, conflict, forbidden } from '../http/errors.ts';
import { allStationInfos } from '../stations/store.ts';
import { actorName, type Principal, userOf } from '../users/roles.ts';
import { publishAlert } from './publish.ts';
import { type AlertRow, getAlertRow, insertAlert, markCancelled, statusOf } from './store.ts';

export const MAX_ALERT_MS = 7 * 86_400_000;
/** Default lifetimes: an emergency is about now; other bulletins wait for the station's next session. */
export const DEFAULT_ALERT_MS = {
  emergency: 2 * 3_600_000,
  priority: 24 * 3_600_000,
  normal: 24 * 3_600_000,
};

export const AlertCreate = z.strictObject({
  level: AlertLevel,
  title: z.string().trim().min(1).max(200),
  /** Why it is sent; shown to ward staff and kept in reports. */
  reason: z.string().trim().min(1).max(500),
  /** approved; an emergency may also use a draft (a recording just uploaded and processed). */
  clipId: Id,
  targets: z.array(Target).min(1).max(500),
  /** Default: emergency +2 h, others +24 h; at most 7 days ahead. */
  expiresAt: z.iso.datetime({ offset: true }).optional(),
  /** Emergency only: play inside quiet windows too. Recorded with the bulletin. */
  ignoreQuietWindows: z.boolean().default(false),
  /** Read the clip N times with a gap, and/or a chime before and after (schedules/repeat.ts). */
  ...PlayShapeFields,
});
export type AlertCreate = z.infer<typeof AlertCreate>;

/** Why a clip cannot go out at this level, or null. */
function clipProblem(clip: ClipRow | undefined, clipId: string, level: AlertLevel): string | null {
  if (!clip) return `clip '${clipId}' does not exist`;
  if (clip.status === 'approved' && clip.sha256) return null;
  if (level === 'emergency') {
    if (clip.status === 'draft' && clip.sha256) return null;
    return `clip '${clipId}' is ${clip.status}: an emergency bulletin needs an approved clip or a processed draft`;
  }
  return `clip '${clipId}' is ${clip.status}: a ${level} bulletin needs an approved clip`;
}

/** Checks the bulletin against the clip store, the clock and the station list; answers the rows to store. */
export function prepareAlert(db: Db, body: AlertCreate, principal: Principal | null, now: Date) {
  const who = userOf(principal);
  // Ward staff send ordinary bulletins to their own ward's stations; priority and emergency come from above.
  if (who?.role === 'ward' && body.level !== 'normal')
    throw forbidden([
      'ward staff may send only normal bulletins (to their own ward)',
      'Cán bộ phường/xã chỉ được phát bản tin thông thường cho phường/xã của mình.',
    ]);
  if (body.ignoreQuietWindows && body.level !== 'emergency')
    throw badRequest([
      'ignoreQuietWindows is only for emergency bulletins',
      'Chỉ bản tin khẩn cấp mới được phát trong khung giờ không phát.',
    ]);
  const clip = findClip(db, body.clipId);
  const problem = clipProblem(clip, body.clipId, body.level);
  if (problem || !clip) throw badRequest(problem ?? 'no clip', { field: 'clipId' });

  const expires = body.expiresAt
    ? new Date(body.expiresAt)
    : new Date(now.getTime() + DEFAULT_ALERT_MS[body.level]);
  if (expires.getTime() <= now.getTime())
    throw badRequest(['expiresAt is already past', 'Thời điểm hết hạn đã qua.'], { field: 'expiresAt' });
  if (expires.getTime() - now.getTime() > MAX_ALERT_MS)
    throw badRequest(['expiresAt is at most 7 days ahead', 'Bản tin hết hạn chậm nhất sau 7 ngày.'], {
      field: 'expiresAt',
    });

  return { clip, expires, ...reachedStations(db, body.targets) };
}

/** A bulletin's targets (on the area tree, without repeats) and the stations they reach; 400 for one reaching none. */
export function reachedStations(db: Db, asked: Target[]) {
  const stations = allStationInfos(db);
  const targets = dedupe(asked.map((t) => toTreeTarget(db, t)));
  const reached = new Map<string, StationInfo>();
  for (const t of targets) {
    const problem = targetProblem(db, t);
    if (problem) throw badRequest(problem, { field: 'targets' });
    const hits = stations.filter((s) => targetIncludes(t, s));
    // A typo in one target must not pass silently because another target reaches stations.
    if (hits.length === 0)
      throw badRequest(
        [
          `target ${describeTarget(t)} reaches no station`,
          'Một phạm vi đã chọn không có đài truyền thanh nào.',
        ],
        { field: 'targets' },
      );
    for (const s of hits) reached.set(s.id, s);
  }
  return { targets, stations: [...reached.values()] };
}

const dedupe = (targets: Target[]) => {
  const seen = new Map<string, Target>();
  for (const t of targets) seen.set(targetKey(t), t);
  return [...seen.values()];
};

/** Stores the bulletin and one `pending` row per target station, in one transaction. */
export function storeAlert(
  db: Db,
  body: AlertCreate,
  prepared: ReturnType<typeof prepareAlert>,
  issuedBy: string,
  now: Date,
): AlertRow {
  const id = `al-${randomBytes(6).toString('hex')}`;
  const { clip } = prepared;
  insertAlert(
    db,
    {
      id,
      level: body.level,
      title: body.title,
      reason: body.reason,
      clip: { id: clip.id, sha256: clip.sha256, durationMs: clip.duration_ms, bytes: clip.bytes },
      targets: prepared.targets,
      issuedBy,
      expiresAt: prepared.expires.toISOString(),
      ignoreQuietWindows: body.ignoreQuietWindows,
      ...shapeFields(body),
    },
    prepared.stations,
    now,
  );
  return getAlertRow(db, id);
}

/**
 * Checks, stores and publishes a bulletin (retained, one message per target); answers its row. Stored
 * first (committed), announced after: at the next turn of the event loop, once the caller's answer is
 * written, because handing a bulletin to the embedded broker writes it to every subscribed station on this
 * thread (about 1 s for 5,000 stations on a loaded machine, measured: docs/scale.md) and the API call
 * need not wait for that. A crash between the two loses nothing: the link republishes every active
 * bulletin at its next connect (publish.ts).
 */
export function sendAlert(deps: ControllerDeps, body: AlertCreate, principal: Principal | null): AlertRow {
  const { db, clock, bus, log } = deps;
  const now = clock.now();
  const prepared = prepareAlert(db, body, principal, now);
  const row = storeAlert(db, body, prepared, actorName(principal), now);
  if (bus) setImmediate(() => publishAlert(bus, row));
  log.info(
    `alert ${row.id} (${row.level}) to ${prepared.stations.length} station(s) by ${row.issued_by}` +
      (body.ignoreQuietWindows ? ', ignoring quiet windows' : ''),
  );
  return row;
}

/** Withdraws an active bulletin and publishes it again with cancelledAt; ward staff only their own. */
export function cancelAlert(
  deps: ControllerDeps,
  id: string,
  principal: Principal | null,
  reason: string | null,
): AlertRow {
  const { db, clock, bus, log } = deps;
  const now = clock.now();
  const r = getAlertRow(db, id);
  const who = userOf(principal);
  if (who?.role === 'ward' && r.issued_by !== who.username)
    throw forbidden([
      'ward staff may withdraw only the bulletins they sent',
      'Cán bộ phường/xã chỉ được thu hồi bản tin do mình phát.',
    ]);
  const status = statusOf(r, now);
  if (status !== 'active')
    throw conflict([
      `alert '${r.id}' is already ${status}`,
      status === 'cancelled' ? 'Bản tin đã được thu hồi trước đó.' : 'Bản tin đã hết hạn.',
    ]);
  markCancelled(db, r.id, actorName(principal), reason, now);
  const row = getAlertRow(db, r.id);
  if (bus) publishAlert(bus, row);
  log.info(`alert ${r.id} cancelled by ${row.cancelled_by}`);
  return row;
}
