// One province's answers to RabbitMQ's auth checks, from its station secrets and the topic rules.
import type { Clock } from '../../common/clock.ts';
import { errorMessage, type Logger } from '../../common/log.ts';
import type { Db } from '../db.ts';
import { verifyStationSecret } from '../stations/credentials.ts';
import { secretOf, stationPlace } from '../stations/store.ts';
import { hashSecret, sameHash } from '../users/secrets.ts';
import { type Answer, type AuthPath, cacheKey, createAnswerCache, createTtlCache } from './cache.ts';
import { type BrokerAuthMetrics, noBrokerAuthMetrics } from './metrics.ts';
import {
  type AccessCheck,
  type Identity,
  identityOf,
  mayAccess,
  mayHoldClientId,
  mqttTopicOf,
  type ProvinceRules,
  type StationPlace,
  stationUsernames,
} from './rules.ts';

export type AuthParams = Readonly<Record<string, string | undefined>>;

/** Answers RabbitMQ's checks: `allow` or `deny`, never a tag, never an error. */
export interface BrokerAuth {
  check(path: AuthPath, params: AuthParams): Promise<Answer>;
  /**
   * A station's credentials changed here (revoked, rotated, enrolled): its cached answers go at once,
   * and for the answers' lifetime and a minute the controller may take its client ids (cut-off.ts).
   */
  forget(stationId: string): void;
}

export interface BrokerAuthDeps {
  db: Db;
  clock: Clock;
  log: Logger;
  rules: ProvinceRules;
  /** The controller's own MQTT password (MQTT_PASSWORD); unset: the controller cannot log in. */
  controllerPassword: string | undefined;
  /** How long an answer is kept (BROKER_AUTH_CACHE_MS); 0: not at all. */
  cacheMs: number;
  cacheMax?: number;
  metrics?: BrokerAuthMetrics;
}

/** How long past the answers' lifetime the controller may still take a changed station's client id. */
const CUT_OFF_MARGIN_MS = 60_000;
/** Longest parameter value considered; anything longer is refused unread. */
const MAX_PARAM = 1024;
const REQUIRED: Record<AuthPath, readonly string[]> = {
  user: ['username', 'password'],
  vhost: ['username', 'vhost'],
  resource: ['username', 'vhost', 'resource', 'name', 'permission'],
  topic: ['username', 'vhost', 'resource', 'name', 'permission', 'routing_key'],
};

/** The parameters RabbitMQ sent, with the client id wherever it came (`client_id` or `variable_map.client_id`). */
export function normalParams(params: AuthParams): AuthParams {
  const clientId = params.client_id ?? params['variable_map.client_id'];
  return clientId === undefined ? params : { ...params, client_id: clientId };
}

/** Why a request cannot be judged at all (a missing or oversized parameter), or null. */
export function malformed(path: AuthPath, params: AuthParams): string | null {
  for (const name of REQUIRED[path]) if (params[name] === undefined) return `missing ${name}`;
  for (const [name, v] of Object.entries(params))
    if (v !== undefined && v.length > MAX_PARAM) return `${name} over ${MAX_PARAM} characters`;
  return null;
}

export function createBrokerAuth(deps: BrokerAuthDeps): BrokerAuth {
  const { db, log, rules } = deps;
  const metrics = deps.metrics ?? noBrokerAuthMetrics;
  const cache = createAnswerCache(deps.clock, deps.cacheMs, deps.cacheMax);
  // what the checks after a login need of a station (whether it may, its area chain), kept as long
  const stations = createTtlCache<{ active: boolean; place?: StationPlace }>(
    deps.clock,
    deps.cacheMs,
    deps.cacheMax ?? 100_000,
  );
  const station = (id: string) => {
    let st = stations.get(id);
    if (!st) {
      const active = secretOf(db, id)?.secret_revoked === 0;
      st = active ? { active, place: stationPlace(db, id) } : { active };
      stations.set(id, st);
    }
    return st;
  };

  /** A station known here and not revoked; the controller always. */
  const active = (who: Identity) => who.kind === 'controller' || station(who.stationId).active;

  // stations whose credentials just changed: the controller may take their client ids for a while, to
  // close a connection still open with the old ones (cut-off.ts), until its second take-over is done
  const cutting = createTtlCache<true>(deps.clock, deps.cacheMs + CUT_OFF_MARGIN_MS, 10_000);
  const cutOff = (username: string) => {
    const who = identityOf(username, rules);
    return who?.kind === 'station' && cutting.get(who.stationId) === true;
  };

  const login = (who: Identity, p: AuthParams): boolean => {
    if (p.client_id !== undefined && !mayHoldClientId(who, p.username as string, p.client_id, cutOff))
      return false;
    if (who.kind === 'station') return verifyStationSecret(db, who.stationId, p.password as string);
    return deps.controllerPassword !== undefined && sameText(deps.controllerPassword, p.password as string);
  };

  const decide = (path: AuthPath, p: AuthParams): boolean => {
    const who = identityOf(p.username as string, rules);
    if (!who) return false;
    if (path === 'user') return login(who, p);
    if (!active(who)) return false;
    const place = () => (who.kind === 'station' ? station(who.stationId).place : undefined);
    return mayAccess(who, rules, { ...p, path } as AccessCheck, place);
  };

  return {
    async check(path, raw) {
      const p = normalParams(raw);
      const why = malformed(path, p);
      if (why) {
        log.warn(`broker-auth: ${path} check for '${clip(p.username)}' refused: ${why}`);
        metrics.checked(path, 'deny', false);
        return 'deny';
      }
      const key = cacheKey(path, p);
      const hit = cache.get(key);
      if (hit) {
        metrics.checked(path, hit, true);
        return hit;
      }
      let answer: Answer;
      try {
        answer = decide(path, p) ? 'allow' : 'deny';
      } catch (e) {
        // the database unreadable, say: a refusal RabbitMQ can live with, not an error page
        log.error(`broker-auth: ${path} check for '${clip(p.username)}' failed: ${errorMessage(e)}; denied`);
        metrics.checked(path, 'deny', false);
        return 'deny';
      }
      // a refused subscribe or publish closes the client's connection at RabbitMQ: worth a line each
      if (answer === 'deny') log.warn(`broker-auth: refused ${refusal(path, p)} for '${clip(p.username)}'`);
      cache.set(key, answer);
      metrics.checked(path, answer, false);
      return answer;
    },
    forget(stationId) {
      stations.delete(stationId);
      // the controller's answers too: a refusal of its take-over of the station's client id, say
      cache.forget([...stationUsernames(stationId, rules), rules.controllerUsername]);
      cutting.set(stationId, true);
    },
  };
}

/** Compares two texts in a time that does not depend on where they differ (their hashes, of one length). */
const sameText = (a: string, b: string) => sameHash(hashSecret(a), hashSecret(b));

/** What was refused, for the log: never the password. */
function refusal(path: AuthPath, p: AuthParams): string {
  if (path === 'user') return 'login';
  if (path === 'vhost') return `vhost '${clip(p.vhost)}'`;
  if (path === 'resource') return `${clip(p.permission)} on ${clip(p.resource)} '${clip(p.name)}'`;
  return `${clip(p.permission)} on topic '${clip(mqttTopicOf(p.routing_key ?? ''))}'`;
}

/** A username as it may appear in a log line: short, printable. */
export const clip = (s: string | undefined) => (s ?? '').slice(0, 80).replace(/[^\x20-\x7e]/g, '?');
