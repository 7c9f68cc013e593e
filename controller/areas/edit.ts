// Areas made, corrected and removed one at a time (admin): the checks of a place in the tree (a known
// level below its parent's, one root, a code not already taken) and the history they keep.
import { z } from 'zod';
import { Id } from '../../schedules/model.ts';
import { localDate } from '../console/local-time.ts';
import type { Db } from '../db.ts';
import type { ControllerDeps } from '../deps.ts';
import { badRequest, conflict } from '../http/errors.ts';
import { resourcePatch } from '../http/patch.ts';
import type { Principal } from '../users/roles.ts';
import { correctVersion, newVersion } from './history.ts';
import { AreaCode, AreaName } from './reorganise/ops.ts';
import { planAndApply } from './reorganise/reorganise.ts';
import { idFromName } from './reorganise/tree-ops.ts';
import {
  type AreaRow,
  areaByCode,
  deleteAreaRow,
  findArea,
  getAreaRow,
  insertArea,
  listLevels,
  liveRoot,
  updateArea,
} from './tree.ts';

/** Ids the area routes use for themselves. */
const RESERVED = ['levels', 'import', 'reorganise'];

const Fields = z.strictObject({
  /** Vietnamese, with diacritics. */
  name: AreaName,
  /** The national administrative unit code, where it has one. */
  code: AreaCode.nullable().default(null),
  level: Id,
  /** null for the root (the whole province or city). */
  parentId: Id.nullable(),
});
export const AreaCreate = Fields.extend({ id: Id.optional() });
/** name and code are corrections (history keeps no old value; a real renaming is a reorganisation); parentId moves. */
export const AreaPatch = resourcePatch(Fields);

export function areaView(a: AreaRow) {
  return {
    id: a.id,
    parentId: a.parent_id,
    level: a.level,
    code: a.code,
    name: a.name,
    retiredAt: a.retired_at,
  };
}

function checkCode(db: Db, code: string | null, self: string | null): void {
  if (!code) return;
  const holder = areaByCode(db, code);
  if (holder && holder.id !== self)
    throw conflict([
      `code ${code} already belongs to '${holder.id}' (${holder.name})`,
      `Mã ${code} đã được dùng cho ${holder.name}.`,
    ]);
}

/** The level must be known and below the parent's (the root's is the top). */
function checkLevel(db: Db, level: string, parent: AreaRow | null, children: AreaRow[] = []): void {
  const levels = listLevels(db);
  const index = levels.findIndex((l) => l.id === level);
  const named = (id: string | undefined) => `«${levels.find((l) => l.id === id)?.name ?? id}»`;
  if (index < 0)
    throw badRequest([
      `unknown level '${level}' (levels: ${levels.map((l) => l.id).join(', ')})`,
      `Cấp này không có trong danh sách cấp địa bàn (${levels.map((l) => l.name).join(', ')}).`,
    ]);
  if (!parent && index !== 0)
    throw badRequest([
      `the root's level is the top one, '${levels[0]?.id}'`,
      `Địa bàn gốc phải thuộc cấp cao nhất, cấp ${named(levels[0]?.id)}.`,
    ]);
  const at = (a: AreaRow) => levels.findIndex((l) => l.id === a.level);
  if (parent && index <= at(parent))
    throw badRequest([
      `a ${level} cannot hang from a ${parent.level}`,
      `Địa bàn cấp ${named(level)} không thể trực thuộc ${parent.name} (cấp ${named(parent.level)}).`,
    ]);
  const above = children.find((c) => at(c) <= index);
  if (above)
    throw badRequest([
      `'${above.id}' (a ${above.level}) hangs from it: a ${level} is not above it`,
      `${above.name} (cấp ${named(above.level)}) đang trực thuộc địa bàn này, mà cấp ${named(level)} không cao hơn cấp đó.`,
    ]);
}

export function createArea(db: Db, body: z.output<typeof AreaCreate>, now: Date) {
  let id = body.id ?? idFromName(body.name);
  if (!body.id)
    for (let n = 2; findArea(db, id) || RESERVED.includes(id); n++) id = `${idFromName(body.name)}-${n}`;
  if (RESERVED.includes(id))
    throw badRequest([
      `'${id}' is reserved; choose another id`,
      `Mã «${id}» được hệ thống giữ riêng; vui lòng chọn mã khác.`,
    ]);
  const same = findArea(db, id);
  if (same) throw conflict([`area '${id}' already exists`, `Địa bàn ${same.name} đã có mã «${id}».`]);
  let parent: AreaRow | null = null;
  if (body.parentId === null) {
    const root = liveRoot(db);
    if (root)
      throw conflict([
        `the tree has a root already ('${root.id}', ${root.name})`,
        `Cây địa bàn đã có địa bàn gốc là ${root.name}.`,
      ]);
  } else {
    parent = getAreaRow(db, body.parentId);
    if (parent.retired_at)
      throw badRequest([
        `area '${parent.id}' was merged or split; choose the area it became`,
        `${parent.name} đã được sáp nhập hoặc chia tách; vui lòng chọn địa bàn mới thay thế.`,
      ]);
  }
  checkLevel(db, body.level, parent);
  checkCode(db, body.code, null);
  const row = {
    id,
    parent_id: body.parentId,
    level: body.level,
    code: body.code,
    name: body.name,
    created_at: now.toISOString(),
  };
  db.transaction(() => {
    insertArea(db, row);
    newVersion(db, row, row.created_at);
  })();
  return areaView(getAreaRow(db, id));
}

