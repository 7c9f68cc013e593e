// Users, passwords (scrypt), bearer tokens for people and secrets for stations.
import { createHash, pbkdf2Sync, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import type { Db } from './db.ts';
import type { UserScope } from './scope.ts';

const scryptAsync = promisify(scrypt) as (pw: string, salt: Buffer, len: number) => Promise<Buffer>;

export type Role = 'admin' | 'technician' | 'reviewer' | 'ward' | 'viewer';
export type Principal =
  | { kind: 'user'; userId: number; username: string; role: Role; scope: UserScope }
  | { kind: 'station'; stationId: string };

/** Technicians act in their districts, ward staff in their ward; the others see the whole city. */
export function scopeOf(user: { role: Role; districts: string; ward: string | null }): UserScope {
  const districts = JSON.parse(user.districts) as string[];
  if (user.role === 'ward')
    return user.ward ? { kind: 'ward', ward: user.ward } : { kind: 'districts', ids: [] };
  if (user.role === 'technician' || districts.length > 0) return { kind: 'districts', ids: districts };
  return { kind: 'city' };
}

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

/**
 * A station secret in Mosquitto's password-file format (`$7$`: PBKDF2-SHA512, 12-byte salt, 64-byte
 * key), kept at issue time so an external broker's password file can be written without the secret.
 */
export function brokerHash(secret: string, iterations = 1000): string {
  const salt = randomBytes(12);
  const key = pbkdf2Sync(secret, salt, iterations, 64, 'sha512');
  return `$7$${iterations}$${salt.toString('base64')}$${key.toString('base64')}`;
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

/**
 * Checks a password and issues a token. A console session (`session: true`) also gets a CSRF token,
 * which every state-changing request made with the session cookie must echo in `x-csrf-token`.
 */
export async function issueToken(
  db: Db,
  username: string,
  password: string,
  now: Date,
  ttlMs: number,
  session = false,
): Promise<{ token: string; expiresAt: string; csrfToken?: string } | null> {
  const user = db.prepare('SELECT id, password_hash, disabled FROM users WHERE username = ?').get(username) as
    | { id: number; password_hash: string; disabled: number }
    | undefined;
  // Hash even for unknown users so the answer takes as long either way.
  const ok = await verifyPassword(password, user?.password_hash ?? 'scrypt$AAAA$AAAA');
  if (!user || !ok || user.disabled) return null;
  const token = newSecret(session ? 'us' : 'ut');
  const csrfToken = session ? newSecret('csrf') : undefined;
  const expiresAt = new Date(now.getTime() + ttlMs).toISOString();
  db.prepare('DELETE FROM api_tokens WHERE expires_at <= ?').run(now.toISOString());
  db.prepare(
    'INSERT INTO api_tokens (token_hash, user_id, expires_at, created_at, csrf_hash) VALUES (?, ?, ?, ?, ?)',
  ).run(hashSecret(token), user.id, expiresAt, now.toISOString(), csrfToken ? hashSecret(csrfToken) : null);
  return { token, expiresAt, csrfToken };
}

/** Resolves a bearer credential: a user's token or a station's secret. */
export function authenticate(db: Db, bearer: string, now: Date): Principal | null {
  const h = hashSecret(bearer);
  if (bearer.startsWith('st_')) {
    const st = db.prepare('SELECT id FROM stations WHERE secret_hash = ? AND secret_revoked = 0').get(h) as
      | { id: string }
      | undefined;
    return st ? { kind: 'station', stationId: st.id } : null;
  }
  return userFor(db, h, now, 'bearer');
}

/**
 * Resolves a console session cookie. `csrf` is the request's x-csrf-token for a state-changing
 * request, or null for a read; a missing or wrong one is refused like no session at all.
 */
export function authenticateSession(
  db: Db,
  cookie: string,
  csrf: string | null,
  now: Date,
): Principal | null {
  const principal = userFor(db, hashSecret(cookie), now, 'session');
  if (!principal || csrf === null) return principal;
  const row = db.prepare('SELECT csrf_hash FROM api_tokens WHERE token_hash = ?').get(hashSecret(cookie)) as {
    csrf_hash: string;
  };
  const a = Buffer.from(row.csrf_hash, 'hex');
  const b = Buffer.from(hashSecret(csrf), 'hex');
  return a.length === b.length && timingSafeEqual(a, b) ? principal : null;
}

function userFor(db: Db, tokenHash: string, now: Date, kind: 'bearer' | 'session'): Principal | null {
  const row = db
    .prepare(
      `SELECT u.id, u.username, u.role, u.districts, u.ward FROM api_tokens t JOIN users u ON u.id = t.user_id
       WHERE t.token_hash = ? AND t.expires_at > ? AND t.revoked_at IS NULL AND u.disabled = 0
         AND (t.csrf_hash IS NULL) = ?`,
    )
    .get(tokenHash, now.toISOString(), kind === 'bearer' ? 1 : 0) as
    | { id: number; username: string; role: Role; districts: string; ward: string | null }
    | undefined;
  return row
    ? { kind: 'user', userId: row.id, username: row.username, role: row.role, scope: scopeOf(row) }
    : null;
}

/** Station secrets also authenticate MQTT connections (username = station id). */
export function verifyStationSecret(db: Db, stationId: string, secret: string): boolean {
  const st = db.prepare('SELECT secret_hash, secret_revoked FROM stations WHERE id = ?').get(stationId) as
    | { secret_hash: string; secret_revoked: number }
    | undefined;
  if (!st || st.secret_revoked) return false;
  const a = Buffer.from(st.secret_hash, 'hex');
  const b = Buffer.from(hashSecret(secret), 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

export function revokeToken(db: Db, bearer: string, now: Date): void {
  db.prepare('UPDATE api_tokens SET revoked_at = ? WHERE token_hash = ? AND revoked_at IS NULL').run(
    now.toISOString(),
    hashSecret(bearer),
  );
}
