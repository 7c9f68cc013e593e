// The agent's event bus: its long-lived parts (runner, overrides, bulletins, clip sync, link) tell one another
// what happened through it rather than through callbacks wired by hand, as zigbee2mqtt's eventBus does.
import { errorMessage, type Logger } from '../common/log.ts';
import type { DesiredState, StationInfo, TimetableEntry } from '../schedules/model.ts';
import type { Override } from '../schedules/overrides.ts';
import type { AsRunRecord } from '../schedules/protocol.ts';
import type { ReasonCode } from '../schedules/reason-words.ts';

/** Every event and its payload. Events say what happened; a listener never answers the emitter. */
export interface AgentEvents {
  /** A desired state for this station, newer than the applied one, came over MQTT. */
  desiredReceived: DesiredState;
  /** A desired state was stored; `previous` is the station as the one before it described it. */
  desiredApplied: { state: DesiredState; previous: StationInfo | null };
  /** A message came on one of the station's bulletin topics (not yet validated). */
  bulletinReceived: { topic: string; payload: Buffer };
  /** A bulletin's state changed and waits to be reported. */
  bulletinStatusChanged: { alertId: string };
  /** An override was made or cancelled (it is stored). */
  overrideChanged: Override;
  /** Something the timetable depends on changed outside the desired state and the overrides. */
  replanNeeded: { why: string };
  /** The runner made a plan; these are its entries. */
  planned: readonly TimetableEntry[];
  /** An entry went on air (the relay went on for it). */
  entryOnAir: TimetableEntry;
  /** An entry's first sample left for the audio output. */
  entrySounding: TimetableEntry;
  /** The relay or the entry in hand changed. */
  onAirChanged: undefined;
  /** An as-run record was committed to the outbox. */
  recordCommitted: AsRunRecord;
  /** The entry `entryId` is to be cut if it is in hand, and recorded with this outcome and reason. */
  cutRequested: { entryId: string; outcome: 'interrupted' | 'failed'; reason: ReasonCode; detail: string };
  /** The relay watchdog switched the relay off after it was on for longer than `limitMs`. */
  relayTripped: { onForMs: number; limitMs: number };
  /** The wall clock came to be trusted after the agent started without trusting it. */
  clockTrusted: undefined;
  /** A clip sync ended (every clip cached or given up); `signal` aborts when the agent stops. */
  clipsSynced: { signal: AbortSignal };
}

type Listener<P> = (payload: P) => void | Promise<void>;
type Payload<P> = [P] extends [undefined] ? [] : [payload: P];

export interface Bus<E> {
  /** Calls `listener` on each `event` until removed; `owner` names the part (its removal key and its logs). */
  on<K extends keyof E>(event: K, owner: string, listener: Listener<E[K]>): () => void;
  /** Calls the listeners in the order they came, at once; one that throws or rejects is logged and skipped. */
  emit<K extends keyof E>(event: K, ...payload: Payload<E[K]>): void;
  /** Removes every listener of `owner` (a part's stop()). */
  removeListeners(owner: string): void;
  listenerCount(event: keyof E): number;
}

export type AgentBus = Bus<AgentEvents>;

export function createBus<E>(log: Logger): Bus<E> {
  const listeners = new Map<keyof E, { owner: string; fn: Listener<never> }[]>();
  const failed = (owner: string, event: keyof E) => (err: unknown) =>
    log.error(`bus: ${owner} failed on ${String(event)}: ${errorMessage(err)}`);
  return {
    on(event, owner, listener) {
      const entry = { owner, fn: listener as Listener<never> };
      listeners.set(event, [...(listeners.get(event) ?? []), entry]);
      return () =>
        listeners.set(
          event,
          (listeners.get(event) ?? []).filter((l) => l !== entry),
        );
    },
    emit(event, ...[payload]) {
      for (const { owner, fn } of listeners.get(event) ?? []) {
        try {
          const done = (fn as Listener<typeof payload>)(payload);
          if (done instanceof Promise) done.catch(failed(owner, event));
        } catch (err) {
          failed(owner, event)(err);
        }
      }
    },
    removeListeners(owner) {
      for (const [event, list] of listeners)
        listeners.set(
          event,
          list.filter((l) => l.owner !== owner),
        );
    },
    listenerCount: (event) => listeners.get(event)?.length ?? 0,
  };
}

export const createAgentBus = (log: Logger): AgentBus => createBus<AgentEvents>(log);
