// The official list of administrative units as CSV (code, name, level, parent code), loaded whole: a
// province's tree at once. All rows or none; missing parents and unknown levels refused with the line.
import type { Db } from '../db.ts';
import { HttpError } from '../http/errors.ts';
import { parseCsv } from '../stations/import.ts';
import { correctVersion, newVersion } from './history.ts';
import { idFromName } from './reorganise/tree-ops.ts';
import { type AreaRow, insertArea, type Level, listLevels, liveRoot, updateArea } from './tree.ts';

/** Lower case, no diacritics, words joined by '-': the form headers and level names are compared in. */
const plain = (s: string) => idFromName(s.trim());

/** Headers as the national lists write them, in English or Vietnamese. */
const COLUMNS: Record<string, 'id' | 'code' | 'name' | 'level' | 'parent'> = {
  id: 'id',
  code: 'code',
  ma: 'code',
  'ma-so': 'code',
  'ma-don-vi': 'code',
  name: 'name',
  ten: 'name',
  'ten-don-vi': 'name',
  level: 'level',
  cap: 'level',
  parent: 'parent',
  'parent-code': 'parent',
  'ma-cap-tren': 'parent',
  'ma-don-vi-cap-tren': 'parent',
};

/** A level by its id or any of the words of its name: 'Phường' finds 'Xã/phường/thị trấn'. */
function levelOf(levels: Level[], value: string): Level | undefined {
  const v = plain(value);
  return (
    levels.find((l) => plain(l.id) === v) ??
    levels.find((l) => l.name.split('/').some((part) => plain(part) === v || plain(part).endsWith(`-${v}`)))
  );
}

interface Row {
  line: number;
  id: string | undefined;
  code: string;
  name: string;
  level: Level;
  parent: string;
}

