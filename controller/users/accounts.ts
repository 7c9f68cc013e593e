// People's accounts as the admin manages them: the view, the area a role needs, creation and change.
import { z } from 'zod';
import { Id } from '../../schedules/model.ts';
import type { Db } from '../db.ts';
import { badRequest, conflict, notFound } from '../http/errors.ts';
import { resourcePatch } from '../http/patch.ts';
import { type Role, scopeOf } from './roles.ts';
import { hashPassword } from './secrets.ts';
import { findUser, insertUser, type UserRow, updateUser, usernameTaken } from './store.ts';

const RoleEnum = z.enum(['admin', 'technician', 'reviewer', 'ward', 'viewer']);
const Password = z.string().min(10, 'password must be at least 10 characters').max(200);

const UserFields = z.strictObject({
  role: RoleEnum,
  /** Technicians: the districts they plan for. */
  districts: z.array(Id).max(50).default([]),
  /** Ward staff: their ward. */
  ward: Id.nullable().default(null),
  disabled: z.boolean().default(false),
});
export const UserCreate = UserFields.extend({
  username: z.string().regex(/^[A-Za-z0-9._-]{3,50}$/, 'username: 3-50 letters, digits, ".", "_" or "-"'),
  password: Password,
});
/** Role, area, disabled and password each change only when named: disabling never widens a scope. */
export const UserPatch = resourcePatch(UserFields.extend({ password: Password }));

export const userView = (r: UserRow) => ({
  id: r.id,
  username: r.username,
  role: r.role,
  districts: JSON.parse(r.districts) as string[],
  ward: r.ward,
  disabled: r.disabled === 1,
  scope: scopeOf(r),
  createdAt: r.created_at,
});

function checkScopeFields(u: { role: Role; districts: string[]; ward: string | null }): void {
  if (u.role === 'technician' && u.districts.length === 0)
    throw badRequest('a technician needs at least one district');
  if (u.role === 'ward' && !u.ward) throw badRequest('ward staff need a ward');
}

export function getUser(db: Db, id: string): UserRow {
  const r = findUser(db, Number(id));
  if (!r) throw notFound('user', id);
  return r;
}

export async function createUser(db: Db, body: z.output<typeof UserCreate>, now: Date) {
  checkScopeFields(body);
  if (usernameTaken(db, body.username)) throw conflict(`username '${body.username}' is taken`);
  const passwordHash = await hashPassword(body.password);
  const id = insertUser(db, { ...body, passwordHash }, body.disabled, now);
  return userView(getUser(db, String(id)));
}

export async function changeUser(db: Db, id: string, body: z.output<typeof UserPatch.schema>, now: Date) {
  const cur = getUser(db, id);
  const { password, ...fields } = body;
  const next = UserPatch.apply(
    {
      role: cur.role,
      districts: JSON.parse(cur.districts) as string[],
      ward: cur.ward,
      disabled: cur.disabled === 1,
    },
    fields,
  );
  // A role that needs a district or a ward still demands one, whether named now or stored.
  checkScopeFields(next);
  const hash = password ? await hashPassword(password) : null;
  // A new password, a disabled account or a changed role ends every open session.
  updateUser(db, cur.id, next, hash, !!hash || next.disabled || next.role !== cur.role, now);
  return userView(getUser(db, id));
}
