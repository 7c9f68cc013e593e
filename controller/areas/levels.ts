// The deployment's ordered levels of areas (province, district, commune, village...): replaced whole,
// refused if an area would lose its level or hang from a level not above its own.
import { z } from 'zod';
import { Id } from '../../schedules/model.ts';
import type { Db } from '../db.ts';
import { badRequest } from '../http/errors.ts';
import { type AreaRow, listLevels, replaceLevels } from './tree.ts';

export const Levels = z.strictObject({
  levels: z
    .array(z.strictObject({ id: Id, name: z.string().trim().min(1).max(100) }))
    .min(1)
    .max(12)
    .refine((l) => new Set(l.map((x) => x.id)).size === l.length, 'a level is listed once'),
});

export function setLevels(db: Db, body: z.output<typeof Levels>) {
  const index = new Map(body.levels.map((l, i) => [l.id, i]));
  const areas = db.prepare('SELECT * FROM areas').all() as AreaRow[];
  const byId = new Map(areas.map((a) => [a.id, a]));
  const missing = [...new Set(areas.map((a) => a.level))].filter((l) => !index.has(l));
  if (missing.length)
    throw badRequest([
      `level(s) still used by areas: ${missing.join(', ')}`,
      `Không thể bỏ cấp ${missing.map((l) => `«${listLevels(db).find((x) => x.id === l)?.name ?? l}»`).join(', ')} vì vẫn còn địa bàn thuộc cấp đó.`,
    ]);
  const named = (id: string) => `«${body.levels.find((l) => l.id === id)?.name ?? id}»`;
  for (const a of areas) {
    if (a.retired_at) continue;
    const parent = a.parent_id ? byId.get(a.parent_id) : undefined;
    if (!parent && index.get(a.level) !== 0)
      throw badRequest([
        `the root '${a.id}' is a ${a.level}: it must be the top level`,
        `Địa bàn gốc ${a.name} thuộc cấp ${named(a.level)}: cấp đó phải đứng đầu danh sách.`,
      ]);
    if (parent && (index.get(a.level) as number) <= (index.get(parent.level) as number))
      throw badRequest([
        `'${a.id}' (a ${a.level}) hangs from '${parent.id}' (a ${parent.level}): keep ${parent.level} above`,
        `${a.name} (cấp ${named(a.level)}) trực thuộc ${parent.name} (cấp ${named(parent.level)}): cấp ${named(parent.level)} phải đứng trên.`,
      ]);
  }
  db.transaction(() => replaceLevels(db, body.levels))();
  return listLevels(db);
}