export function importAreas(db: Db, csv: string, now: Date, dryRun: boolean) {
  const rows = parseCsv(csv);
  const header = (rows.shift() ?? []).map((h) => COLUMNS[plain(h)]);
  const problems: string[] = [];
  for (const need of ['code', 'name', 'level', 'parent'] as const)
    if (!header.includes(need))
      problems.push(`the header line must name a ${need} column (code,name,level,parent)`);
  if (problems.length) throw new HttpError(400, 'invalid_csv', `nothing imported: ${problems[0]}`, problems);
  const levels = listLevels(db);
  const cell = (r: string[], k: string) => (r[header.indexOf(k as never)] ?? '').trim();
  const parsed: Row[] = [];
  rows.forEach((r, i) => {
    const line = i + 2;
    const level = levelOf(levels, cell(r, 'level'));
    const row = { line, code: cell(r, 'code'), name: cell(r, 'name'), parent: cell(r, 'parent') };
    if (!row.code || !/^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/.test(row.code))
      problems.push(`line ${line}: no valid code`);
    else if (!row.name) problems.push(`line ${line}: no name`);
    else if (!level)
      problems.push(
        `line ${line}: unknown level '${cell(r, 'level')}' (levels: ${levels.map((l) => l.name).join('; ')})`,
      );
    else parsed.push({ ...row, id: header.includes('id') ? cell(r, 'id') || undefined : undefined, level });
  });
  const byCode = new Map<string, Row>();
  for (const r of parsed) {
    if (byCode.has(r.code)) problems.push(`line ${r.line}: code ${r.code} is listed twice`);
    byCode.set(r.code, r);
  }
  const live = db.prepare('SELECT * FROM areas WHERE retired_at IS NULL').all() as AreaRow[];
  const liveByCode = new Map(live.filter((a) => a.code).map((a) => [a.code as string, a]));
  const taken = new Set((db.prepare('SELECT id FROM areas').all() as { id: string }[]).map((a) => a.id));
  const root = liveRoot(db);
  const index = (l: string) => levels.findIndex((x) => x.id === l);

  // Parents first: a row waits until its parent is in the tree (or the file gives it earlier).
  const placed = new Map<string, { id: string; level: string }>(
    live.filter((a) => a.code).map((a) => [a.code as string, { id: a.id, level: a.level }]),
  );
  const created: { id: string; code: string; name: string; level: string; parentId: string | null }[] = [];
  const updated: { id: string; code: string; name: string; before: string }[] = [];
  let unchanged = 0;
  const failed = new Set<string>();
  const refuse = (r: Row, why: string) => {
    problems.push(`line ${r.line}: ${why}`);
    failed.add(r.code);
  };
  let pending = parsed;
  for (let progress = true; pending.length && progress; ) {
    progress = false;
    const next: Row[] = [];
    for (const r of pending) {
      const existing = liveByCode.get(r.code);
      const parentCode = r.parent;
      const parent = parentCode ? placed.get(parentCode) : null;
      if (parentCode && !parent) {
        progress ||= !byCode.has(parentCode) || failed.has(parentCode);
        if (!byCode.has(parentCode))
          refuse(r, `parent code ${parentCode} is neither in the file nor in the tree`);
        else if (failed.has(parentCode)) refuse(r, `its parent (code ${parentCode}) is refused`);
        else next.push(r);
        continue;
      }
      progress = true;
      if (parent && index(r.level.id) <= index(parent.level)) {
        refuse(r, `a ${r.level.id} cannot hang from a ${parent.level}`);
        continue;
      }
      if (existing) {
        if (existing.level !== r.level.id || (parent?.id ?? null) !== existing.parent_id)
          refuse(
            r,
            `code ${r.code} is '${existing.id}' elsewhere in the tree; move it with a reorganisation`,
          );
        else if (existing.name !== r.name)
          updated.push({ id: existing.id, code: r.code, name: r.name, before: existing.name });
        else unchanged++;
        continue;
      }
      if (!parent) {
        if (index(r.level.id) !== 0) refuse(r, `without a parent it would be the root, a ${levels[0]?.id}`);
        else if (root?.code)
          refuse(r, `the tree's root is ${root.name} (code ${root.code}); give the row its parent`);
        else if (root) {
          // the root made before any code was known (a migrated city) takes the official one
          updated.push({ id: root.id, code: r.code, name: r.name, before: root.name });
          placed.set(r.code, { id: root.id, level: root.level });
        } else placed.set(r.code, add(r, null));
        continue;
      }
      placed.set(r.code, add(r, parent.id));
    }
    pending = next;
  }
  for (const r of pending) problems.push(`line ${r.line}: its chain of parents loops (code ${r.code})`);
  if (problems.length) throw new HttpError(400, 'invalid_csv', `nothing imported: ${problems[0]}`, problems);

  function add(r: Row, parentId: string | null) {
    let id = r.id ?? (/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/.test(r.code) ? r.code : idFromName(r.name));
    if (taken.has(id) && !r.id) id = `${idFromName(r.name)}-${r.code}`.slice(0, 64);
    if (taken.has(id)) problems.push(`line ${r.line}: area '${id}' already exists`);
    taken.add(id);
    created.push({ id, code: r.code, name: r.name, level: r.level.id, parentId });
    return { id, level: r.level.id };
  }

  if (!dryRun) {
    const at = now.toISOString();
    db.transaction(() => {
      for (const c of created) {
        const row = {
          id: c.id,
          parent_id: c.parentId,
          level: c.level,
          code: c.code,
          name: c.name,
          created_at: at,
        };
        insertArea(db, row);
        newVersion(db, row, at);
      }
      for (const u of updated) {
        const cur = db.prepare('SELECT * FROM areas WHERE id = ?').get(u.id) as AreaRow;
        const row = { ...cur, name: u.name, code: u.code };
        updateArea(db, row);
        correctVersion(db, row);
      }
    })();
  }
  return { dryRun, created, updated, unchanged };
}
