// Bulletins at the station: received from the alert topics, clip fetched, planned by the precedence rules,
// and their state (received, held, started, finished, failed ...) reported back to the controller.
import type { Clock } from '../common/clock.ts';
import { errorMessage, type Logger } from '../common/log.ts';
import { Alert, type AlertState } from '../schedules/alerts.ts';
import { alertEntryId, alertIdOf } from '../schedules/entry-ids.ts';
import type { ClipRef, TimetableEntry } from '../schedules/model.ts';
import { type AsRunRecord, parseAlertTopic } from '../schedules/protocol.ts';
import { targetIncludes } from '../schedules/targets.ts';
import type { AgentBus } from './bus.ts';
import type { AgentStore } from './state/store.ts';

export interface BulletinDeps {
  stationId: string;
  clock: Clock;
  store: AgentStore;
  log: Logger;
  bus: AgentBus;
  /** Downloads and verifies a clip into the cache. */
  fetchClip(clip: ClipRef, signal: AbortSignal): Promise<unknown>;
}

const DAY = 24 * 3_600_000;
const OWNER = 'bulletins';

/** A bulletin's final state from its as-run record. */
function finalState(r: AsRunRecord): AlertState {
  switch (r.outcome) {
    case 'played':
    case 'live':
      return 'finished';
    case 'skipped':
      return r.reason === 'expired'
        ? 'expired'
        : r.reason === 'cancelled'
          ? 'cancelled'
          : r.reason === 'local-skip'
            ? 'declined'
            : 'skipped';
    case 'interrupted':
      return r.reason === 'cancelled' ? 'cancelled' : 'failed';
    default:
      return 'failed';
  }
}

