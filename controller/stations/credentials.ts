// Station credentials: one-time enrolment codes exchanged for a long-lived secret, rotation, revocation,
// and the secret's check when a station logs in to the broker.
import { randomInt } from 'node:crypto';
import type { Context } from 'hono';
import type { FailureLimiter } from '../../common/backoff.ts';
import type { Db } from '../db.ts';
import { HttpError } from '../http/errors.ts';
import { clientAddress, refuseIfLocked } from '../http/ratelimit.ts';
import { brokerHash, hashSecret, newSecret, sameHash } from '../users/secrets.ts';
import { enrolmentCodeValid, secretOf, setEnrolmentCode, setSecret } from './store.ts';

const ENROLMENT_TTL_MS = 72 * 3_600_000;
// No 0/O, 1/I/L: the code is read aloud on the phone and typed on a Pi's keyboard.
const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

/** Sets a new secret (stored as sha256 and in the broker's format) and returns it; the old one stops working. */
export function issueSecret(db: Db, stationId: string): string {
  const secret = newSecret('st');
  setSecret(db, stationId, hashSecret(secret), brokerHash(secret));
  return secret;
}

/** A new one-time code (valid 72 h), replacing any earlier one; shown in groups of four. */
export function issueEnrolmentCode(db: Db, stationId: string, now: Date) {
  const code = Array.from({ length: 12 }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join('');
  const expiresAt = new Date(now.getTime() + ENROLMENT_TTL_MS).toISOString();
  setEnrolmentCode(db, stationId, hashSecret(code), expiresAt);
  return { stationId, code: code.replace(/(.{4})(?=.)/g, '$1-'), expiresAt };
}

/**
 * A station exchanges its code for its secret, once; 401 for an unknown, used or expired code, and 429
 * after repeated failures from one address.
 */
export function enrol(
  db: Db,
  c: Context,
  attempts: FailureLimiter,
  body: { stationId: string; code: string },
  now: Date,
): string {
  const key = `enrol:${clientAddress(c)}`;
  refuseIfLocked(c, attempts, [key], 'enrolments');
  const code = body.code.toUpperCase().replace(/[^A-Z0-9]/g, '');
  if (!enrolmentCodeValid(db, body.stationId, hashSecret(code), now)) {
    attempts.fail(key);
    throw new HttpError(401, 'enrolment_refused', 'unknown, used or expired enrolment code');
  }
  attempts.succeed(key);
  return issueSecret(db, body.stationId);
}

/** Station secrets also authenticate MQTT connections (username = station id). */
export function verifyStationSecret(db: Db, stationId: string, secret: string): boolean {
  const st = secretOf(db, stationId);
  if (!st || st.secret_revoked) return false;
  return sameHash(st.secret_hash, hashSecret(secret));
}
