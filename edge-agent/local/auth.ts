// Ward staff sign-in on the station's page: the PIN's scrypt hash, sessions with CSRF tokens, back-off.
import { createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { type BackoffOptions, createFailureLimiter } from '../../common/backoff.ts';
import type { Clock } from '../../common/clock.ts';

/** scrypt cost: 16 MB and roughly 0.1-0.3 s on a Raspberry Pi 3/4 per attempt. */
const PARAMS = { N: 16_384, r: 8, p: 1 };
const KEY_BYTES = 32;
export const MIN_PIN_LENGTH = 4;
export const MAX_PIN_LENGTH = 128;

function derive(pin: string, salt: Buffer, N: number, r: number, p: number, len: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(pin.normalize('NFC'), salt, len, { N, r, p, maxmem: 256 * N * r }, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  );
}

/** Why a PIN cannot be used, or null. */
export function pinProblem(pin: string): string | null {
  if ([...pin].length < MIN_PIN_LENGTH)
    return `the PIN needs at least ${MIN_PIN_LENGTH} digits or characters`;
  if (pin.length > MAX_PIN_LENGTH) return `the PIN is longer than ${MAX_PIN_LENGTH} characters`;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: a PIN with control characters is a typing accident
  if (/[\u0000-\u001f\u007f]/.test(pin)) return 'the PIN contains control characters';
  return null;
}

/** `scrypt$N$r$p$<salt base64>$<key base64>`: the parameters travel with the hash. */
export async function hashPin(pin: string): Promise<string> {
  const problem = pinProblem(pin);
  if (problem) throw new Error(problem);
  const salt = randomBytes(16);
  const key = await derive(pin, salt, PARAMS.N, PARAMS.r, PARAMS.p, KEY_BYTES);
  return `scrypt$${PARAMS.N}$${PARAMS.r}$${PARAMS.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

/** Parses a stored hash; null when it is not one this code wrote (the config check names it). */
export function parsePinHash(stored: string) {
  const m = /^scrypt\$(\d+)\$(\d+)\$(\d+)\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)$/.exec(stored);
  if (!m) return null;
  const [N, r, p] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const salt = Buffer.from(m[4] as string, 'base64');
  const key = Buffer.from(m[5] as string, 'base64');
  const powerOfTwo = N > 1 && (N & (N - 1)) === 0;
  if (!powerOfTwo || N > 2 ** 20 || r < 1 || r > 32 || p < 1 || p > 16 || salt.length < 8 || key.length < 16)
    return null;
  return { N, r, p, salt, key };
}

export async function verifyPin(pin: string, stored: string): Promise<boolean> {
  const h = parsePinHash(stored);
  if (!h || pin.length > MAX_PIN_LENGTH) return false;
  const actual = await derive(pin, h.salt, h.N, h.r, h.p, h.key.length);
  return timingSafeEqual(actual, h.key);
}

export interface Session {
  name: string;
  csrfToken: string;
  expiresAt: number;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** Sessions live in memory: a restart of the agent signs everyone out (the overrides stay). */
export function createSessions(clock: Clock, ttlMs: number, max = 200) {
  const byHash = new Map<string, Session>();
  const now = () => clock.now().getTime();
  return {
    create(name: string): { token: string; session: Session } {
      const token = randomBytes(32).toString('base64url');
      const session = { name, csrfToken: randomBytes(24).toString('base64url'), expiresAt: now() + ttlMs };
      for (const [h, s] of byHash) if (s.expiresAt <= now()) byHash.delete(h);
      if (byHash.size >= max) byHash.delete(byHash.keys().next().value as string);
      byHash.set(sha256(token), session);
      return { token, session };
    },
    get(token: string | undefined): Session | null {
      if (!token) return null;
      const h = sha256(token);
      const s = byHash.get(h);
      if (!s) return null;
      if (s.expiresAt <= now()) {
        byHash.delete(h);
        return null;
      }
      return s;
    },
    end(token: string | undefined): boolean {
      return token ? byHash.delete(sha256(token)) : false;
    },
  };
}
export type Sessions = ReturnType<typeof createSessions>;

/** Constant-time comparison of a CSRF token. */
export function csrfMatches(session: Session, given: string | undefined | null): boolean {
  if (!given) return false;
  const a = Buffer.from(sha256(session.csrfToken), 'hex');
  const b = Buffer.from(sha256(given), 'hex');
  return timingSafeEqual(a, b);
}

/** The fifth wrong PIN in a row from one address locks it for 30 s, each further one doubles that, to 15 min. */
export const PIN_BACKOFF: BackoffOptions = {
  freeFailures: 4,
  baseLockMs: 30_000,
  maxLockMs: 15 * 60_000,
  windowMs: 60 * 60_000,
};

/** The same back-off as the controller's sign-in, per client address, at most 10,000 addresses. */
export const createPinLimiter = (clock: Clock, opts: BackoffOptions = PIN_BACKOFF) =>
  createFailureLimiter(clock, opts, 10_000);
