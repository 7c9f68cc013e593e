// When the runner was last known to be alive (stored, so that after a restart it knows how long it was
// down) and since when it is up (a monotonic clock: the first trusted plan may come long after start).
import type { AgentStore } from '../state/store.ts';

const ALIVE_KEY = 'runner.aliveAt';
/** The stored mark is moved on at most this often between plans. */
const ALIVE_EVERY_MS = 60_000;

export function createAliveMarks(store: Pick<AgentStore, 'getMeta' | 'setMeta'>, monotonic: () => number) {
  let startedMono = 0;
  let firstPlan = true;
  let last = 0;
  const mark = (at: number) => {
    try {
      store.setMeta(ALIVE_KEY, String(at));
      last = at;
    } catch {} // a full disk: marked again at the next check
  };
  return {
    started(): void {
      startedMono = monotonic();
    },
    /** The marks a plan made at `now` reads. */
    at(now: number) {
      const upSince = firstPlan ? now - (monotonic() - startedMono) : now;
      return { firstPlan, upSince, aliveAt: Number(store.getMeta(ALIVE_KEY) ?? upSince) };
    },
    planned(now: number): void {
      mark(now);
      firstPlan = false;
    },
    /** A clock check without a jump: alive now. */
    tick(wall: number): void {
      if (wall - last >= ALIVE_EVERY_MS) mark(wall);
    },
  };
}
