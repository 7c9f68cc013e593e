// Secrets and the forms they are stored in: scrypt for passwords, sha256 for tokens and station
// secrets, and Mosquitto's $7$ hash for an external broker's password file.
import { createHash, pbkdf2Sync, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

const scryptAsync = promisify(scrypt) as (pw: string, salt: Buffer, len: number) => Promise<Buffer>;

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

/** Whether two stored sha256 hex digests are equal, compared in constant time. */
export function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
}
