// Users, passwords (scrypt), bearer tokens for people and secrets for stations.
import { createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import type { Db } from './db.ts';

const scryptAsync = promisify(scrypt) as (pw: string, salt: Buffer, len: number) => Promise<Buffer>;

export type Role = 'admin' | 'technician' | 'reviewer' | 'ward' | 'viewer';
export type Principal =
  | { kind: 'user'; userId: number; username: string; role: Role }
  | { kind: 'station'; stationId: string };

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, 32);
  return `scrypt$${salt.toString('base64')}$${key.toString('base64')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64');
  const actual = await scryptAsync(password, Buffer.from(salt, 'base64'), expected.length);
  return timingSafeEqual(expected, actual);
}

/** Tokens and station secrets are stored only as their sha256. */
export const hashSecret = (secret: string) => createHash('sha256').update(secret).digest('hex');
export const newSecret = (prefix: string) => `${prefix}_${randomBytes(24).toString('base64url')}`;

/** Creates the first admin when there is no user yet; returns the generated password, if any. */
export async function ensureAdmin(db: Db, password: string | undefined, now: Date): Promise<string | null> {
  const count = db.prepare('SELECT COUNT(*) AS n FROM users').get() as { n: number };
  if (count.n > 0) return null;
  const generated = password ? null : randomBytes(12).toString('base64url');
  db.prepare('INSERT INTO users (username, password_hash, role, created_at) VALUES (?, ?, ?, ?)').run(
    'admin',
    await hashPassword(password ?? (generated as string)),
    'admin',
    now.toISOString(),
  );
  return generated;
}

export async function issueToken(
  db: Db,
  username: string,
  password: string,
  now: Date,
  ttlMs: number,
): Promise<{ token: string; expiresAt: string } | null> {
  const user = db.prepare('SELECT id, password_hash FROM users WHERE username = ?').get(username) as
    | { id: number; password_hash: string }
    | undefined;
  // Hash even for unknown users so the answer takes as long either way.
  const ok = await verifyPassword(password, user?.password_hash ?? 'scrypt$AAAA$AAAA');
  if (!user || !ok) return null;
  const token = newSecret('ut');
  const expiresAt = new Date(now.getTime() + ttlMs).toISOString();
  db.prepare('DELETE FROM api_tokens WHERE expires_at <= ?').run(now.toISOString());
  db.prepare('INSERT INTO api_tokens (token_hash, user_id, expires_at, created_at) VALUES (?, ?, ?, ?)').run(
    hashSecret(token),
    user.id,
    expiresAt,
    now.toISOString(),
  );
  return { token, expiresAt };
}

/** Resolves a bearer credential: a user's token or a station's secret. */
export function authenticate(db: Db, bearer: string, now: Date): Principal | null {
  const h = hashSecret(bearer);
  if (bearer.startsWith('st_')) {
    const st = db.prepare('SELECT id FROM stations WHERE secret_hash = ?').get(h) as
      | { id: string }
      | undefined;
    return st ? { kind: 'station', stationId: st.id } : null;
  }
  const row = db
    .prepare(
      `SELECT u.id, u.username, u.role FROM api_tokens t JOIN users u ON u.id = t.user_id
       WHERE t.token_hash = ? AND t.expires_at > ?`,
    )
    .get(h, now.toISOString()) as { id: number; username: string; role: Role } | undefined;
  return row ? { kind: 'user', userId: row.id, username: row.username, role: row.role } : null;
}

/** Station secrets also authenticate MQTT connections (username = station id). */
export function verifyStationSecret(db: Db, stationId: string, secret: string): boolean {
  const st = db.prepare('SELECT secret_hash FROM stations WHERE id = ?').get(stationId) as
    | { secret_hash: string }
    | undefined;
  if (!st) return false;
  const a = Buffer.from(st.secret_hash, 'hex');
  const b = Buffer.from(hashSecret(secret), 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}
