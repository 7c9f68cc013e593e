// Registering and changing stations: their fields, the area they hang from, and the secret a new station
// is given.
import { z } from 'zod';
import { DEFAULT_TIMEZONE, Id } from '../../schedules/model.ts';
import { placeByDistrictAndWard } from '../areas/legacy.ts';
import { areaByCode, findArea } from '../areas/tree.ts';
import { type Db, newId } from '../db.ts';
import { badRequest, conflict } from '../http/errors.ts';
import { resourcePatch } from '../http/patch.ts';
import { issueSecret } from './credentials.ts';
import { getStationRow, insertStation, type StationFields, stationExists, updateStation } from './store.ts';

const TimeZone = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, 'unknown IANA time zone');

const Zones = z
  .array(Id)
  .max(32)
  .refine((z) => new Set(z).size === z.length, 'a zone is named once')
  .describe(
    "the station's loudspeaker clusters that targets may name on their own: its agent's relay line names",
  );

const Fields = z.strictObject({
  name: z.string().trim().min(1).max(200),
  /** The area the station hangs from (any level). */
  areaId: Id,
  zones: Zones.default([]),
  timezone: TimeZone.default(DEFAULT_TIMEZONE),
});
/** The version before the tree placed a station by district and ward; still taken for one version. */
const Legacy = { district: Id.optional(), ward: Id.optional() };

export const StationCreate = Fields.extend({ id: Id.optional(), areaId: Id.optional(), ...Legacy }).refine(
  (s) => (s.areaId === undefined) !== (s.district === undefined && s.ward === undefined),
  {
    message: 'name the area with areaId (or, as before the area tree, both district and ward)',
    path: ['areaId'],
  },
);
export const StationPatch = resourcePatch(Fields.extend({ district: Id, ward: Id }));
export type StationCreate = z.output<typeof StationCreate>;

/** A live area, by id or by official code; refused (400) otherwise. */
export function liveAreaId(db: Db, idOrCode: string): string {
  const a = findArea(db, idOrCode) ?? areaByCode(db, idOrCode);
  if (!a)
    throw badRequest([`area '${idOrCode}' does not exist`, `Không tìm thấy địa bàn có mã «${idOrCode}».`], {
      field: 'areaId',
    });
  if (a.retired_at)
    throw badRequest([
      `area '${idOrCode}' was merged or split; choose the area it became`,
      `${a.name} đã được sáp nhập hoặc chia tách; vui lòng chọn địa bàn mới thay thế.`,
    ]);
  return a.id;
}

/** The area of a create or change body: areaId, or the old district and ward (both). */
function areaOf(db: Db, body: { areaId?: string; district?: string; ward?: string }, now: Date) {
  if (body.district !== undefined || body.ward !== undefined) {
    if (body.district === undefined || body.ward === undefined)
      throw badRequest([
        'name both district and ward, or the area with areaId',
        'Hãy ghi đủ cả quận/huyện và phường/xã, hoặc chọn trực tiếp địa bàn của đài.',
      ]);
    return placeByDistrictAndWard(db, body.district, body.ward, now);
  }
  return body.areaId === undefined ? undefined : liveAreaId(db, body.areaId);
}

/** The stored fields of a create body (the old district and ward resolved to an area). */
export function stationFields(db: Db, body: StationCreate, now: Date): StationFields & { id?: string } {
  const { district: _, ward: __, ...rest } = body;
  return { ...rest, areaId: areaOf(db, body, now) as string };
}

/** Registers a station; answers its id and its secret, shown this once. */
export function registerStation(db: Db, body: StationCreate, now: Date) {
  const id = body.id ?? newId('st');
  if (stationExists(db, id))
    throw conflict([
      `station '${id}' already exists`,
      `Mã «${id}» đã được dùng cho ${getStationRow(db, id).name}.`,
    ]);
  // A placeholder hash until the real secret is issued in the same transaction.
  const secret = db.transaction(() => {
    insertStation(db, id, stationFields(db, body, now), `pending-${id}`, now);
    return issueSecret(db, id);
  })();
  return { id, secret };
}

/** Renames a station, moves it to another area, or changes its zones; answers its id. */
export function changeStation(
  db: Db,
  id: string,
  body: z.output<typeof StationPatch.schema>,
  now: Date,
): string {
  const cur = getStationRow(db, id);
  db.transaction(() => {
    const { district, ward, ...rest } = body;
    const areaId = areaOf(db, { ...(rest.areaId ? { areaId: rest.areaId } : {}), district, ward }, now);
    const stored = {
      name: cur.name,
      areaId: cur.area_id,
      zones: JSON.parse(cur.zones) as string[],
      timezone: cur.timezone,
    };
    const next = StationPatch.apply(stored, { ...rest, ...(areaId ? { areaId } : {}) });
    updateStation(db, cur.id, next, now);
  })();
  return cur.id;
}
