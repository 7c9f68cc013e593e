// The month-alone soak's instruments: a seeded random generator, a store whose disk can be full, and the
// speakers (relay-on spans and sounds, on the monotonic clock).
import type { Clock } from '../../common/clock.ts';
import { SimRelay } from '../../edge-agent/hardware/relay.ts';
import type { AgentPlayer, PreparedPlay } from '../../edge-agent/playout/player.ts';
import type { AgentStore } from '../../edge-agent/state/store.ts';

/** A small seeded generator, so that a failing month can be run again as it was. */
export function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const WRITES = new Set(['markStarted', 'unmarkStarted', 'recordOutcome', 'setMeta', 'pruneDone']);

/** The store, with every write failing as SQLite does on a full disk while `disk.full`. */
export function onDisk(store: AgentStore, disk: { full: boolean }): AgentStore {
  return new Proxy(store, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver);
      if (typeof v !== 'function') return v;
      if (!WRITES.has(String(prop))) return v.bind(target);
      return (...args: unknown[]) => {
        if (disk.full) throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
        return v.apply(target, args);
      };
    },
  });
}

/** What the speakers did, on the monotonic clock (the wall clock steps): relay-on spans and sounds. */
export class Speakers {
  relayOn: { from: number; to: number | null }[] = [];
  sounds: { entry: string; from: number; to: number | null }[] = [];
  mono = () => performance.now();
  relay(clock: Clock): SimRelay {
    const s = this;
    return new (class extends SimRelay {
      override async set(on: boolean) {
        s.note(on, this.on);
        return super.set(on);
      }
      override offSync() {
        s.note(false, this.on);
        super.offSync();
      }
    })(clock);
  }
  note(on: boolean, was: boolean): void {
    if (on && !was) this.relayOn.push({ from: this.mono(), to: null });
    if (!on && was) (this.relayOn.at(-1) as { to: number | null }).to = this.mono();
  }
  /** The player, noting each sound from its release to its end (or the process's death). */
  player(inner: AgentPlayer): AgentPlayer {
    return {
      prepare: (inputs, opts) => {
        const p = inner.prepare(inputs, opts);
        const wrapped: PreparedPlay = {
          ready: p.ready,
          get isReady() {
            return p.isReady;
          },
          cancel: () => p.cancel(),
          start: (o) => {
            const s = p.start(o);
            const sound = { entry: opts.name, from: this.mono(), to: null as number | null };
            this.sounds.push(sound);
            const end = () => {
              sound.to ??= this.mono();
            };
            s.ended.then(end, end);
            return s;
          },
        };
        return wrapped;
      },
    };
  }
  /** The process died: what sounded ends now; the relay stays as it was until the next start drives it off. */
  died(): void {
    for (const s of this.sounds) s.to ??= this.mono();
  }
}
