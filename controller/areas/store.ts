// Where things lie: the place (chain of areas) of a station, an area and a target, and whether a target
// names something that exists.
import type { Target } from '../../schedules/model.ts';
import { dayText } from '../console/local-time.ts';
import type { Db } from '../db.ts';
import { treeTarget } from './legacy.ts';
import { type Area, NOWHERE } from './scope.ts';
import { chainOf, findArea } from './tree.ts';

/** An area's place: its chain from the root and its name. */
export function areaPlace(db: Db, areaId: string): Area {
  const row = findArea(db, areaId);
  return row ? { path: chainOf(db, areaId), name: row.name } : NOWHERE;
}

/** A station's place; a station that no longer exists lies nowhere known. */
export function stationArea(db: Db, stationId: string): Area {
  const r = db.prepare('SELECT area_id, name FROM stations WHERE id = ?').get(stationId) as
    | { area_id: string | null; name: string }
    | undefined;
  if (!r?.area_id) return NOWHERE;
  return { path: chainOf(db, r.area_id), name: r.name };
}

/** The place a target reaches: the area itself, or the station's place for a station or one of its zones. */
export function targetArea(db: Db, target: Target): Area {
  const t = treeTarget(db, target);
  if (!t) return NOWHERE;
  if (t.scope === 'area') return areaPlace(db, t.id);
  return stationArea(db, t.scope === 'zone' ? t.station : t.id);
}

/** The zones (loudspeaker clusters) a station declares, or null for an unknown station. */
export function stationZones(db: Db, stationId: string): string[] | null {
  const r = db.prepare('SELECT zones FROM stations WHERE id = ?').get(stationId) as
    | { zones: string }
    | undefined;
  return r ? (JSON.parse(r.zones) as string[]) : null;
}

/** Why a target names nothing that exists (a live area, a station, a station's zone), or null. */
export function targetProblem(db: Db, target: Target): readonly [en: string, vi: string] | null {
  const t = treeTarget(db, target);
  const gone = 'Phạm vi đã chọn không còn: có thể đã bị xóa hoặc sáp nhập.';
  if (!t) return [`no ${target.scope} area '${'id' in target ? target.id : ''}'`, gone];
  if (t.scope === 'area') {
    const a = findArea(db, t.id);
    if (!a) return [`area '${t.id}' does not exist`, gone];
    if (!a.retired_at) return null;
    return [
      `area '${t.id}' was merged or split on ${a.retired_at.slice(0, 10)}`,
      `${a.name} đã được sáp nhập hoặc chia tách ngày ${dayText(a.retired_at.slice(0, 10))}: hãy chọn địa bàn hiện nay.`,
    ];
  }
  const zones = stationZones(db, t.scope === 'zone' ? t.station : t.id);
  if (!zones)
    return [
      `station '${t.scope === 'zone' ? t.station : t.id}' does not exist`,
      'Đài đã chọn không còn: có thể đã bị xóa.',
    ];
  if (t.scope === 'zone' && !zones.includes(t.zone))
    return [
      `station '${t.station}' has no zone '${t.zone}' (its zones: ${zones.join(', ') || 'none'})`,
      `Đài không có vùng loa «${t.zone}»${zones.length ? ` (các vùng loa: ${zones.join(', ')})` : ''}.`,
    ];
  return null;
}
