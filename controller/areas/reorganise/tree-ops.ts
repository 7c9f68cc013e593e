// The tree side of a reorganisation, pure: checks (a cycle, a station under two areas, a merge across
// levels, a code that exists...) and the areas and stations as they are afterwards.
import type { AreaRow } from '../tree.ts';
import type { Reorganisation } from './ops.ts';
import { chainIn, Refusal, type Snapshot, type TreeChange } from './snapshot.ts';

/** An id from a Vietnamese name: 'Xã Tân Phú Đông' -> 'xa-tan-phu-dong'. */
export function idFromName(name: string): string {
  const ascii = name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return (ascii || 'khu-vuc').slice(0, 56);
}

export function treeChange(s: Snapshot, op: Reorganisation): TreeChange {
  const areas = new Map([...s.areas].map(([id, a]) => [id, { ...a }]));
  const out: TreeChange = {
    areas,
    created: [],
    changed: [],
    retired: [],
    stations: new Map(),
    replaced: new Map(),
    campaignsTo: new Map(),
  };
  const levelIndex = (level: string) => s.levels.findIndex((l) => l.id === level);
  const live = (id: string, what = 'area'): AreaRow => {
    const a = areas.get(id);
    if (!a) throw new Refusal(`${what} '${id}' does not exist`, 404);
    if (a.retired_at)
      throw new Refusal(`${what} '${id}' was merged or split on ${a.retired_at.slice(0, 10)}`);
    return a;
  };
  const notRoot = (a: AreaRow) => {
    if (!a.parent_id)
      throw new Refusal(`'${a.id}' is the root of the tree: it cannot be moved, merged or split`);
  };
  const liveChildren = (id: string) => [...areas.values()].filter((a) => a.parent_id === id && !a.retired_at);
  const under = (ancestor: string, id: string) => chainIn(areas, id).includes(ancestor);
  const fits = (child: AreaRow, parent: AreaRow) => {
    if (levelIndex(child.level) <= levelIndex(parent.level))
      throw new Refusal(
        `a ${child.level} cannot hang from a ${parent.level} ('${child.id}' under '${parent.id}')`,
      );
  };
  /** Codes must stay unique among the live areas; those retired by this operation free theirs. */
  const codeFree = (code: string | null | undefined, self: string | null, retiring: string[] = []) => {
    if (!code) return;
    const holder = [...areas.values()].find(
      (a) => a.code === code && !a.retired_at && a.id !== self && !retiring.includes(a.id),
    );
    if (holder) throw new Refusal(`code ${code} already belongs to '${holder.id}' (${holder.name})`, 409);
  };
  const freshId = (wanted: string | undefined, name: string, taken: Set<string>) => {
    if (wanted) {
      if (areas.has(wanted) || taken.has(wanted)) throw new Refusal(`area '${wanted}' already exists`, 409);
      return wanted;
    }
    const base = idFromName(name);
    let id = base;
    for (let n = 2; areas.has(id) || taken.has(id); n++) id = `${base}-${n}`;
    return id;
  };
  const create = (row: AreaRow) => {
    areas.set(row.id, row);
    out.created.push(row.id);
  };
  const reparent = (child: AreaRow, parent: string) => {
    child.parent_id = parent;
    out.changed.push(child.id);
  };
  const retire = (a: AreaRow) => {
    a.retired_at = s.at;
    out.retired.push(a.id);
  };

  switch (op.operation) {
    case 'rename': {
      const a = live(op.area);
      if (op.code !== undefined) codeFree(op.code, a.id);
      a.name = op.name;
      if (op.code !== undefined) a.code = op.code;
      out.changed.push(a.id);
      break;
    }
    case 'move': {
      const a = live(op.area);
      notRoot(a);
      const parent = live(op.parent, 'parent area');
      if (under(a.id, parent.id))
        throw new Refusal(
          `moving '${a.id}' under '${parent.id}' would make a cycle: '${parent.id}' lies under it`,
        );
      if (a.parent_id === parent.id) throw new Refusal(`'${a.id}' already hangs from '${parent.id}'`);
      fits(a, parent);
      reparent(a, parent.id);
      break;
    }
    case 'merge': {
      if (new Set(op.areas).size !== op.areas.length)
        throw new Refusal('an area is named twice in the merge');
      const merged = op.areas.map((id) => live(id));
      for (const a of merged) notRoot(a);
      const levels = [...new Set(merged.map((a) => a.level))];
      if (levels.length > 1)
        throw new Refusal(`a merge of areas of different levels (${levels.join(', ')}) is not allowed`);
      const level = levels[0] as string;
      let into: AreaRow;
      if (typeof op.into === 'string') {
        into = live(op.into);
        if (into.level !== level)
          throw new Refusal(`'${into.id}' is a ${into.level}: the ${level}s cannot be merged into it`);
        const inside = merged.find((m) => m.id !== into.id && under(m.id, into.id));
        if (inside) throw new Refusal(`'${into.id}' lies under '${inside.id}', which is merged away`);
      } else {
        const parents = [...new Set(merged.map((a) => a.parent_id))];
        const parentId = op.into.parent ?? (parents.length === 1 ? parents[0] : undefined);
        if (!parentId)
          throw new Refusal('the areas hang from different parents: name the parent of the new area');
        const parent = live(parentId, 'parent area');
        if (merged.some((m) => under(m.id, parent.id)))
          throw new Refusal(`the new area cannot hang from '${parent.id}', which is merged away or under it`);
        codeFree(op.into.code, null, op.areas);
        into = {
          id: freshId(op.into.id, op.into.name, new Set()),
          parent_id: parent.id,
          level,
          code: op.into.code ?? null,
          name: op.into.name,
          created_at: s.at,
          retired_at: null,
        };
        fits(into, parent);
      }
      for (const m of merged) {
        if (m.id === into.id) continue;
        for (const st of s.stations) if (st.areaId === m.id) out.stations.set(st.id, into.id);
        for (const child of liveChildren(m.id)) reparent(child, into.id);
        retire(m);
        out.replaced.set(m.id, [into.id]);
        out.campaignsTo.set(m.id, into.id);
      }
      if (!areas.has(into.id)) create(into);
      break;
    }
    case 'split': {
      const a = live(op.area);
      notRoot(a);
      const taken = new Set<string>();
      const codes = new Set<string>();
      const parts = op.into.map((p) => {
        const id = freshId(p.id, p.name, taken);
        taken.add(id);
        if (p.code) {
          if (codes.has(p.code)) throw new Refusal(`code ${p.code} is given to two parts`, 409);
          codes.add(p.code);
          codeFree(p.code, null, [a.id]);
        }
        return { ...p, id };
      });
      const assign = (
        kind: 'station' | 'area',
        own: string[],
        listed: (p: (typeof parts)[0]) => string[],
      ) => {
        const seen = new Map<string, string>();
        for (const p of parts)
          for (const id of listed(p)) {
            const other = seen.get(id);
            if (other) throw new Refusal(`${kind} '${id}' is put under two areas ('${other}' and '${p.id}')`);
            if (!own.includes(id)) throw new Refusal(`${kind} '${id}' does not hang from '${a.id}'`);
            seen.set(id, p.id);
          }
        const left = own.filter((id) => !seen.has(id));
        if (left.length)
          throw new Refusal(
            `every ${kind} of '${a.id}' goes to one part; none is given for: ${left.join(', ')}`,
          );
        return seen;
      };
      const stations = assign(
        'station',
        s.stations.filter((st) => st.areaId === a.id).map((st) => st.id),
        (p) => p.stations,
      );
      const children = assign(
        'area',
        liveChildren(a.id).map((c) => c.id),
        (p) => p.children,
      );
      for (const p of parts)
        create({
          id: p.id,
          parent_id: a.parent_id,
          level: a.level,
          code: p.code ?? null,
          name: p.name,
          created_at: s.at,
          retired_at: null,
        });
      for (const [st, part] of stations) out.stations.set(st, part);
      for (const [child, part] of children) reparent(areas.get(child) as AreaRow, part);
      retire(a);
      out.replaced.set(
        a.id,
        parts.map((p) => p.id),
      );
      out.campaignsTo.set(a.id, a.parent_id);
      break;
    }
  }
  return out;
}
