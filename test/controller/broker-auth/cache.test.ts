// The answers' cache with an injected clock: kept for its lifetime and no longer, bounded, keyed without the
// password, and dropped at once for a station whose credentials changed at this controller.
import { afterEach, describe, expect, it } from 'vitest';
import { cacheKey, createAnswerCache } from '../../../controller/broker-auth/cache.ts';
import { issueSecret } from '../../../controller/stations/credentials.ts';
import { revokeSecret } from '../../../controller/stations/store.ts';
import type { SimCredential } from '../../../scripts/sim/messages.ts';
import { type AuthFixture, authFixture } from './fixture.ts';

let t = Date.parse('2026-12-05T08:00:00Z');
const clock = { now: () => new Date(t) };
let f: AuthFixture | null = null;
afterEach(() => f?.cleanup());

describe('the answer cache', () => {
  it('keeps an answer for its lifetime, then asks again', () => {
    const cache = createAnswerCache(clock, 5000);
    cache.set('k', 'allow');
    t += 4999;
    expect(cache.get('k')).toBe('allow');
    t += 1;
    expect(cache.get('k')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('keeps nothing with a lifetime of 0, and at most `max` answers', () => {
    const none = createAnswerCache(clock, 0);
    none.set('k', 'allow');
    expect(none.get('k')).toBeUndefined();
    const small = createAnswerCache(clock, 5000, 2);
    small.set('a', 'allow');
    small.set('b', 'deny');
    small.get('a');
    small.set('c', 'allow');
    expect([small.get('a'), small.get('b'), small.get('c')]).toEqual(['allow', undefined, 'allow']);
  });

  it('keys a password by its hash, and forgets by username only', () => {
    const key = cacheKey('user', { username: 'st-1@can-tho', password: 'the-secret' });
    expect(key).not.toContain('the-secret');
    expect(key).not.toBe(cacheKey('user', { username: 'st-1@can-tho', password: 'other' }));
    const cache = createAnswerCache(clock, 5000);
    cache.set(key, 'allow');
    const other = cacheKey('user', { username: 'st-10@can-tho', password: 'the-secret' });
    cache.set(other, 'allow');
    cache.forget(['st-1@can-tho']);
    expect([cache.get(key), cache.get(other)]).toEqual([undefined, 'allow']);
  });
});

describe("a province's cache and its stations' credentials", () => {
  it('answers from the cache until the lifetime, so a revocation elsewhere shows within it', async () => {
    f = authFixture({ clock, cacheMs: 5000 });
    const a = f.stations[0] as SimCredential;
    const form = { username: `${a.id}@can-tho`, password: a.secret };
    expect((await f.ask('user', form)).text).toBe('allow');
    // revoked in the database by another process: this one learns it when its answer expires
    revokeSecret(f.db, a.id);
    t += 4000;
    expect((await f.ask('user', form)).text).toBe('allow');
    t += 1000;
    expect((await f.ask('user', form)).text).toBe('deny');
  });

  it('drops a rotated secret at once, and the new one logs in', async () => {
    f = authFixture({ clock, cacheMs: 60_000 });
    const a = f.stations[0] as SimCredential;
    expect((await f.ask('user', { username: a.id, password: a.secret })).text).toBe('allow');
    const fresh = issueSecret(f.db, a.id);
    f.auth.forget(a.id);
    expect((await f.ask('user', { username: a.id, password: a.secret })).text).toBe('deny');
    expect((await f.ask('user', { username: `${a.id}@can-tho`, password: fresh })).text).toBe('allow');
  });
});
