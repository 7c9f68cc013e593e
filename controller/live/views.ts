// What a person sees of a live session: who speaks, since when, and per station whether it is on air and,
// if not, why (the bulletin's own states and reasons, or offline).
import { stationsIn } from '../alerts/store.ts';
import { stationStateView } from '../alerts/views.ts';
import { chainOf } from '../areas/tree.ts';
import type { Db } from '../db.ts';
import { type Principal, userOf } from '../users/roles.ts';
import { type LiveSessionRow, listLiveSessions, liveStationIds, liveTargets } from './store.ts';

/** Why a station is not on air: an offline station, its bulletin state's reason, or the state itself. */
function whyNot(s: { state: string; reason: string | null; online: boolean }, ended: boolean): string | null {
  if (ended) return null;
  if (s.state === 'started' || s.state === 'sounding') return null;
  if (!s.online) return 'offline';
  if (s.state === 'pending' || s.state === 'waiting' || s.state === 'received') return 'waiting';
  return s.reason ?? s.state;
}

export const sessionStatus = (r: LiveSessionRow) =>
  r.ended_at ? 'ended' : r.first_audio_at ? 'on-air' : 'waiting-for-audio';

/** The session as its API answers it (without stations). */
export function sessionView(r: LiveSessionRow) {
  return {
    id: r.id,
    level: r.level,
    title: r.title,
    reason: r.reason,
    targets: liveTargets(r),
    ignoreQuietWindows: r.ignore_quiet_windows === 1,
    speaker: r.speaker,
    mount: r.mount,
    status: sessionStatus(r),
    openedAt: r.opened_at,
    firstAudioAt: r.first_audio_at,
    endedAt: r.ended_at,
    endReason: r.end_reason,
    endDetail: r.end_detail,
    bytes: r.bytes,
    stationCount: liveStationIds(r).length,
  };
}

type StationLine = {
  id: string;
  name: string;
  online: number;
  area_id: string | null;
  area_name: string | null;
};

/** The session with its stations in the person's area: on air or not and why, names not ids. */
export function sessionDetail(db: Db, r: LiveSessionRow, principal: Principal | null) {
  const ended = r.ended_at !== null;
  const scope = userOf(principal)?.scope ?? null;
  const rows = r.first_audio_at
    ? stationsIn(db, r.id, scope).map(stationStateView)
    : // not published yet: the stations it will reach, each waiting for the first audio
      (
        db
          .prepare(
            `SELECT st.id, st.name, st.online, st.area_id, ar.name AS area_name FROM stations st
             LEFT JOIN areas ar ON ar.id = st.area_id WHERE st.id IN (SELECT value FROM json_each(?))
             ORDER BY ar.name, st.name`,
          )
          .all(r.station_ids_json) as StationLine[]
      )
        .filter((s) => !scope || scope.kind === 'all' || inScope(db, scope.ids, s.area_id))
        .map((s) => ({
          stationId: s.id,
          name: s.name,
          areaName: s.area_name,
          state: 'waiting',
          at: null,
          startedAt: null,
          soundingAt: null,
          reason: null,
          detail: null,
          online: s.online === 1,
        }));
  const stations = rows.map((s) => ({
    ...s,
    onAir: !ended && whyNot(s, false) === null,
    whyNot: whyNot(s, ended),
  }));
  return {
    ...sessionView(r),
    onAirCount: stations.filter((s) => s.onAir).length,
    stations,
  };
}

/** Whether an area lies under one of the scope's areas (its chain from the root names one). */
const inScope = (db: Db, ids: string[], areaId: string | null) =>
  areaId !== null && chainOf(db, areaId).some((a) => ids.includes(a));

/** Newest first, those the person opened or whose targets they may act on (the route filters by area). */
export const recentSessions = (db: Db, limit: number) => listLiveSessions(db, limit).map(sessionView);
