// The embedded broker's store keeps aedes' persistence contract: aedes-persistence's own abstract suite
// (written for node:test, run here through a small adapter), and its retained-message tree answers every
// pattern as aedes' full scan does.
import assert from 'node:assert';
import { createRequire } from 'node:module';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IndexedPersistence, type RetainedPacket, RetainedTree } from '../../../controller/mqtt/retained.ts';

const require = createRequire(import.meta.url);
type NodeTest = (t: ReturnType<typeof nodeTestContext>) => Promise<void>;
const abstractSuite = require('aedes-persistence/abstract.js') as (opts: {
  test: (name: string, fn: NodeTest) => void;
  persistence: () => unknown;
  testAsync: boolean;
}) => void;
const AedesMemory = require('aedes-persistence/asyncPersistence.js') as new () => IndexedPersistence;
// aedes-persistence's own matcher, for the comparison: what its full scan tests each topic with.
const { QlobberTrue } = createRequire(require.resolve('aedes-persistence'))('qlobber') as {
  QlobberTrue: new (o: object) => { add(p: string): void; test(topic: string): boolean };
};

/** The part of node:test's context the suite uses: `t.assert` (node:assert, counted), `t.plan`, `t.diagnostic`. */
function nodeTestContext() {
  let planned: number | null = null;
  let count = 0;
  const counted =
    <A extends unknown[]>(f: (...a: A) => void) =>
    (...a: A) => {
      count++;
      f(...a);
    };
  return {
    assert: {
      equal: counted(assert.equal),
      notEqual: counted(assert.notEqual),
      deepEqual: counted(assert.deepEqual),
      ok: counted(assert.ok),
    },
    plan: (n: number) => {
      planned = n;
    },
    diagnostic: (_message: string) => {},
    /** node:test fails a test whose count of assertions differs from its plan. */
    checkPlan: () => {
      if (planned !== null) expect(count, 'assertions run against t.plan()').toBe(planned);
    },
  };
}

describe("aedes-persistence's abstract tests, on IndexedPersistence", () => {
  abstractSuite({
    test: (name, fn) =>
      it(name, async () => {
        const t = nodeTestContext();
        await fn(t);
        t.checkPlan();
      }),
    persistence: () => new IndexedPersistence(),
    testAsync: true,
  });
});

const levels = ['loa', 'v1', 'a', 'b', '', '$SYS'];
const topicArb = fc.array(fc.constantFrom(...levels), { minLength: 1, maxLength: 5 }).map((w) => w.join('/'));
const patternArb = fc
  .array(fc.constantFrom(...levels, '+', '+', '#'), { minLength: 1, maxLength: 5 })
  // MQTT allows `#` only as the last level; aedes refuses other patterns before they reach the store.
  .filter((w) => !w.slice(0, -1).includes('#'))
  .map((w) => w.join('/'));

const scan = (topics: Iterable<string>, pattern: string) => {
  const q = new QlobberTrue({ wildcard_one: '+', wildcard_some: '#', separator: '/' });
  q.add(pattern);
  return [...topics].filter((t) => q.test(t)).sort();
};

describe('RetainedTree', () => {
  it('matches what aedes-persistence scans for, after any stores and deletes', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(topicArb, fc.boolean()), { maxLength: 30 }),
        fc.array(patternArb, { minLength: 1, maxLength: 6 }),
        (ops, patterns) => {
          const tree = new RetainedTree();
          const held = new Set<string>();
          for (const [topic, keep] of ops) {
            if (keep) {
              tree.set({ topic, payload: Buffer.from('x') });
              held.add(topic);
            } else {
              tree.delete(topic);
              held.delete(topic);
            }
          }
          expect(tree.size).toBe(held.size);
          for (const p of patterns)
            expect([...tree.match(p)].map((m) => m.topic).sort(), p).toEqual(scan(held, p));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('removes emptied levels, so a deleted topic leaves nothing behind', () => {
    const tree = new RetainedTree();
    tree.set({ topic: 'loa/v1/station/s1/desired', payload: Buffer.from('x') });
    tree.set({ topic: 'loa/v1/station/s1', payload: Buffer.from('y') });
    tree.delete('loa/v1/station/s1/desired');
    expect([...tree.match('#')].map((m) => m.topic)).toEqual(['loa/v1/station/s1']);
    tree.delete('loa/v1/station/s1');
    expect(tree.size).toBe(0);
    expect([...tree.match('#')]).toEqual([]);
  });
});

describe('IndexedPersistence', () => {
  it("answers a station's subscriptions as aedes' memory store does", async () => {
    const ours = new IndexedPersistence();
    const theirs = new AedesMemory();
    const topics = [
      ...['desired', 'presence', 'health'].flatMap((k) => [0, 1, 2].map((i) => `loa/v1/station/s${i}/${k}`)),
      'loa/v1/alerts/city/all/a1',
      'loa/v1/alerts/city/all/a2',
      'loa/v1/alerts/city/all',
      'loa/v1/alerts/city/all/a2/deeper',
      'loa/v1/alerts/district/d1/a3',
    ];
    const store = async (topic: string, payload: Buffer) => {
      const packet: RetainedPacket & object = { topic, payload, ...{ cmd: 'publish', qos: 1, retain: true } };
      await ours.storeRetained(packet);
      await theirs.storeRetained(packet);
    };
    for (const topic of topics) await store(topic, Buffer.from(topic));
    await store('loa/v1/alerts/city/all/a1', Buffer.alloc(0)); // an empty retained message clears it
    const read = async (p: IndexedPersistence, patterns: string[]) => {
      const out: string[] = [];
      for await (const m of p.createRetainedStreamCombi(patterns)) out.push((m as RetainedPacket).topic);
      return out.sort();
    };
    for (const patterns of [
      ['loa/v1/station/s1/desired', 'loa/v1/station/s1/as-run/ack'],
      ['loa/v1/alerts/city/all/+', 'loa/v1/alerts/district/d1/+', 'loa/v1/alerts/ward/w1/+'],
      ['loa/v1/alerts/#'],
      ['loa/v1/station/+/health'],
      ['loa/v1/station/+/+'],
    ])
      expect(await read(ours, patterns), patterns.join(' ')).toEqual(await read(theirs, patterns));
    expect(await read(ours, ['loa/v1/alerts/city/all/+'])).toEqual(['loa/v1/alerts/city/all/a2']);
  });
});
