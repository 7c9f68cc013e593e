// Who may hear a live session's mount: the stations it was opened for, while it runs. Plugged into the
// stream server's listener check (`StreamGate.mayListen`); other mounts are left to their own rules.
import type { Db } from '../db.ts';
import { findLiveSession, liveStationIds } from './store.ts';

const LIVE_MOUNT = /^\/live\/([A-Za-z0-9][A-Za-z0-9_-]{0,63})\.ogg$/;

/** `mayListen(mount, stationId)` for the stream server's gate: a station of the session, before it ended. */
export function liveAudience(db: Db): (mount: string, stationId: string) => boolean {
  return (mount, stationId) => {
    if (!mount.startsWith('/live/')) return true;
    const id = LIVE_MOUNT.exec(mount)?.[1];
    const row = id ? findLiveSession(db, id) : undefined;
    return !!row && row.ended_at === null && liveStationIds(row).includes(stationId);
  };
}
