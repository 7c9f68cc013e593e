// /api/stream: the listener check Icecast calls (URL authentication) and the stream server's status.
import { createFailureLimiter } from '../../common/backoff.ts';
import type { ControllerDeps } from '../deps.ts';
import { forbidden } from '../http/errors.ts';
import { type AnyRoute, defineRoute } from '../http/route.ts';
import { checkListener, tokenMatches } from './listener-check.ts';

/** Icecast's answer header that lets a listener in (its url auth's `auth_header`). */
export const AUTH_HEADER = 'icecast-auth-user';

export function streamRoutes(deps: ControllerDeps): AnyRoute[] {
  const { db, clock, log } = deps;
  // Wrong station secrets: 5 free, then a lock from 30 s doubling up to 15 min (as for sign-ins).
  const failures = createFailureLimiter(clock, {
    freeFailures: 5,
    baseLockMs: 30_000,
    maxLockMs: 15 * 60_000,
    windowMs: 15 * 60_000,
  });
  return [
    defineRoute({
      method: 'post',
      path: '/api/stream/listener',
      tag: 'stream',
      summary:
        'Icecast asks whether a listener may hear a /relay/ or /live/ mount (URL authentication, form-encoded: ' +
        'action, mount, user, pass, ip); allowed with the header icecast-auth-user: 1. Only for Icecast: ' +
        "the `token` in its URL is the stream server's own",
      access: 'public',
      audit: false,
      responses: { 200: 'allowed (with the header) or refused (without)', 403: 'wrong or missing token' },
      handle: async ({ c }) => {
        // read per call: the composition root may start the stream server after the routes are made
        const gate = deps.stream?.gate;
        if (!gate || !tokenMatches(c.req.query('token') ?? '', gate.token))
          throw forbidden([
            'this route is for the stream server only',
            'Địa chỉ này chỉ dành cho máy chủ truyền phát âm thanh.',
          ]);
        const form = await c.req.parseBody();
        const field = (k: string) => (typeof form[k] === 'string' ? (form[k] as string) : '');
        const verdict = await checkListener(gate, db, failures, {
          action: field('action'),
          mount: field('mount'),
          user: field('user'),
          pass: field('pass'),
          ip: field('ip'),
        });
        if (verdict.allow) {
          c.header(AUTH_HEADER, '1');
          return { json: { allowed: true } };
        }
        log.info(
          `stream: ${field('mount')} refused to "${field('user')}" from ${field('ip')}: ${verdict.reason}`,
        );
        c.header('icecast-auth-message', verdict.reason);
        return { json: { allowed: false, reason: verdict.reason } };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/stream/status',
      tag: 'stream',
      summary: 'The stream server: embedded, external or off, and each relay pull with its listeners',
      access: 'user',
      roles: ['technician', 'viewer'],
      handle: () => ({
        json: {
          kind: deps.stream?.kind ?? 'off',
          running: deps.stream ? (deps.stream.server.process?.running ?? true) : false,
          pulls: deps.stream?.pulls.status() ?? [],
        },
      }),
    }),
  ];
}