/** Corrections and moves together, all or nothing: a move that the new level would refuse changes nothing. */
export function changeArea(
  deps: ControllerDeps,
  id: string,
  body: z.output<typeof AreaPatch.schema>,
  principal: Principal | null,
) {
  const { db, clock } = deps;
  const cur = getAreaRow(db, id);
  if (cur.retired_at)
    throw conflict([
      `area '${id}' was merged or split on ${cur.retired_at.slice(0, 10)}`,
      `${cur.name} đã được sáp nhập hoặc chia tách ngày ${localDate(cur.retired_at)}.`,
    ]);
  const { parentId, ...rest } = body;
  if (parentId === null && cur.parent_id !== null)
    throw badRequest([
      'the tree has one root; move an area under another instead',
      'Cây địa bàn chỉ có một địa bàn gốc; hãy chuyển địa bàn này vào dưới một địa bàn khác.',
    ]);
  const republish = db.transaction(() => {
    const next = AreaPatch.apply(
      { name: cur.name, code: cur.code, level: cur.level, parentId: cur.parent_id },
      rest,
    );
    checkCode(db, next.code ?? null, id);
    if (next.level !== cur.level) {
      // the new level is checked against the parent it will have
      const parentOf = parentId ?? cur.parent_id;
      const parent = parentOf ? getAreaRow(db, parentOf) : null;
      const children = db
        .prepare('SELECT * FROM areas WHERE parent_id = ? AND retired_at IS NULL')
        .all(id) as AreaRow[];
      checkLevel(db, next.level, parent, children);
      const row = { ...cur, level: next.level };
      updateArea(db, row);
      newVersion(db, row, clock.now().toISOString());
    }
    const moved =
      parentId && parentId !== cur.parent_id
        ? planAndApply(deps, { operation: 'move', area: id, parent: parentId }, principal, false).republish
        : () => {};
    const row = { ...getAreaRow(db, id), name: next.name, code: next.code ?? null };
    updateArea(db, row);
    correctVersion(db, row);
    return moved;
  })();
  republish();
  return areaView(getAreaRow(db, id));
}

/** What still names an area, in words (English, Vietnamese); empty when it may be removed. */
function usesOf(db: Db, id: string): [en: string, vi: string][] {
  const count = (sql: string, ...args: unknown[]) => (db.prepare(sql).get(...args) as { n: number }).n;
  const like = `%"id":"${id}"%`;
  const uses = [
    [
      count('SELECT COUNT(*) AS n FROM areas WHERE parent_id = ?', id),
      'area(s) hang from it',
      'địa bàn trực thuộc',
    ],
    [
      count('SELECT COUNT(*) AS n FROM station_places WHERE area_id = ?', id),
      'station place(s) in its history',
      'lần đặt đài trong lịch sử',
    ],
    [
      count('SELECT COUNT(*) AS n FROM slots WHERE body LIKE ?', like),
      'slot(s) may target it',
      'khung giờ phát có thể nhắm tới',
    ],
    [
      count('SELECT COUNT(*) AS n FROM quiet_windows WHERE body LIKE ?', like),
      'quiet window(s) may target it',
      'khung giờ không phát có thể nhắm tới',
    ],
    [
      count('SELECT COUNT(*) AS n FROM airtime_policies WHERE body LIKE ?', like),
      'policy(ies) may target it',
      'giới hạn thời lượng phát có thể áp dụng',
    ],
    [
      count('SELECT COUNT(*) AS n FROM alerts WHERE targets_json LIKE ?', like),
      'bulletin(s) may name it',
      'bản tin có thể nhắc tới',
    ],
    [
      count('SELECT COUNT(*) AS n FROM campaigns WHERE area_id = ?', id),
      'campaign(s) belong to it',
      'đợt tuyên truyền thuộc địa bàn',
    ],
    [
      count('SELECT COUNT(*) AS n FROM users, json_each(users.areas) WHERE json_each.value = ?', id),
      'user(s) act in it',
      'người dùng phụ trách',
    ],
  ] as const;
  return uses.filter(([n]) => n > 0).map(([n, en, vi]) => [`${n} ${en}`, `${n} ${vi}`]);
}

/** Removes an area nothing names (a typo just made); one with a history is merged or retired instead. */
export function deleteArea(db: Db, id: string): void {
  const row = getAreaRow(db, id);
  const uses = usesOf(db, id);
  if (uses.length)
    throw conflict([
      `area '${id}' is in use (${uses.map(([en]) => en).join(', ')}): merge it into another instead, which keeps its history`,
      `${row.name} đang được sử dụng (${uses.map(([, vi]) => vi).join(', ')}): hãy sáp nhập vào địa bàn khác để giữ lại lịch sử.`,
    ]);
  deleteAreaRow(db, id);
}
