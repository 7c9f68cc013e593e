// The entry in hand (preparing or on air): entries are taken in hand one at a time, in the order their
// jobs fire; a newcomer contends with the one in hand by the slot-edge rules, and the one in hand can be cut.
import { errorMessage, type Logger } from '../../common/log.ts';
import type { TimetableEntry } from '../../schedules/model.ts';
import type { ReasonCode } from '../../schedules/reason-words.ts';
import { EntryAbort } from './playout.ts';
import type { EdgeGuard } from './slot-edge.ts';

interface Held {
  entry: TimetableEntry;
  durationMs: number;
  abort: AbortController;
}

export function createInHand(deps: { edge: Pick<EdgeGuard, 'contend'>; log: Logger }) {
  let held: Held | null = null;
  /** Entries queued or in hand: a re-plan does not arm them again. */
  const queued = new Set<string>();
  let chain: Promise<void> = Promise.resolve();
  return {
    get entry(): TimetableEntry | null {
      return held?.entry ?? null;
    },
    /** How long the entry in hand sounds (ms); 0 if none is. */
    get durationMs(): number {
      return held?.durationMs ?? 0;
    },
    has: (entryId: string): boolean => queued.has(entryId),
    /** Forgets an entry that did not go on air, so that the next plan may arm it again. */
    forget(entryId: string): void {
      queued.delete(entryId);
    },
    /** Queues `e` behind the entries before it; `run` takes it in hand in its turn. */
    enqueue(e: TimetableEntry, run: () => Promise<void>): void {
      if (queued.has(e.id)) return;
      queued.add(e.id);
      const before = held;
      if (before && before.entry.id !== e.id) {
        const cut = (reason: ReasonCode, detail: string) =>
          before.abort.abort(new EntryAbort('interrupted', reason, detail));
        deps.edge.contend(before.entry, e, () => held === before, cut);
      }
      chain = chain
        .then(run)
        .catch((err) => deps.log.error(`entry ${e.id}: ${errorMessage(err)}`))
        .finally(() => queued.delete(e.id));
    },
    /** Holds `e` while `fn` puts it on air; `fn`'s signal aborts when `e` is cut or `stop` aborts. */
    async hold<T>(e: TimetableEntry, stop: AbortSignal, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
      const abort = new AbortController();
      const onStop = () => abort.abort(stop.reason);
      stop.addEventListener('abort', onStop, { once: true });
      held = { entry: e, durationMs: Date.parse(e.endsAt) - Date.parse(e.startsAt), abort };
      try {
        return await fn(abort.signal);
      } finally {
        stop.removeEventListener('abort', onStop);
        held = null;
      }
    },
    /** Cuts the entry in hand (only if it is `entryId`, when given), recorded as `why` says. */
    cut(why: EntryAbort, entryId?: string): void {
      if (held && (entryId === undefined || held.entry.id === entryId)) held.abort.abort(why);
    },
    /** Settles when every queued entry is done. */
    drained: (): Promise<void> => chain,
  };
}
