// Bulletins at the station: received from the alert topics, clip fetched, planned by the precedence rules,
// and their state (received, held, started, finished, failed ...) reported back to the controller.
import { Alert, type AlertState } from '../schedules/alerts.ts';
import type { ClipRef, StationInfo, TimetableEntry } from '../schedules/model.ts';
import type { AlertPlan } from '../schedules/precedence.ts';
import type { AsRunRecord } from '../schedules/protocol.ts';
import { parseAlertTopic } from '../schedules/protocol.ts';
import { targetIncludes } from '../schedules/targets.ts';
import { type Clock, errorMessage, type Logger } from './deps.ts';
import type { AgentStore } from './store.ts';

export interface AlertDeps {
  stationId: string;
  clock: Clock;
  store: AgentStore;
  log: Logger;
  /** The station as the desired state describes it (its district and ward), or null before one. */
  station(): StationInfo | null;
  /** Downloads and verifies a clip into the cache. */
  fetchClip(clip: ClipRef, signal?: AbortSignal): Promise<unknown>;
  /** Bulletins changed (arrived, clip ready, withdrawn): re-plan. */
  replan(why: string): void;
  /** Cuts the bulletin's entry if it is on air (it was withdrawn). */
  cut(entryId: string): void;
  /** A state changed and is waiting to be reported. */
  statusChanged(): void;
}

const DAY = 24 * 3_600_000;
export const alertEntryId = (alertId: string) => `alert:${alertId}`;
const alertIdOf = (entryId: string) => (entryId.startsWith('alert:') ? entryId.slice(6) : null);

/** A bulletin's final state from its as-run record. */
function finalState(r: AsRunRecord): AlertState {
  switch (r.outcome) {
    case 'played':
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

export function createAlerts(deps: AlertDeps) {
  const { clock, store, log } = deps;
  const fetching = new Set<string>();
  const nowIso = () => clock.now().toISOString();

  function setState(id: string, state: AlertState, reason: string | null, detail: string | null): void {
    if (!store.setAlertState(id, state, nowIso(), reason, detail)) return;
    log.info(`bulletin ${id}: ${state}${reason ? ` (${reason})` : ''}`);
    deps.statusChanged();
  }

  /** Fetches the clip of a bulletin still to play; once it is on the station the bulletin can be planned. */
  function ensureClip(alert: Alert, signal?: AbortSignal): void {
    if (fetching.has(alert.id)) return;
    fetching.add(alert.id);
    deps
      .fetchClip(alert.clip, signal)
      .then(() => {
        store.alertReady(alert.id, nowIso());
        deps.replan(`bulletin ${alert.id} ready`);
      })
      .catch((err) => {
        log.warn(`bulletin ${alert.id}: clip ${alert.clip.id} not fetched: ${errorMessage(err)}`);
        setState(
          alert.id,
          'held',
          'clip-missing',
          `its clip ${alert.clip.id} could not be fetched yet; retrying`,
        );
      })
      .finally(() => fetching.delete(alert.id));
  }

  return {
    /**
     * Bulletins for the timetable (those of the last two days). An emergency plays the moment its clip is
     * on the station, so until then it is left out - it would cut what plays for a clip it does not
     * have - unless it can no longer play (withdrawn or expired), which is then recorded.
     */
    plans(): AlertPlan[] {
      const now = clock.now().getTime();
      return store
        .alertPlans(new Date(now - 2 * DAY).toISOString())
        .filter(
          (p) =>
            p.alert.level !== 'emergency' ||
            p.readyAt ||
            p.alert.cancelledAt ||
            Date.parse(p.alert.expiresAt) <= now,
        );
    },
    /** A message on one of the station's alert topics; invalid ones are logged and dropped. */
    receive(topic: string, payload: Buffer): void {
      if (payload.length === 0) return; // the controller cleared an ended bulletin
      const where = parseAlertTopic(topic);
      const station = deps.station();
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
        deps.statusChanged();
        if (!alert.cancelledAt && Date.parse(alert.expiresAt) > clock.now().getTime()) ensureClip(alert);
        deps.replan(`bulletin ${alert.id} received`);
        return;
      }
      if (alert.cancelledAt && !known.alert.cancelledAt) {
        store.updateAlert(alert);
        deps.cut(alertEntryId(alert.id));
        setState(alert.id, 'cancelled', 'cancelled', 'withdrawn by its sender');
        deps.replan(`bulletin ${alert.id} withdrawn`);
      }
    },
    /** Fetches clips of bulletins still to play (at start, and when a fetch may be retried). */
    resume(signal?: AbortSignal): void {
      const now = clock.now().getTime();
      for (const a of store.alertsSince(new Date(now - DAY).toISOString())) {
        if (!a.readyAt && !a.alert.cancelledAt && Date.parse(a.alert.expiresAt) > now)
          ensureClip(a.alert, signal);
      }
    },
    /** The bulletin's entry went on air. */
    onAir(e: TimetableEntry): void {
      const id = alertIdOf(e.id);
      if (!id) return;
      store.alertStarted(id, nowIso());
      setState(id, 'started', null, null);
    },
    /** The bulletin's entry ended (its as-run record). */
    onRecord(r: AsRunRecord): void {
      const id = alertIdOf(r.entryId);
      if (id) setState(id, finalState(r), r.reason, r.detail);
    },
    /** After each plan: a bulletin waiting for its time says until when and why. */
    planned(entries: readonly TimetableEntry[]): void {
      const now = clock.now().getTime();
      for (const a of store.alertsSince(new Date(now - DAY).toISOString())) {
        if (a.state !== 'received' && a.state !== 'held') continue;
        if (!a.readyAt) continue;
        const e = entries.find((x) => x.id === alertEntryId(a.alert.id));
        if (!e) setState(a.alert.id, 'held', 'waiting', 'no time for it in the coming timetable yet');
        if (e?.status !== 'scheduled') continue;
        const start = Date.parse(e.startsAt);
        if (start <= now + 15_000) continue;
        // an emergency waits for one before it, or else for a quiet window to end; the others for their session
        const afterAnother = entries.some(
          (x) =>
            x.id !== e.id &&
            x.status === 'scheduled' &&
            x.source?.kind === 'alert' &&
            x.source.level === 'emergency' &&
            Date.parse(x.endsAt) > now &&
            Date.parse(x.startsAt) < start,
        );
        const why =
          a.alert.level !== 'emergency' ? 'next-session' : afterAnother ? 'emergency' : 'quiet-window';
        setState(a.alert.id, 'held', why, `plays at ${e.startsAt}`);
      }
    },
  };
}

export type Alerts = ReturnType<typeof createAlerts>;
