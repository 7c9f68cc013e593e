// Keeps the clip cache filled: every clip the stored desired state names and the bulletins need, at
// start, after each applied desired state, and every so often for clips still missing.
import type { AgentBus } from '../bus.ts';
import type { AgentStore } from '../state/store.ts';
import type { ClipCache } from './cache.ts';
import type { StationClips } from './station.ts';

export interface ClipSyncDeps {
  clips: Pick<ClipCache, 'prefetch'>;
  stationClips: Pick<StationClips, 'prefetchMore'>;
  store: AgentStore;
  bus: AgentBus;
  /** How often clips still missing are fetched again after the bounded retries gave up (ms). */
  everyMs?: number;
}

const OWNER = 'clip-sync';

export function createClipSync(deps: ClipSyncDeps) {
  const { store, bus } = deps;
  let running: Promise<void> | null = null;
  let timer: NodeJS.Timeout | null = null;
  let abort = new AbortController();

  /** Fetches every clip still missing; a sync already running is joined, not doubled. */
  function sync(): Promise<void> {
    if (running) return running;
    const { signal } = abort;
    const s: Promise<void> = (async () => {
      // every clip the stored state names (slots not yet over), the soonest needed first, bulletins' before
      await deps.clips.prefetch(store.getDesired(), signal, deps.stationClips.prefetchMore());
      bus.emit('clipsSynced', { signal });
    })().finally(() => {
      if (running === s) running = null;
    });
    running = s;
    return s;
  }

  return {
    sync,
    start(): void {
      abort = new AbortController();
      // A sync already running may be working from the previous state; chain a fresh one after it.
      bus.on('desiredApplied', OWNER, () => void (running ? running.then(sync) : sync()));
      void sync();
      timer = setInterval(() => void sync(), deps.everyMs ?? 10 * 60_000);
    },
    async stop(): Promise<void> {
      abort.abort(new Error('agent stopping'));
      bus.removeListeners(OWNER);
      if (timer) clearInterval(timer);
      timer = null;
      await running?.catch(() => {});
    },
  };
}
