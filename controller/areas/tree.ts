// The areas and area_levels tables, and the tree read whole for work over many stations: chains from the
// root, subtrees, levels in their order.
import type { Db } from '../db.ts';
import { notFound } from '../http/errors.ts';

export interface AreaRow {
  id: string;
  parent_id: string | null;
  level: string;
  /** The national administrative unit code, where it has one. */
  code: string | null;
  /** Vietnamese, with diacritics. */
  name: string;
  created_at: string;
  /** Merged away or split: kept for history and reports, no longer part of the tree. */
  retired_at: string | null;
}

export interface Level {
  id: string;
  name: string;
}

export const listLevels = (db: Db) =>
  db.prepare('SELECT id, name FROM area_levels ORDER BY position').all() as Level[];

export function replaceLevels(db: Db, levels: Level[]): void {
  db.prepare('DELETE FROM area_levels').run();
  const add = db.prepare('INSERT INTO area_levels (position, id, name) VALUES (?, ?, ?)');
  for (const [i, l] of levels.entries()) add.run(i, l.id, l.name);
}

export const findArea = (db: Db, id: string) =>
  db.prepare('SELECT * FROM areas WHERE id = ?').get(id) as AreaRow | undefined;

export function getAreaRow(db: Db, id: string): AreaRow {
  const r = findArea(db, id);
  if (!r) throw notFound('area', id);
  return r;
}

/** The root of the tree in use (the whole province or city), if there is one yet. */
export const liveRoot = (db: Db) =>
  db.prepare('SELECT * FROM areas WHERE parent_id IS NULL AND retired_at IS NULL').get() as
    | AreaRow
    | undefined;

const CHAIN = `WITH RECURSIVE up(id, parent_id, depth) AS (
    SELECT id, parent_id, 0 FROM areas WHERE id = ?
    UNION ALL SELECT a.id, a.parent_id, up.depth + 1 FROM areas a JOIN up ON a.id = up.parent_id WHERE up.depth < 64
  ) SELECT id FROM up ORDER BY depth DESC`;

/** The ids from the root down to this area (empty for an unknown one). */
export const chainOf = (db: Db, id: string): string[] =>
  (chainStatement(db).all(id) as { id: string }[]).map((r) => r.id);

/** Prepared once per database: the broker asks for a chain at every station's SUBSCRIBE (a storm: thousands a second). */
const chainStatements = new WeakMap<Db, ReturnType<Db['prepare']>>();
function chainStatement(db: Db): ReturnType<Db['prepare']> {
  const known = chainStatements.get(db);
  if (known) return known;
  const s = db.prepare(CHAIN);
  chainStatements.set(db, s);
  return s;
}

export const areaByCode = (db: Db, code: string) =>
  db.prepare('SELECT * FROM areas WHERE code = ? AND retired_at IS NULL').get(code) as AreaRow | undefined;

export function insertArea(db: Db, a: Omit<AreaRow, 'retired_at'>): void {
  db.prepare(
    'INSERT INTO areas (id, parent_id, level, code, name, created_at) VALUES (?, ?, ?, ?, ?, ?)',
  ).run(a.id, a.parent_id, a.level, a.code, a.name, a.created_at);
}

export function updateArea(db: Db, a: Pick<AreaRow, 'id' | 'parent_id' | 'level' | 'code' | 'name'>): void {
  db.prepare('UPDATE areas SET parent_id = ?, level = ?, code = ?, name = ? WHERE id = ?').run(
    a.parent_id,
    a.level,
    a.code,
    a.name,
    a.id,
  );
}

export const retireArea = (db: Db, id: string, at: string) =>
  db.prepare('UPDATE areas SET retired_at = ? WHERE id = ?').run(at, id);

export const deleteAreaRow = (db: Db, id: string) => {
  db.prepare('DELETE FROM area_history WHERE area_id = ?').run(id);
  db.prepare('DELETE FROM areas WHERE id = ?').run(id);
};

/** The whole tree in memory: a province of 10,000 stations has a few thousand areas. */
export class AreaTree {
  readonly byId: Map<string, AreaRow>;
  readonly levels: Level[];
  readonly #children = new Map<string | null, string[]>();
  readonly #chains = new Map<string, string[]>();

  constructor(rows: AreaRow[], levels: Level[]) {
    this.byId = new Map(rows.map((r) => [r.id, r]));
    this.levels = levels;
    for (const r of rows) {
      if (r.retired_at) continue;
      const list = this.#children.get(r.parent_id) ?? [];
      list.push(r.id);
      this.#children.set(r.parent_id, list);
    }
  }

  get root(): AreaRow | undefined {
    const id = this.#children.get(null)?.[0];
    return id ? this.byId.get(id) : undefined;
  }

  /** Root first; a retired area keeps the chain it had when it was retired. */
  chain(id: string): string[] {
    const known = this.#chains.get(id);
    if (known) return known;
    const row = this.byId.get(id);
    const chain = !row ? [] : row.parent_id ? [...this.chain(row.parent_id), id] : [id];
    this.#chains.set(id, chain);
    return chain;
  }

  children(id: string | null): string[] {
    return this.#children.get(id) ?? [];
  }

  /** The live areas in and under this one, itself first. */
  subtree(id: string): string[] {
    const out = [id];
    for (let i = 0; i < out.length; i++) out.push(...this.children(out[i] as string));
    return out;
  }

  levelIndex(level: string): number {
    return this.levels.findIndex((l) => l.id === level);
  }

  name(id: string): string {
    return this.byId.get(id)?.name ?? id;
  }
}

export function loadTree(db: Db): AreaTree {
  return new AreaTree(db.prepare('SELECT * FROM areas ORDER BY name, id').all() as AreaRow[], listLevels(db));
}
