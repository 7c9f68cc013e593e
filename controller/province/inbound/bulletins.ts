// The province's bulletins made ours: each checked (fields, level, areas, expiry) before its audio is
// fetched, then issued as a Loa phường bulletin under the province's name and published at once.
import { createHash } from 'node:crypto';
import {
  type AlertCreate,
  DEFAULT_ALERT_MS,
  MAX_ALERT_MS,
  prepareAlert,
  reachedStations,
  storeAlert,
} from '../../alerts/issue.ts';
import { publishAlert } from '../../alerts/publish.ts';
import type { AlertRow } from '../../alerts/store.ts';
import type { Admission } from '../../clips/admit.ts';
import type { ControllerDeps } from '../../deps.ts';
import type { ProvinceSettings } from '../settings.ts';
import { addInbox, findItem, saveItem } from '../store.ts';
import { inward, ProvinceBulletin, ProvinceRefusal, parseItem } from '../wire.ts';
import { asRefusal, PROVINCE_ACTOR, provincialClip, targetsOf } from './content.ts';

export const digestOf = (raw: unknown) => createHash('sha256').update(JSON.stringify(raw)).digest('hex');

/** The bulletin's id as the province gave it, for the log when the rest is bad. */
export const rawIdOf = (raw: unknown, field: string) => {
  const v = raw && typeof raw === 'object' ? (raw as Record<string, unknown>)[field] : undefined;
  return typeof v === 'string' || typeof v === 'number' ? String(v) : null;
};

/** The bulletin as our API takes it (its clip still to come). */
function bodyOf(settings: ProvinceSettings, b: ProvinceBulletin): AlertCreate {
  const level = settings.levels[String(b.MucDoUuTien) as '1' | '2' | '3'];
  return {
    level,
    title: b.TieuDe.slice(0, 200),
    reason: (b.NoiDungTomTat?.trim() || b.TieuDe).slice(0, 500),
    clipId: '',
    targets: [],
    expiresAt: b.ThoiDiemKetThuc ? new Date(b.ThoiDiemKetThuc * 1000).toISOString() : undefined,
    ignoreQuietWindows: level === 'emergency' && settings.emergencyIgnoresQuietWindows,
  };
}

/**
 * Takes one bulletin the province offers: null when it was taken before, else the bulletin issued; a
 * ProvinceRefusal (nothing stored) when a field, an area, the expiry or the audio is wrong.
 */
export async function takeBulletin(
  deps: ControllerDeps,
  settings: ProvinceSettings,
  admission: () => Admission,
  raw: unknown,
): Promise<AlertRow | null> {
  const { db, clock, bus, log } = deps;
  const ours = inward(settings, raw);
  const id = rawIdOf(ours, 'BanTinID') ?? '?';
  const b = parseItem(ProvinceBulletin, ours, `bulletin ${id}`);
  if (findItem(db, 'bulletin', b.BanTinID)) return null;
  const what = `bulletin ${b.BanTinID}`;
  let body = bodyOf(settings, b);
  try {
    body = { ...body, targets: targetsOf(deps, settings, b.DanhSachDiaBan) };
    // everything but the clip is checked before the audio is fetched: expiry and the stations reached
    const now = clock.now().getTime();
    const expires = body.expiresAt ? Date.parse(body.expiresAt) : now + DEFAULT_ALERT_MS[body.level];
    if (expires <= now || expires - now > MAX_ALERT_MS)
      throw new ProvinceRefusal(
        `${what}: ThoiDiemKetThuc is past or more than 7 days ahead`,
        `${what}: ThoiDiemKetThuc đã qua hoặc quá 7 ngày tới`,
      );
    reachedStations(db, body.targets);
  } catch (e) {
    throw e instanceof ProvinceRefusal ? e : asRefusal(e, what);
  }
  body = { ...body, clipId: await provincialClip(deps, settings, admission, b) };
  const now = clock.now();
  let row: AlertRow;
  let reached = 0;
  try {
    const prepared = prepareAlert(db, body, null, now);
    reached = prepared.stations.length;
    row = db.transaction(() => {
      const stored = storeAlert(db, body, prepared, PROVINCE_ACTOR, now);
      saveItem(db, {
        kind: 'bulletin',
        province_id: b.BanTinID,
        digest: digestOf(raw),
        document: JSON.stringify(raw),
        alert_id: stored.id,
        campaign_id: null,
        received_at: now.toISOString(),
      });
      addInbox(db, {
        kind: 'bulletin',
        province_id: b.BanTinID,
        digest: digestOf(raw),
        outcome: 'accepted',
        reason: null,
        reason_vi: null,
        alert_id: stored.id,
        campaign_id: null,
        received_at: now.toISOString(),
      });
      return stored;
    })();
  } catch (e) {
    throw asRefusal(e, what);
  }
  if (bus) publishAlert(bus, row);
  log.info(
    `province bulletin ${b.BanTinID} (MucDoUuTien ${b.MucDoUuTien}) -> alert ${row.id} (${row.level}) to ${reached} station(s)`,
  );
  return row;
}
