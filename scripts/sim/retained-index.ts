// A prototype for the fleet benchmark, not part of the controller: an index for aedes' in-memory retained
// messages. aedes-persistence 11 answers every SUBSCRIBE by testing the pattern against every retained
// message it holds (a new Qlobber per pattern, a full scan of its Map), even for a pattern without
// wildcards. A station subscribes to 6 patterns (desired, as-run/ack, its 4 bulletin topics) and the broker
// holds about 3 retained messages per station (desired, presence, health): at 10,000 stations one station's
// SUBSCRIBE costs about 100 ms of the broker's thread, so bringing a province online is quadratic in its size.
// Patched in: exact topics are looked up, patterns ending in `/+` (no other wildcard) read one bucket of
// the topics under their parent; any other pattern goes the original way. What a fix in the controller
// would do with aedes' `persistence` option.
import { createRequire } from 'node:module';
import { Readable } from 'node:stream';

interface RetainedPacket {
  topic: string;
  payload: Buffer;
}
interface Index {
  exact: Map<string, RetainedPacket>;
  byParent: Map<string, Map<string, RetainedPacket>>;
}
interface MemoryProto {
  storeRetained(this: object, pkt: RetainedPacket): Promise<void>;
  createRetainedStream(this: object, pattern: string): Readable;
  createRetainedStreamCombi(this: object, patterns: string[]): Readable;
}

let enabled = false;
let installed = false;

const parentOf = (topic: string) => topic.slice(0, Math.max(0, topic.lastIndexOf('/')));
/** A pattern the index answers: no `#`, and `+` only as its whole last level. */
const indexable = (p: string) =>
  !p.includes('#') && (!p.includes('+') || (p.endsWith('/+') && !p.slice(0, -2).includes('+')));

/**
 * Installs the index on aedes-persistence's memory store (every instance made from now on keeps it up to
 * date) and turns its use on or off; off, subscriptions are answered by the original full scan.
 */
export function useRetainedIndex(on: boolean): void {
  enabled = on;
  if (installed) return;
  installed = true;
  const require = createRequire(import.meta.url);
  const proto = require('aedes-persistence/asyncPersistence.js').prototype as MemoryProto;
  const indexes = new WeakMap<object, Index>();
  const indexOf = (self: object): Index => {
    let i = indexes.get(self);
    if (!i) {
      i = { exact: new Map(), byParent: new Map() };
      indexes.set(self, i);
    }
    return i;
  };
  const { storeRetained, createRetainedStream, createRetainedStreamCombi } = proto;
  proto.storeRetained = function (pkt) {
    const i = indexOf(this);
    const parent = parentOf(pkt.topic);
    if (pkt.payload.length === 0) {
      i.exact.delete(pkt.topic);
      i.byParent.get(parent)?.delete(pkt.topic);
    } else {
      const copy = { ...pkt };
      i.exact.set(pkt.topic, copy);
      let bucket = i.byParent.get(parent);
      if (!bucket) {
        bucket = new Map();
        i.byParent.set(parent, bucket);
      }
      bucket.set(pkt.topic, copy);
    }
    return storeRetained.call(this, pkt);
  };
  function* matches(i: Index, pattern: string): Generator<RetainedPacket> {
    if (!pattern.includes('+')) {
      const p = i.exact.get(pattern);
      if (p) yield p;
    } else {
      const bucket = i.byParent.get(pattern.slice(0, -2));
      if (bucket) yield* bucket.values();
    }
  }
  proto.createRetainedStreamCombi = function (patterns) {
    if (!enabled || !patterns.every(indexable)) return createRetainedStreamCombi.call(this, patterns);
    const i = indexOf(this);
    return Readable.from(
      (function* () {
        for (const p of patterns) yield* matches(i, p);
      })(),
    );
  };
  proto.createRetainedStream = function (pattern) {
    if (!enabled || !indexable(pattern)) return createRetainedStream.call(this, pattern);
    return Readable.from(matches(indexOf(this), pattern));
  };
}
