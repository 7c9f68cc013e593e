// The reconnect back-off: immediate refusals (nothing listening) keep the ceiling; failures double it.
import { describe, expect, it } from 'vitest';
import { attemptEnd, createReconnectBackoff } from '../../common/backoff.ts';

/** A seeded random (mulberry32): the same draws every run. */
function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const backoff = { minMs: 5000, maxMs: 120_000 };
const ceiling = (b: ReturnType<typeof createReconnectBackoff>, end: 'refused' | 'failed' | 'dropped') =>
  b.next(end);

describe('reconnect back-off', () => {
  it('keeps the ceiling at minMs through refusals, doubles it on failures up to maxMs', () => {
    const b = createReconnectBackoff(backoff, () => 1);
    expect(ceiling(b, 'dropped')).toBe(5000);
    for (let i = 0; i < 12; i++) expect(ceiling(b, 'refused')).toBe(5000);
    // the 13th refusal in a row counts as a failure: a broker down for long is not asked at the shortest pace
    expect(ceiling(b, 'refused')).toBe(10_000);
    expect([1, 2, 3, 4, 5].map(() => ceiling(b, 'failed'))).toEqual([
      20_000, 40_000, 80_000, 120_000, 120_000,
    ]);
    b.connected();
    expect(ceiling(b, 'dropped')).toBe(5000);
    expect(ceiling(b, 'failed')).toBe(10_000);
  });

  it('waits a uniform share of the ceiling (full jitter)', () => {
    const b = createReconnectBackoff(backoff, seeded(18));
    const waits = Array.from({ length: 10_000 }, (_, i) => {
      if (i % 10 === 0) b.connected();
      return b.next(i % 10 === 0 ? 'dropped' : 'refused');
    });
    const inRange = waits.every((w) => w >= 0 && w <= 5000);
    const mean = waits.reduce((a, w) => a + w, 0) / waits.length;
    expect(inRange).toBe(true);
    expect(mean).toBeGreaterThan(2400);
    expect(mean).toBeLessThan(2600);
  });

  it('brings a fleet back within minMs of a broker restart, where doubling on refusals did not', () => {
    // 10,000 stations dropped at 0; nothing listens for 6 s (the benchmark's broker restart); each attempt
    // before then is refused at once. Seeded: the same fleet every run.
    const downMs = 6000;
    const backAt = (free: number) => {
      const random = seeded(7);
      const times: number[] = [];
      for (let i = 0; i < 10_000; i++) {
        const b = createReconnectBackoff({ ...backoff, freeRefusals: free }, random);
        let t = b.next('dropped');
        while (t < downMs) t += b.next('refused');
        times.push(t);
      }
      return Math.max(...times);
    };
    expect(backAt(12)).toBeLessThan(downMs + 5000);
    // the old rule (every refusal a failure) left some stations out for over a minute
    expect(backAt(0)).toBeGreaterThan(30_000);
  });

  it('names the end of an attempt from the client error', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1883'), { code: 'ECONNREFUSED' });
    expect(attemptEnd(refused)).toBe('refused');
    expect(attemptEnd(new Error('connack timeout'))).toBe('failed');
    expect(attemptEnd(Object.assign(new Error('x'), { code: 'ECONNRESET' }))).toBe('failed');
    // a working connection lost (a reset by a restarting broker included) starts from minMs, as before
    expect(attemptEnd(Object.assign(new Error('x'), { code: 'ECONNRESET' }), true)).toBe('dropped');
    expect(attemptEnd(null, true)).toBe('dropped');
    expect(attemptEnd(null, false)).toBe('failed');
  });
});
