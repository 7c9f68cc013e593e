// People's accounts as the admin manages them: the view, the areas a role needs, creation and change.
import { z } from 'zod';
import { Id } from '../../schedules/model.ts';
import { findArea } from '../areas/tree.ts';
import type { Db } from '../db.ts';
import { badRequest, conflict, notFound } from '../http/errors.ts';
import { resourcePatch } from '../http/patch.ts';
import { type Role, scopeOf } from './roles.ts';
import { hashPassword } from './secrets.ts';
import { findUser, insertUser, type UserRow, updateUser, usernameTaken } from './store.ts';

const RoleEnum = z.enum(['admin', 'technician', 'reviewer', 'ward', 'viewer']);
const Password = z.string().min(10, 'password must be at least 10 characters').max(200);
const Areas = z
  .array(Id)
  .max(200)
  .transform((ids) => [...new Set(ids)]);

const UserFields = z.strictObject({
  role: RoleEnum,
  /** Where they act, at any level; technicians and ward staff need at least one. */
  areas: Areas.default([]),
  disabled: z.boolean().default(false),
});
/** As before the area tree: a technician's districts, ward staff's ward (areas with those ids). */
const Legacy = { districts: z.array(Id).max(50).optional(), ward: Id.nullable().optional() };
export const UserCreate = UserFields.extend({
  username: z.string().regex(/^[A-Za-z0-9._-]{3,50}$/, 'username: 3-50 letters, digits, ".", "_" or "-"'),
  password: Password,
  ...Legacy,
});
/** Role, areas, disabled and password each change only when named: disabling never widens a scope. */
export const UserPatch = resourcePatch(
  UserFields.extend({ password: Password, districts: z.array(Id).max(50), ward: Id.nullable() }),
);

export const userView = (r: UserRow) => ({
  id: r.id,
  username: r.username,
  role: r.role,
  areas: JSON.parse(r.areas) as string[],
  disabled: r.disabled === 1,
  scope: scopeOf(r),
  createdAt: r.created_at,
});

/** The areas named the old way (districts, or a ward for ward staff), or undefined when neither is. */
function legacyAreas(
  role: Role,
  b: { districts?: string[] | null; ward?: string | null },
): string[] | undefined {
  if (b.districts == null && b.ward === undefined) return undefined;
  return role === 'ward' ? (b.ward ? [b.ward] : []) : (b.districts ?? []);
}

/** `named`: the areas named in this request by their new name (the old district/ward ids are kept as given). */
function checkAreas(db: Db, u: { role: Role; areas: string[] }, named: string[] | undefined): void {
  if ((u.role === 'technician' || u.role === 'ward') && u.areas.length === 0)
    throw badRequest([
      `${u.role === 'ward' ? 'ward staff need' : 'a technician needs'} at least one area`,
      `${u.role === 'ward' ? 'Cán bộ phường/xã' : 'Kỹ thuật viên'} phải được giao ít nhất một địa bàn.`,
    ]);
  for (const id of named ?? []) {
    const a = findArea(db, id);
    if (!a)
      throw badRequest([`area '${id}' does not exist`, `Không tìm thấy địa bàn có mã «${id}».`], {
        field: 'areas',
      });
    if (a.retired_at)
      throw badRequest([
        `area '${id}' was merged or split; name the area it became`,
        `${a.name} đã được sáp nhập hoặc chia tách; vui lòng chọn địa bàn mới thay thế.`,
      ]);
  }
}

export function getUser(db: Db, id: string): UserRow {
  const r = findUser(db, Number(id));
  if (!r) throw notFound('user', id);
  return r;
}

export async function createUser(db: Db, body: z.output<typeof UserCreate>, now: Date) {
  const { districts, ward, ...rest } = body;
  const old = legacyAreas(body.role, { districts, ward });
  const fields = { ...rest, areas: old ?? body.areas };
  checkAreas(db, fields, old ? undefined : body.areas);
  if (usernameTaken(db, body.username))
    throw conflict([
      `username '${body.username}' is taken`,
      `Tên đăng nhập «${body.username}» đã có người dùng.`,
    ]);
  const passwordHash = await hashPassword(body.password);
  const id = insertUser(db, { ...fields, passwordHash }, body.disabled, now);
  return userView(getUser(db, String(id)));
}

export async function changeUser(db: Db, id: string, body: z.output<typeof UserPatch.schema>, now: Date) {
  const cur = getUser(db, id);
  const { password, districts, ward, ...fields } = body;
  const stored = { role: cur.role, areas: JSON.parse(cur.areas) as string[], disabled: cur.disabled === 1 };
  const old = legacyAreas(fields.role ?? cur.role, { districts, ward });
  const next = UserPatch.apply(stored, old ? { ...fields, areas: old } : fields);
  // A role that needs an area still demands one, whether named now or stored.
  checkAreas(db, next, old ? undefined : fields.areas);
  const hash = password ? await hashPassword(password) : null;
  // A new password, a disabled account or a changed role ends every open session.
  updateUser(db, cur.id, next, hash, !!hash || next.disabled || next.role !== cur.role, now);
  return userView(getUser(db, id));
}
