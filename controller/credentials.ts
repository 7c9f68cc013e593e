// Station credentials: one-time enrolment codes exchanged for a long-lived secret, rotation and revocation.
import { randomInt } from 'node:crypto';
import { z } from 'zod';
import { Id } from '../schedules/model.ts';
import { brokerHash, hashSecret, newSecret } from './auth.ts';
import type { Db } from './db.ts';
import type { ControllerDeps } from './deps.ts';
import { HttpError, notFound } from './errors.ts';
import { clientAddress, type FailureLimiter, refuseIfLocked } from './ratelimit.ts';
import { type AnyRoute, defineRoute } from './routes.ts';
import { stationArea } from './scope.ts';

const ENROLMENT_TTL_MS = 72 * 3_600_000;
// No 0/O, 1/I/L: the code is read aloud on the phone and typed on a Pi's keyboard.
const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

/** Sets a new secret (stored as sha256 and in the broker's format) and returns it; the old one stops working. */
export function issueSecret(db: Db, stationId: string): string {
  const secret = newSecret('st');
  db.prepare(
    `UPDATE stations SET secret_hash = ?, broker_hash = ?, secret_revoked = 0, enrolment_hash = NULL,
       enrolment_expires_at = NULL WHERE id = ?`,
  ).run(hashSecret(secret), brokerHash(secret), stationId);
  return secret;
}

const mustExist = (db: Db, id: string) => {
  if (!db.prepare('SELECT 1 FROM stations WHERE id = ?').get(id)) throw notFound('station', id);
};

const Enrol = z.strictObject({ stationId: Id, code: z.string().min(6).max(40) });

export function credentialRoutes(deps: ControllerDeps, attempts: FailureLimiter): AnyRoute[] {
  const { db, clock, log } = deps;
  const inScope = ({ params }: { params: Record<string, string> }) => {
    mustExist(db, params.id as string);
    return [stationArea(db, params.id as string)];
  };
  return [
    defineRoute({
      method: 'post',
      path: '/api/stations/:id/enrolment',
      tag: 'stations',
      summary:
        'Issue a one-time enrolment code (valid 72 h) to type or scan at install; it replaces any earlier code',
      access: 'user',
      roles: ['technician'],
      area: inScope,
      handle: ({ params }) => {
        const code = Array.from({ length: 12 }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join(
          '',
        );
        const expiresAt = new Date(clock.now().getTime() + ENROLMENT_TTL_MS).toISOString();
        db.prepare('UPDATE stations SET enrolment_hash = ?, enrolment_expires_at = ? WHERE id = ?').run(
          hashSecret(code),
          expiresAt,
          params.id,
        );
        return {
          status: 201,
          json: { stationId: params.id, code: code.replace(/(.{4})(?=.)/g, '$1-'), expiresAt },
        };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/enrol',
      tag: 'stations',
      summary:
        'A station exchanges its enrolment code for its long-lived secret (once); 429 after repeated failures',
      access: 'public',
      body: Enrol,
      responses: { 401: 'unknown, used or expired code', 429: 'too many failed attempts' },
      handle: ({ c, body }) => {
        const key = `enrol:${clientAddress(c)}`;
        refuseIfLocked(c, attempts, [key], 'enrolments');
        const code = body.code.toUpperCase().replace(/[^A-Z0-9]/g, '');
        const row = db
          .prepare('SELECT 1 FROM stations WHERE id = ? AND enrolment_hash = ? AND enrolment_expires_at > ?')
          .get(body.stationId, hashSecret(code), clock.now().toISOString());
        if (!row) {
          attempts.fail(key);
          throw new HttpError(401, 'enrolment_refused', 'unknown, used or expired enrolment code');
        }
        attempts.succeed(key);
        const secret = issueSecret(db, body.stationId);
        deps.stationLinks?.disconnect(body.stationId);
        log.info(`station ${body.stationId} enrolled`);
        return { json: { stationId: body.stationId, secret } };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/stations/:id/secret',
      tag: 'stations',
      summary: 'Rotate the station secret; the old one stops working at once and its connection is closed',
      access: 'admin',
      area: inScope,
      handle: ({ params }) => {
        const secret = issueSecret(db, params.id as string);
        deps.stationLinks?.disconnect(params.id as string);
        return { json: { stationId: params.id, secret } };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/stations/:id/revoke',
      tag: 'stations',
      summary: 'Revoke the station secret (a stolen Pi): logins and clip downloads refused until re-enrolled',
      access: 'user',
      roles: ['technician'],
      area: inScope,
      handle: ({ params }) => {
        db.prepare('UPDATE stations SET secret_revoked = 1, enrolment_hash = NULL WHERE id = ?').run(
          params.id,
        );
        deps.stationLinks?.disconnect(params.id as string);
        log.warn(`station ${params.id}: credentials revoked`);
        return { status: 204, json: null };
      },
    }),
  ];
}
