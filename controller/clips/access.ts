// Which station may download which clip: the clips its desired state names, written by the desired-state
// sync in the transaction that records the state, so a download is authorised by one indexed lookup.
import type { Db } from '../db.ts';

/** Replaces the clips one station's desired state names; prepared once for a loop over many stations. */
export function clipIndexWriter(db: Db): (stationId: string, clipIds: readonly string[]) => void {
  const clear = db.prepare('DELETE FROM station_clips WHERE station_id = ?');
  const add = db.prepare('INSERT OR IGNORE INTO station_clips (station_id, clip_id) VALUES (?, ?)');
  return (stationId, clipIds) => {
    clear.run(stationId);
    for (const clipId of clipIds) add.run(stationId, clipId);
  };
}

/** Whether the desired state a station was last given names this clip. */
export const desiredStateNamesClip = (db: Db, stationId: string, clipId: string): boolean =>
  db.prepare('SELECT 1 FROM station_clips WHERE station_id = ? AND clip_id = ?').get(stationId, clipId) !==
  undefined;

/** The stations whose desired state names any of these clips. */
export const stationsNamingClips = (db: Db, clipIds: readonly string[]): string[] =>
  (
    db
      .prepare(
        'SELECT DISTINCT station_id FROM station_clips WHERE clip_id IN (SELECT value FROM json_each(?))',
      )
      .all(JSON.stringify(clipIds)) as { station_id: string }[]
  ).map((r) => r.station_id);
