// A station's retained override report: checked (it speaks only for itself), then stored by id and kept
// after the station leaves it out of later reports.
import type { Logger } from '../../common/log.ts';
import { OverrideReport } from '../../schedules/overrides.ts';
import type { Db } from '../db.ts';
import { stationExists } from '../stations/store.ts';
import { upsertReported } from './store.ts';

/** Stores a station's retained override report; answers how many overrides were stored. */
export function ingestOverrides(db: Db, stationId: string, json: unknown, now: Date, log: Logger): number {
  const r = OverrideReport.safeParse(json);
  if (!r.success) {
    log.warn(`mqtt: dropped malformed overrides report from ${stationId}: ${r.error.issues[0]?.message}`);
    return 0;
  }
  if (r.data.overrides.some((o) => o.stationId !== stationId)) {
    log.warn(`mqtt: dropped overrides report from ${stationId} naming another station`);
    return 0;
  }
  if (!stationExists(db, stationId)) {
    log.warn(`mqtt: dropped overrides report from unknown station '${stationId}'`);
    return 0;
  }
  return upsertReported(db, stationId, r.data.overrides, now, (o, owner) =>
    log.warn(`mqtt: ${stationId} reported override '${o.id}', which belongs to ${owner}`),
  );
}
