// The embedded broker's store: aedes' in-memory persistence with its retained messages kept in a tree of
// topic levels, so that a SUBSCRIBE is answered by walking to its topic instead of testing every retained
// message the broker holds.
import { createRequire } from 'node:module';
import { Readable } from 'node:stream';

/**
 * aedes-persistence 11 answers every SUBSCRIBE by building a matcher for the pattern and testing it against
 * every retained message (a full scan, even for a pattern without wildcards). A station subscribes to 6
 * patterns and the broker holds about 3 retained messages a station, so at 10,000 stations one station's
 * SUBSCRIBE cost about 100 ms of the controller's thread and bringing a province online was quadratic.
 * Here an exact topic is a walk of its levels, `+` reads the children of one level, and a final `#` the
 * subtree under it; the rest of the store (subscriptions, sessions, wills) is aedes' own.
 */
export interface RetainedPacket {
  topic: string;
  payload: Buffer;
}

interface AsyncMemoryPersistence {
  setup(broker: unknown): Promise<void>;
  storeRetained(packet: RetainedPacket): Promise<void>;
  createRetainedStream(pattern: string): Readable;
  createRetainedStreamCombi(patterns: string[]): Readable;
  destroy(): Promise<void>;
}

// The package has no `exports` map and no types beside this file; the class is its documented memory store.
const MemoryPersistence = createRequire(import.meta.url)('aedes-persistence/asyncPersistence.js') as new (
  opts?: object,
) => AsyncMemoryPersistence;

interface Level {
  children: Map<string, Level> | null;
  packet: RetainedPacket | null;
}

const newLevel = (): Level => ({ children: null, packet: null });

/**
 * Retained messages by topic level. Matching follows aedes' own (qlobber): `#` also matches its parent
 * level, `+` does not match an empty level.
 */
export class RetainedTree {
  #root = newLevel();
  #size = 0;

  get size(): number {
    return this.#size;
  }

  set(packet: RetainedPacket): void {
    let at = this.#root;
    for (const word of packet.topic.split('/')) {
      at.children ??= new Map();
      let next = at.children.get(word);
      if (!next) {
        next = newLevel();
        at.children.set(word, next);
      }
      at = next;
    }
    if (!at.packet) this.#size++;
    at.packet = packet;
  }

  delete(topic: string): void {
    const path: [Level, string][] = [];
    let at: Level | undefined = this.#root;
    for (const word of topic.split('/')) {
      const next: Level | undefined = at.children?.get(word);
      if (!next) return;
      path.push([at, word]);
      at = next;
    }
    if (!at.packet) return;
    at.packet = null;
    this.#size--;
    // Levels left with neither a message nor children are removed, so deleted topics cost nothing.
    for (let i = path.length - 1; i >= 0; i--) {
      const [parent, word] = path[i] as [Level, string];
      const child = parent.children?.get(word) as Level;
      if (child.packet || child.children?.size) break;
      parent.children?.delete(word);
      if (parent.children?.size === 0) parent.children = null;
    }
  }

  /** The retained messages a subscription pattern matches. */
  *match(pattern: string): Generator<RetainedPacket> {
    const words = pattern.split('/');
    if (!pattern.includes('+') && !pattern.includes('#')) {
      let at: Level | undefined = this.#root;
      for (const w of words) at = at?.children?.get(w);
      if (at?.packet) yield at.packet;
      return;
    }
    yield* walk(this.#root, words, 0);
  }

  clear(): void {
    this.#root = newLevel();
    this.#size = 0;
  }
}

function* walk(at: Level, words: string[], i: number): Generator<RetainedPacket> {
  if (i === words.length) {
    if (at.packet) yield at.packet;
    return;
  }
  const word = words[i] as string;
  if (word === '#') {
    // `#` matches zero or more levels: this level's own message and everything under it. One before the
    // last level (not valid MQTT; aedes refuses it before it gets here) is matched word by word.
    for (const p of everything(at))
      if (i === words.length - 1 || matches(words, i, p.topic.split('/'), i)) yield p;
    return;
  }
  if (!at.children) return;
  // As aedes' matcher (qlobber without match_empty_levels): `+` matches one level that is not empty.
  if (word === '+') {
    for (const [w, child] of at.children) if (w) yield* walk(child, words, i + 1);
    return;
  }
  const child = at.children.get(word);
  if (child) yield* walk(child, words, i + 1);
}

/** Whether the topic's levels from j on match the pattern's words from i on (each word before matched one level). */
function matches(words: string[], i: number, topic: string[], j: number): boolean {
  if (i === words.length) return j === topic.length;
  const w = words[i];
  if (w === '#') {
    for (let k = j; k <= topic.length; k++) if (matches(words, i + 1, topic, k)) return true;
    return false;
  }
  if (j === topic.length) return false;
  return ((w === '+' && topic[j] !== '') || w === topic[j]) && matches(words, i + 1, topic, j + 1);
}

function* everything(at: Level): Generator<RetainedPacket> {
  if (at.packet) yield at.packet;
  if (at.children) for (const child of at.children.values()) yield* everything(child);
}

/** aedes' memory persistence with indexed retained messages; pass it as aedes' `persistence` option. */
export class IndexedPersistence extends MemoryPersistence {
  readonly retained = new RetainedTree();

  override async storeRetained(pkt: RetainedPacket): Promise<void> {
    // A copy, as aedes' memory store keeps: the packet it is given is reused by the broker.
    const packet = { ...pkt };
    if (packet.payload.length === 0) this.retained.delete(packet.topic);
    else this.retained.set(packet);
  }

  override createRetainedStream(pattern: string): Readable {
    return Readable.from(this.retained.match(pattern));
  }

  override createRetainedStreamCombi(patterns: string[]): Readable {
    const tree = this.retained;
    return Readable.from(
      (function* () {
        for (const p of patterns) yield* tree.match(p);
      })(),
    );
  }

  override async destroy(): Promise<void> {
    await super.destroy();
    this.retained.clear();
  }
}
