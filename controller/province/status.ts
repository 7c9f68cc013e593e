// Each station's status ping (trạng thái thiết bị) as the province asks for it every 60 s, from what the
// controller knows: its connection, what it plays, its last health report and, for a mobile unit, where it is.
import type { Health } from '../../schedules/protocol.ts';
import { loadTree } from '../areas/tree.ts';
import type { Db } from '../db.ts';
import type { ProvinceSettings } from './settings.ts';
import { enqueueStatus } from './store.ts';
import { outward } from './wire.ts';

/** TrangThaiHoatDong, as the firmware numbers it. */
export const ACTIVITY = { playing: 0, paused: 1, stopped: 2 } as const;

interface StationRow {
  id: string;
  name: string;
  area_id: string;
  online: number;
  presence_at: string | null;
  health_json: string | null;
  lat: number | null;
  lon: number | null;
  paused: number;
}

/** Our area's id at the province (DichID): the nearest area up the chain the settings map, else its national code. */
function destinationOf(db: Db, s: ProvinceSettings) {
  const tree = loadTree(db);
  const mapped = new Map(Object.entries(s.areas).map(([theirs, ours]) => [ours, theirs]));
  return (areaId: string): string | null => {
    for (const id of [...tree.chain(areaId)].reverse()) {
      const hit = mapped.get(id) ?? tree.byId.get(id)?.code;
      if (hit) return hit;
    }
    return null;
  };
}

/** The ping of one station, in our field names. */
export function statusOf(
  s: ProvinceSettings,
  r: StationRow,
  dichId: string | null,
  playingTitle: string | null,
) {
  const health = r.health_json ? (JSON.parse(r.health_json) as Partial<Health>) : null;
  const activity = health?.playing ? ACTIVITY.playing : r.paused ? ACTIVITY.paused : ACTIVITY.stopped;
  return {
    NguonID: s.sourceId,
    TenNguon: s.sourceName,
    DichID: dichId,
    CumLoaID: s.stations[r.id] ?? r.id,
    TenThietBi: r.name,
    AmLuong: null,
    TrangThaiHoatDong: r.online ? activity : ACTIVITY.stopped,
    TrangThaiKetNoi: r.online ? 1 : 0,
    ViDo: r.lat,
    KinhDo: r.lon,
    ThongTinThietBi: { CongSuat: null, NhietDo: health?.cpuTempC ?? null, DungLuongSuDung: null },
    ThoiDiemBatDau: r.presence_at ? Math.floor(Date.parse(r.presence_at) / 1000) : null,
    NoiDungPhat: health?.playing ? (playingTitle ?? health.playing) : null,
    PhienBanUngDung: health?.agentVersion ?? null,
  };
}

/** Puts every station's status in the outbox (replacing the one still waiting); answers how many. */
export function queueStatuses(db: Db, s: ProvinceSettings, now: Date): number {
  const at = now.toISOString();
  const rows = db
    .prepare(
      `SELECT s.id, s.name, s.area_id, s.online, s.presence_at, s.health_json, p.lat, p.lon,
         EXISTS (SELECT 1 FROM overrides o WHERE o.station_id = s.id AND o.kind = 'pause'
                 AND o.starts_at <= @at AND o.ends_at > @at AND o.cancelled_at IS NULL) AS paused
       FROM stations s LEFT JOIN mobile_positions p ON p.station_id = s.id`,
    )
    .all({ at }) as StationRow[];
  const dich = destinationOf(db, s);
  const title = db.prepare('SELECT title FROM alerts WHERE id = ?');
  db.transaction(() => {
    for (const r of rows) {
      const playing = r.health_json ? (JSON.parse(r.health_json) as Partial<Health>).playing : null;
      const t = playing?.startsWith('alert:')
        ? (title.get(playing.slice(6)) as { title: string } | undefined)
        : undefined;
      enqueueStatus(db, r.id, outward(s, statusOf(s, r, dich(r.area_id), t?.title ?? null)), at);
    }
  })();
  return rows.length;
}
