// The tree as the API answers it: every area in depth-first order (children by Vietnamese name) with its
// depth, chain and number of stations; one area with its names through time.
import type { Db } from '../db.ts';
import type { AreaVersion } from './history.ts';
import { type AreaTree, getAreaRow, loadTree } from './tree.ts';

export function treeView(db: Db, withRetired: boolean) {
  const tree = loadTree(db);
  const counts = new Map(
    (
      db.prepare('SELECT area_id, COUNT(*) AS n FROM stations GROUP BY area_id').all() as {
        area_id: string;
        n: number;
      }[]
    ).map((r) => [r.area_id, r.n]),
  );
  const byName = (a: string, b: string) => tree.name(a).localeCompare(tree.name(b), 'vi');
  const out: ReturnType<typeof node>[] = [];
  function node(id: string, depth: number) {
    const a = tree.byId.get(id) as NonNullable<ReturnType<AreaTree['byId']['get']>>;
    return {
      id,
      parentId: a.parent_id,
      level: a.level,
      code: a.code,
      name: a.name,
      depth,
      path: tree.chain(id),
      stations: counts.get(id) ?? 0,
      retiredAt: a.retired_at,
    };
  }
  const walk = (id: string, depth: number) => {
    out.push(node(id, depth));
    for (const c of [...tree.children(id)].sort(byName)) walk(c, depth + 1);
  };
  const root = tree.root;
  if (root) walk(root.id, 0);
  if (withRetired)
    for (const a of [...tree.byId.values()].filter((x) => x.retired_at).sort((x, y) => byName(x.id, y.id)))
      out.push(node(a.id, tree.chain(a.id).length - 1));
  return { levels: tree.levels, areas: out };
}

export function areaDetail(db: Db, id: string) {
  const a = getAreaRow(db, id);
  const tree = loadTree(db);
  return {
    id: a.id,
    parentId: a.parent_id,
    level: a.level,
    code: a.code,
    name: a.name,
    createdAt: a.created_at,
    retiredAt: a.retired_at,
    path: tree.chain(a.id).map((x) => ({ id: x, name: tree.name(x) })),
    children: tree.children(a.id).map((c) => ({ id: c, name: tree.name(c), level: tree.byId.get(c)?.level })),
    stations: db.prepare('SELECT id, name FROM stations WHERE area_id = ? ORDER BY name').all(a.id) as {
      id: string;
      name: string;
    }[],
    /** Its names, codes, places and levels through time (validTo null: now). */
    history: (
      db
        .prepare('SELECT * FROM area_history WHERE area_id = ? ORDER BY valid_from')
        .all(a.id) as AreaVersion[]
    ).map((v) => ({
      validFrom: v.valid_from,
      validTo: v.valid_to,
      name: v.name,
      code: v.code,
      parentId: v.parent_id,
      level: v.level,
    })),
  };
}
