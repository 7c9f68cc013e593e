// The answers of the broker-auth callback, kept a short while: bounded (least recently used out first),
// timed by the injected clock, and dropped at once for a username whose credentials changed.
import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { Clock } from '../../common/clock.ts';

export type Answer = 'allow' | 'deny';
export type AuthPath = 'user' | 'vhost' | 'resource' | 'topic';

export interface AnswerCache {
  get(key: string): Answer | undefined;
  set(key: string, answer: Answer): void;
  /** Drops every answer about these usernames (a revocation or a new secret). */
  forget(usernames: readonly string[]): void;
  readonly size: number;
}

/** Values kept `ttlMs` by the injected clock, at most `max` of them (least recently used out first). */
export function createTtlCache<V extends {}>(clock: Clock, ttlMs: number, max: number) {
  const lru = new LRUCache<string, { value: V; until: number }>({ max });
  return {
    get(key: string): V | undefined {
      const hit = lru.get(key);
      if (!hit) return undefined;
      if (hit.until > clock.now().getTime()) return hit.value;
      lru.delete(key);
      return undefined;
    },
    set(key: string, value: V): void {
      if (ttlMs > 0) lru.set(key, { value, until: clock.now().getTime() + ttlMs });
    },
    delete(key: string): void {
      lru.delete(key);
    },
    keys: () => lru.keys(),
    get size() {
      return lru.size;
    },
  };
}

/** Answers older than `ttlMs` are not used; at most `max` are kept (0 ms: nothing is kept). */
export function createAnswerCache(clock: Clock, ttlMs: number, max = 100_000): AnswerCache {
  const cache = createTtlCache<Answer>(clock, ttlMs, max);
  return {
    get: cache.get,
    set: cache.set,
    forget(usernames) {
      // rare (an operator's action): a walk over the keys beats an index kept on every check
      const prefixes = usernames.map((u) => `${JSON.stringify(u)},`);
      for (const key of [...cache.keys()]) if (prefixes.some((p) => key.startsWith(p))) cache.delete(key);
    },
    get size() {
      return cache.size;
    },
  };
}

/** The parameters that decide an answer, per path (anything else RabbitMQ sends does not change it). */
const DECIDING: Record<AuthPath, readonly string[]> = {
  user: ['password', 'client_id'],
  vhost: ['vhost'],
  resource: ['vhost', 'resource', 'name', 'permission'],
  topic: ['vhost', 'resource', 'name', 'permission', 'routing_key'],
};

/**
 * A request's key: the username first (so `forget` finds it), then the path and its deciding
 * parameters; a password only as its sha256, never itself.
 */
export function cacheKey(path: AuthPath, params: Readonly<Record<string, string | undefined>>): string {
  const parts: (string | null)[] = [params.username ?? null, path];
  for (const name of DECIDING[path]) {
    const v = params[name];
    parts.push(
      v === undefined ? null : name === 'password' ? createHash('sha256').update(v).digest('base64') : v,
    );
  }
  return JSON.stringify(parts).slice(1, -1);
}
