// Cancelling a station's local override from here: only one that has not ended and is not cancelled yet.

import { translator, type WordKey } from '../console/i18n.ts';
import { localStamp } from '../console/local-time.ts';
import type { Db } from '../db.ts';
import { conflict } from '../http/errors.ts';
import { getOverride, requestCancel } from './store.ts';

/** Records the cancellation (the station ends it on its next desired state); 409 when it is too late. */
export function cancelOverride(db: Db, id: string, by: string, reason: string | null, now: Date) {
  const r = getOverride(db, id);
  // "Tạm ngưng phát tại Đài phường An Hòa"
  const what = `«${translator('vi')(`override.${r.kind}` as WordKey)}» tại ${r.station_name ?? 'đài'}`;
  if (r.cancelled_at)
    throw conflict([
      `override '${r.id}' was already cancelled at ${r.cancelled_at}`,
      `Thao tác ${what} đã được hủy lúc ${localStamp(r.cancelled_at)}.`,
    ]);
  if (r.ends_at <= now.toISOString())
    throw conflict([
      `override '${r.id}' already ended at ${r.ends_at}`,
      `Thao tác ${what} đã kết thúc lúc ${localStamp(r.ends_at)}.`,
    ]);
  if (r.cancel_requested_at)
    throw conflict([
      `override '${r.id}' was already cancelled here at ${r.cancel_requested_at}`,
      `Lệnh hủy thao tác ${what} đã được gửi lúc ${localStamp(r.cancel_requested_at)}.`,
    ]);
  requestCancel(db, r.id, by, reason, now);
  return getOverride(db, r.id);
}
