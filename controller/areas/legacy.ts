// The API of the version before the area tree, still taken for one version (docs/areas.md): targets
// naming the city, a district or a ward, and stations placed by district and ward.
import type { Target, TreeTarget } from '../../schedules/model.ts';
import type { Db } from '../db.ts';
import { badRequest, conflict } from '../http/errors.ts';
import { newVersion } from './history.ts';
import { findArea, insertArea, listLevels, liveRoot } from './tree.ts';

/** The id a new tree's root gets when the first station is placed by district and ward. */
export const LEGACY_ROOT = 'city';

/**
 * A target as the tree knows it: the city is the root; a district or ward is the area with that id.
 * Null when an old target names an area that does not exist.
 */
export function treeTarget(db: Db, t: Target): TreeTarget | null {
  switch (t.scope) {
    case 'city': {
      const root = liveRoot(db);
      return root ? { scope: 'area', id: root.id } : null;
    }
    case 'district':
    case 'ward':
      return findArea(db, t.id) ? { scope: 'area', id: t.id } : null;
    default:
      return t;
  }
}

/** As treeTarget, refusing (400) an old target that names no area. */
export function toTreeTarget(db: Db, t: Target): TreeTarget {
  const out = treeTarget(db, t);
  if (!out)
    throw badRequest(
      t.scope === 'city'
        ? [
            'there is no area tree yet: create its root first',
            'Chưa có cây địa bàn: hãy tạo địa bàn gốc trước.',
          ]
        : [
            `no ${t.scope} area '${'id' in t ? t.id : ''}'`,
            `Không tìm thấy ${t.scope === 'ward' ? 'phường/xã' : 'quận/huyện'} «${'id' in t ? t.id : ''}».`,
          ],
    );
  return out;
}

/**
 * The area a station placed by district and ward hangs from: the ward under the district under the
 * root, each made (named by its id) when missing, as the version before the tree implied them.
 */
export function placeByDistrictAndWard(db: Db, district: string, ward: string, now: Date): string {
  const at = now.toISOString();
  const levels = listLevels(db);
  if (levels.length < 3)
    throw badRequest([
      'this deployment has fewer than three area levels: place the station with areaId',
      'Hệ thống có ít hơn ba cấp địa bàn: hãy chọn trực tiếp địa bàn của đài.',
    ]);
  const make = (id: string, parent: string | null, level: string) => {
    const row = { id, parent_id: parent, level, code: null, name: id, created_at: at };
    insertArea(db, row);
    newVersion(db, row, at);
  };
  let root = liveRoot(db);
  if (!root) {
    make(LEGACY_ROOT, null, (levels[0] as { id: string }).id);
    root = liveRoot(db) as NonNullable<typeof root>;
  }
  const d = findArea(db, district);
  if (!d) make(district, root.id, (levels[1] as { id: string }).id);
  else if (d.retired_at)
    throw conflict([
      `area '${district}' was merged or split; place the station with areaId`,
      `${d.name} đã được sáp nhập hoặc chia tách: hãy chọn trực tiếp địa bàn của đài.`,
    ]);
  const w = findArea(db, ward);
  if (!w) make(ward, district, (levels[2] as { id: string }).id);
  else if (w.retired_at)
    throw conflict([
      `area '${ward}' was merged or split; place the station with areaId`,
      `${w.name} đã được sáp nhập hoặc chia tách: hãy chọn trực tiếp địa bàn của đài.`,
    ]);
  else if (w.parent_id !== district)
    throw conflict([
      `area '${ward}' lies under '${w.parent_id}', not '${district}'; place the station with areaId`,
      `${w.name} trực thuộc ${(w.parent_id && findArea(db, w.parent_id)?.name) || w.parent_id}, không thuộc ${findArea(db, district)?.name ?? district}: hãy chọn trực tiếp địa bàn của đài.`,
    ]);
  return ward;
}
