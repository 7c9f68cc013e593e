// Registering and changing stations: their fields, and the secret a new station is given.
import { z } from 'zod';
import { DEFAULT_TIMEZONE, Id } from '../../schedules/model.ts';
import { type Db, newId } from '../db.ts';
import { conflict } from '../http/errors.ts';
import { resourcePatch } from '../http/patch.ts';
import { issueSecret } from './credentials.ts';
import { getStationRow, insertStation, stationExists, updateStation } from './store.ts';

const TimeZone = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, 'unknown IANA time zone');

const StationFields = z.strictObject({
  name: z.string().trim().min(1).max(200),
  district: Id,
  ward: Id,
  timezone: TimeZone.default(DEFAULT_TIMEZONE),
});
export const StationCreate = StationFields.extend({ id: Id.optional() });
export const StationPatch = resourcePatch(StationFields);

/** Registers a station; answers its id and its secret, shown this once. */
export function registerStation(db: Db, body: z.output<typeof StationCreate>, now: Date) {
  const id = body.id ?? newId('st');
  if (stationExists(db, id)) throw conflict(`station '${id}' already exists`);
  // A placeholder hash until the real secret is issued in the same transaction.
  const secret = db.transaction(() => {
    insertStation(db, id, body, `pending-${id}`, now);
    return issueSecret(db, id);
  })();
  return { id, secret };
}

/** Renames or moves a station; answers its id. */
export function changeStation(db: Db, id: string, body: z.output<typeof StationPatch.schema>): string {
  const cur = getStationRow(db, id);
  updateStation(db, cur.id, StationPatch.apply(cur, body));
  return cur.id;
}