export function createBulletins(deps: BulletinDeps) {
  const { clock, store, log, bus } = deps;
  const fetching = new Set<string>();
  /** Aborts the clip fetches when the agent stops. */
  let abort = new AbortController();
  const nowIso = () => clock.now().toISOString();
  const replan = (why: string) => bus.emit('replanNeeded', { why });

  function setState(id: string, state: AlertState, reason: string | null, detail: string | null): void {
    if (!store.setAlertState(id, state, nowIso(), reason, detail)) return;
    log.info(`bulletin ${id}: ${state}${reason ? ` (${reason})` : ''}`);
    bus.emit('bulletinStatusChanged', { alertId: id });
  }

  /** Fetches the clip of a bulletin still to play; once it is on the station the bulletin can be planned. */
  function ensureClip(alert: Alert, signal = abort.signal): void {
    const clip = alert.clip;
    if (!clip) {
      // a live session has no clip to fetch: it can be planned as soon as it comes
      store.alertReady(alert.id, nowIso());
      replan(`live session ${alert.id} ready`);
      return;
    }
    if (fetching.has(alert.id)) return;
    fetching.add(alert.id);
    deps
      .fetchClip(clip, signal)
      .then(() => {
        store.alertReady(alert.id, nowIso());
        replan(`bulletin ${alert.id} ready`);
      })
      .catch((err) => {
        log.warn(`bulletin ${alert.id}: clip ${clip.id} not fetched: ${errorMessage(err)}`);
        setState(alert.id, 'held', 'clip-missing', `its clip ${clip.id} could not be fetched yet; retrying`);
      })
      .finally(() => fetching.delete(alert.id));
  }

  /** A message on one of the station's alert topics; invalid ones are logged and dropped. */
  function receive(topic: string, payload: Buffer): void {
    if (payload.length === 0) return; // the controller cleared an ended bulletin
    const where = parseAlertTopic(topic);
    const station = store.getDesired()?.station;
    if (!where || !station || !targetIncludes(where.target, station)) {
      log.warn(`mqtt: dropped bulletin on ${topic}: not for this station`);
      return;
    }
    let parsed: ReturnType<typeof Alert.safeParse>;
    try {
      parsed = Alert.safeParse(JSON.parse(payload.toString('utf8')));
    } catch {
      log.warn(`mqtt: dropped non-JSON bulletin on ${topic}`);
      return;
    }
    if (!parsed.success || parsed.data.id !== where.alertId) {
      const i = parsed.error?.issues[0];
      log.warn(
        `mqtt: dropped invalid bulletin on ${topic}${i ? ` (${i.path.join('.')}: ${i.message})` : ''}`,
      );
      return;
    }
    const alert = parsed.data;
    const known = store.getAlert(alert.id);
    if (!known) {
      store.receiveAlert(alert, nowIso());
      log.info(`bulletin ${alert.id} (${alert.level}) received: ${alert.title}`);
      bus.emit('bulletinStatusChanged', { alertId: alert.id });
      if (!alert.cancelledAt && Date.parse(alert.expiresAt) > clock.now().getTime()) ensureClip(alert);
      replan(`bulletin ${alert.id} received`);
      return;
    }
    if (alert.cancelledAt && !known.alert.cancelledAt) {
      store.updateAlert(alert);
      const detail = 'withdrawn by its sender';
      bus.emit('cutRequested', {
        entryId: alertEntryId(alert.id),
        outcome: 'interrupted',
        reason: 'cancelled',
        detail,
      });
      setState(alert.id, 'cancelled', 'cancelled', detail);
      replan(`bulletin ${alert.id} withdrawn`);
    } else if (!alert.cancelledAt && JSON.stringify(alert.targets) !== JSON.stringify(known.alert.targets)) {
      // a reorganisation of the areas named this station anew: it still reaches the same stations
      store.updateAlert(alert);
      replan(`bulletin ${alert.id} retargeted`);
    } else if (alert.live && alert.expiresAt !== known.alert.expiresAt) {
      // a live session that ended: a station that has not started it does not; one on air hears its stream end
      store.updateAlert(alert);
      replan(`live session ${alert.id} ended`);
    }
  }

  /** Fetches clips of bulletins still to play (at start, and when a fetch may be retried). */
  function resume(signal: AbortSignal): void {
    const now = clock.now().getTime();
    for (const a of store.alertsSince(new Date(now - DAY).toISOString())) {
      if (!a.readyAt && !a.alert.cancelledAt && Date.parse(a.alert.expiresAt) > now)
        ensureClip(a.alert, signal);
    }
  }

  /** The bulletin's entry went on air. */
  function onAir(e: TimetableEntry): void {
    const id = alertIdOf(e.id);
    if (!id) return;
    store.alertStarted(id, nowIso());
    setState(id, 'started', null, null);
  }

  /** The bulletin's first sample left for the speakers. */
  function sounding(e: TimetableEntry): void {
    const id = alertIdOf(e.id);
    if (id) setState(id, 'sounding', null, null);
  }

  /** The bulletin's entry ended (its as-run record). */
  function recorded(r: AsRunRecord): void {
    const id = alertIdOf(r.entryId);
    if (id) setState(id, finalState(r), r.reason, r.detail);
  }

  /** After each plan: a bulletin waiting for its time says until when and why. */
  function planned(entries: readonly TimetableEntry[]): void {
    const now = clock.now().getTime();
    for (const a of store.alertsSince(new Date(now - DAY).toISOString())) {
      if (a.state !== 'received' && a.state !== 'held') continue;
      if (!a.readyAt) continue;
      const e = entries.find((x) => x.id === alertEntryId(a.alert.id));
      if (!e) setState(a.alert.id, 'held', 'waiting', 'no time for it in the coming timetable yet');
      if (e?.status !== 'scheduled') continue;
      const start = Date.parse(e.startsAt);
      if (start <= now + 15_000) continue;
      // an emergency or a live session waits for one before it, or else for a quiet window to end; the
      // other bulletins for their session
      const afterAnother = entries.some(
        (x) =>
          x.id !== e.id &&
          x.status === 'scheduled' &&
          x.source?.kind === 'alert' &&
          x.source.level === 'emergency' &&
          Date.parse(x.endsAt) > now &&
          Date.parse(x.startsAt) < start,
      );
      const atOnce = a.alert.level === 'emergency' || a.alert.live !== undefined;
      const why = !atOnce ? 'next-session' : afterAnother ? 'emergency' : 'quiet-window';
      setState(a.alert.id, 'held', why, `plays at ${e.startsAt}`);
    }
  }

  return {
    start(): void {
      abort = new AbortController();
      bus.on('bulletinReceived', OWNER, ({ topic, payload }) => receive(topic, payload));
      bus.on('recordCommitted', OWNER, recorded);
      bus.on('entryOnAir', OWNER, onAir);
      bus.on('entrySounding', OWNER, sounding);
      bus.on('planned', OWNER, planned);
      bus.on('clipsSynced', OWNER, ({ signal }) => resume(signal));
    },
    stop(): void {
      abort.abort(new Error('agent stopping'));
      bus.removeListeners(OWNER);
    },
    /** Bulletins known at the station (the last week), newest first, with their state here. */
    list() {
      const since = new Date(clock.now().getTime() - 7 * DAY).toISOString();
      return store.alertsSince(since).map((a) => ({
        alert: a.alert,
        state: a.state,
        at: a.stateAt,
        reason: a.reason,
        detail: a.detail,
      }));
    },
  };
}

export type Bulletins = ReturnType<typeof createBulletins>;
