// Who may listen to the stream server: Icecast's URL authentication asks here (listener_add) before it
// serves a /relay/ or /live/ mount, and says when a listener left (listener_remove). A listener is a
// station logging in with its own id and secret (the ones it uses for MQTT); nobody else gets audio.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FailureLimiter } from '../../common/backoff.ts';
import type { Db } from '../db.ts';
import { verifyStationSecret } from '../stations/credentials.ts';
import { MOUNT_PREFIXES } from './icecast-xml.ts';
import type { RelayPulls } from './pulls.ts';

/** What the listener route needs: the token Icecast's calls carry, the pulls, an optional audience rule. */
export interface StreamGate {
  token: string;
  pulls: RelayPulls | null;
  /**
   * Whether station `stationId` may hear `mount` (e.g. a live session's audience); absent: every
   * station may hear every mount.
   */
  mayListen?(mount: string, stationId: string): boolean;
}

export interface ListenerCall {
  action: string;
  mount: string;
  user: string;
  pass: string;
  /** The listener's address as Icecast saw it. */
  ip: string;
}

export type ListenerVerdict = { allow: true; stationId?: string } | { allow: false; reason: string };

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Compares tokens in constant time (their digests, so lengths do not leak either). */
export const tokenMatches = (given: string, token: string) => timingSafeEqual(digest(given), digest(token));

export async function checkListener(
  gate: StreamGate,
  db: Db,
  failures: FailureLimiter,
  call: ListenerCall,
): Promise<ListenerVerdict> {
  if (call.action === 'listener_remove') return { allow: true };
  if (call.action !== 'listener_add') return { allow: false, reason: `unknown action ${call.action}` };
  if (!MOUNT_PREFIXES.some((p) => call.mount.startsWith(p)))
    return { allow: false, reason: 'not a station mount' };
  // Icecast says where the listener comes from: failures lock that address (and the station id tried)
  const keys = [`listen-ip:${call.ip}`, `listen-station:${call.user}`];
  if (keys.some((k) => failures.retryAfterMs(k) > 0))
    return { allow: false, reason: 'too many failed attempts' };
  if (!call.user || !call.pass || !verifyStationSecret(db, call.user, call.pass)) {
    for (const k of keys) failures.fail(k);
    return { allow: false, reason: 'unknown station or wrong secret' };
  }
  failures.succeed(keys[0] as string);
  if (gate.mayListen && !gate.mayListen(call.mount, call.user))
    return { allow: false, reason: 'this station is not an audience of this mount' };
  await gate.pulls?.wanted(call.mount);
  return { allow: true, stationId: call.user };
}
