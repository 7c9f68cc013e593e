// The users and api_tokens tables: accounts, and the tokens and console sessions issued to them.
import type { Db } from '../db.ts';
import type { Role } from './roles.ts';

export interface UserRow {
  id: number;
  username: string;
  role: Role;
  /** JSON array of area ids: where a technician, ward staff or a scoped reader acts */
  areas: string;
  disabled: number;
  created_at: string;
}

export const countUsers = (db: Db) =>
  (db.prepare('SELECT COUNT(*) AS n FROM users').get() as { n: number }).n;

export const listUsers = (db: Db) => db.prepare('SELECT * FROM users ORDER BY username').all() as UserRow[];

export const findUser = (db: Db, id: number) =>
  db.prepare('SELECT * FROM users WHERE id = ?').get(id) as UserRow | undefined;

export const usernameTaken = (db: Db, username: string) =>
  !!db.prepare('SELECT 1 FROM users WHERE username = ?').get(username);

/** A new account; answers its id. */
export function insertUser(
  db: Db,
  u: { username: string; passwordHash: string; role: Role; areas: string[] },
  disabled: boolean,
  now: Date,
): number {
  const r = db
    .prepare(
      `INSERT INTO users (username, password_hash, role, areas, disabled, created_at)
       VALUES (?, ?, ?, ?, ?, ?)`,
    )
    .run(u.username, u.passwordHash, u.role, JSON.stringify(u.areas), disabled ? 1 : 0, now.toISOString());
  return Number(r.lastInsertRowid);
}

/** Role, area and state of an account; a new password hash if given; and, if asked, its open sessions ended. */
export function updateUser(
  db: Db,
  id: number,
  next: { role: Role; areas: string[]; disabled: boolean },
  passwordHash: string | null,
  endSessions: boolean,
  now: Date,
): void {
  db.transaction(() => {
    db.prepare('UPDATE users SET role = ?, areas = ?, disabled = ? WHERE id = ?').run(
      next.role,
      JSON.stringify(next.areas),
      next.disabled ? 1 : 0,
      id,
    );
    if (passwordHash) db.prepare('UPDATE users SET password_hash = ? WHERE id = ?').run(passwordHash, id);
    if (endSessions) {
      db.prepare('UPDATE api_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL').run(
        now.toISOString(),
        id,
      );
    }
  })();
}

export const credentialsOf = (db: Db, username: string) =>
  db.prepare('SELECT id, password_hash, disabled FROM users WHERE username = ?').get(username) as
    | { id: number; password_hash: string; disabled: number }
    | undefined;

/** Stores a token (and a session's CSRF token) by their hashes, forgetting expired ones. */
export function insertToken(
  db: Db,
  t: { tokenHash: string; userId: number; expiresAt: string; csrfHash: string | null },
  now: Date,
): void {
  db.prepare('DELETE FROM api_tokens WHERE expires_at <= ?').run(now.toISOString());
  db.prepare(
    'INSERT INTO api_tokens (token_hash, user_id, expires_at, created_at, csrf_hash) VALUES (?, ?, ?, ?, ?)',
  ).run(t.tokenHash, t.userId, t.expiresAt, now.toISOString(), t.csrfHash);
}

/** The live user behind a token hash: a bearer token (no CSRF hash) or a session (with one). */
export const userByToken = (db: Db, tokenHash: string, now: Date, kind: 'bearer' | 'session') =>
  db
    .prepare(
      `SELECT u.id, u.username, u.role, u.areas FROM api_tokens t JOIN users u ON u.id = t.user_id
       WHERE t.token_hash = ? AND t.expires_at > ? AND t.revoked_at IS NULL AND u.disabled = 0
         AND (t.csrf_hash IS NULL) = ?`,
    )
    .get(tokenHash, now.toISOString(), kind === 'bearer' ? 1 : 0) as
    | { id: number; username: string; role: Role; areas: string }
    | undefined;

export const csrfHashOf = (db: Db, tokenHash: string) =>
  (
    db.prepare('SELECT csrf_hash FROM api_tokens WHERE token_hash = ?').get(tokenHash) as {
      csrf_hash: string;
    }
  ).csrf_hash;

export function revokeTokenHash(db: Db, tokenHash: string, now: Date): void {
  db.prepare('UPDATE api_tokens SET revoked_at = ? WHERE token_hash = ? AND revoked_at IS NULL').run(
    now.toISOString(),
    tokenHash,
  );
}

/** Users whose areas name one of these (a reorganisation rewrites them). */
export const usersInAreas = (db: Db, areaIds: string[]) =>
  (db.prepare('SELECT * FROM users').all() as UserRow[]).filter((u) =>
    (JSON.parse(u.areas) as string[]).some((a) => areaIds.includes(a)),
  );

export const setUserAreas = (db: Db, id: number, areas: string[]) =>
  db.prepare('UPDATE users SET areas = ? WHERE id = ?').run(JSON.stringify(areas), id);
