// The agent's tables for what comes beside the desired state: local overrides, bulletins and local clips.
import type Database from 'better-sqlite3';
import {
  Alert,
  type AlertPlan,
  type AlertState,
  type AlertStatus,
  alertStateRank,
} from '../../schedules/alerts.ts';
import { Override } from '../../schedules/overrides.ts';

export const LOCAL_MIGRATIONS = [
  `CREATE TABLE overrides (
     id TEXT PRIMARY KEY,
     json TEXT NOT NULL,
     ends_at TEXT NOT NULL,
     created_at TEXT NOT NULL
   );
   CREATE TABLE alerts (
     id TEXT PRIMARY KEY,
     json TEXT NOT NULL,
     received_at TEXT NOT NULL,
     ready_at TEXT,
     started_at TEXT,
     state TEXT NOT NULL,
     state_at TEXT NOT NULL,
     reason TEXT,
     detail TEXT,
     status_sent INTEGER NOT NULL DEFAULT 0
   );
   CREATE TABLE local_clips (
     id TEXT PRIMARY KEY,
     title TEXT NOT NULL,
     duration_ms INTEGER NOT NULL,
     created_by TEXT NOT NULL,
     created_at TEXT NOT NULL
   );`,
];

/** A bulletin as the station holds it. */
export interface StoredAlert {
  alert: Alert;
  receivedAt: string;
  readyAt: string | null;
  startedAt: string | null;
  state: AlertState;
  stateAt: string;
  reason: string | null;
  detail: string | null;
}

interface AlertRow {
  id: string;
  json: string;
  received_at: string;
  ready_at: string | null;
  started_at: string | null;
  state: AlertState;
  state_at: string;
  reason: string | null;
  detail: string | null;
}

const toStored = (r: AlertRow): StoredAlert => ({
  alert: Alert.parse(JSON.parse(r.json)),
  receivedAt: r.received_at,
  readyAt: r.ready_at,
  startedAt: r.started_at,
  state: r.state,
  stateAt: r.state_at,
  reason: r.reason,
  detail: r.detail,
});

export function localTables(db: Database.Database) {
  const q = {
    putOverride: db.prepare(
      `INSERT INTO overrides (id, json, ends_at, created_at) VALUES (@id, @json, @endsAt, @createdAt)
       ON CONFLICT (id) DO UPDATE SET json = excluded.json, ends_at = excluded.ends_at`,
    ),
    getOverride: db.prepare<[string], { json: string }>('SELECT json FROM overrides WHERE id = ?'),
    overridesSince: db.prepare<[string], { json: string }>(
      'SELECT json FROM overrides WHERE ends_at >= ? ORDER BY created_at DESC, id',
    ),
    pruneOverrides: db.prepare('DELETE FROM overrides WHERE ends_at < ?'),
    getAlert: db.prepare<[string], AlertRow>('SELECT * FROM alerts WHERE id = ?'),
    insertAlert: db.prepare(
      `INSERT OR IGNORE INTO alerts (id, json, received_at, state, state_at) VALUES (?, ?, ?, 'received', ?)`,
    ),
    updateAlertJson: db.prepare('UPDATE alerts SET json = ? WHERE id = ?'),
    alertsSince: db.prepare<[string], AlertRow>(
      'SELECT * FROM alerts WHERE received_at >= ? ORDER BY received_at DESC, id',
    ),
    setReady: db.prepare('UPDATE alerts SET ready_at = ? WHERE id = ? AND ready_at IS NULL'),
    setStarted: db.prepare('UPDATE alerts SET started_at = ? WHERE id = ? AND started_at IS NULL'),
    setState: db.prepare(
      'UPDATE alerts SET state = ?, state_at = ?, reason = ?, detail = ?, status_sent = 0 WHERE id = ?',
    ),
    unsent: db.prepare<[], AlertRow>(
      'SELECT * FROM alerts WHERE status_sent = 0 ORDER BY state_at LIMIT 200',
    ),
    markSent: db.prepare('UPDATE alerts SET status_sent = 1 WHERE id = ? AND state = ? AND state_at = ?'),
    pruneAlerts: db.prepare('DELETE FROM alerts WHERE received_at < ? AND status_sent = 1'),
    putLocalClip: db.prepare(
      `INSERT OR REPLACE INTO local_clips (id, title, duration_ms, created_by, created_at)
       VALUES (@id, @title, @durationMs, @createdBy, @createdAt)`,
    ),
    localClips: db.prepare<[], { id: string; title: string; duration_ms: number; created_at: string }>(
      'SELECT id, title, duration_ms, created_at FROM local_clips ORDER BY created_at DESC',
    ),
  };
  const parseOverride = (r: { json: string }) => Override.parse(JSON.parse(r.json));

  return {
    putOverride(o: Override): void {
      q.putOverride.run({ id: o.id, json: JSON.stringify(o), endsAt: o.endsAt, createdAt: o.createdAt });
    },
    getOverride(id: string): Override | null {
      const r = q.getOverride.get(id);
      return r ? parseOverride(r) : null;
    },
    /** Overrides that end at or after `sinceIso`, newest first. */
    overridesSince(sinceIso: string): Override[] {
      return q.overridesSince.all(sinceIso).map(parseOverride);
    },
    pruneOverrides(beforeIso: string): number {
      return q.pruneOverrides.run(beforeIso).changes;
    },

    getAlert(id: string): StoredAlert | null {
      const r = q.getAlert.get(id);
      return r ? toStored(r) : null;
    },
    /** Stores a newly received bulletin (state `received`); false if it was already known. */
    receiveAlert(alert: Alert, at: string): boolean {
      return q.insertAlert.run(alert.id, JSON.stringify(alert), at, at).changes > 0;
    },
    /** The sender changed it (cancelled it); the station's own times and state stay. */
    updateAlert(alert: Alert): void {
      q.updateAlertJson.run(JSON.stringify(alert), alert.id);
    },
    alertsSince(sinceIso: string): StoredAlert[] {
      return q.alertsSince.all(sinceIso).map(toStored);
    },
    alertReady(id: string, at: string): void {
      q.setReady.run(at, id);
    },
    alertStarted(id: string, at: string): void {
      q.setStarted.run(at, id);
    },
    /**
     * Moves a bulletin's state forward (never back: a final state stays); returns whether it changed.
     * `held` may be restated with a new reason.
     */
    setAlertState(id: string, state: AlertState, at: string, reason: string | null, detail: string | null) {
      return db.transaction(() => {
        const r = q.getAlert.get(id);
        if (!r) return false;
        const from = alertStateRank(r.state);
        const to = alertStateRank(state);
        if (to < from || (to === from && (from === 4 || (r.reason === reason && r.detail === detail))))
          return false;
        q.setState.run(state, at, reason, detail, id);
        return true;
      })();
    },
    /** States not yet acknowledged by the broker, as status messages. */
    unsentAlertStatuses(stationId: string): AlertStatus[] {
      return q.unsent.all().map((r) => ({
        alertId: r.id,
        stationId,
        state: r.state,
        at: r.state_at,
        reason: r.reason,
        detail: r.detail,
      }));
    },
    markAlertStatusesSent(statuses: readonly AlertStatus[]): void {
      db.transaction(() => {
        for (const s of statuses) q.markSent.run(s.alertId, s.state, s.at);
      })();
    },
    pruneAlerts(beforeIso: string): number {
      return q.pruneAlerts.run(beforeIso).changes;
    },
    /** Bulletins as the precedence rules take them. */
    alertPlans(sinceIso: string): AlertPlan[] {
      return q.alertsSince.all(sinceIso).map((r) => ({
        alert: Alert.parse(JSON.parse(r.json)),
        receivedAt: r.received_at,
        readyAt: r.ready_at,
        startedAt: r.started_at,
      }));
    },

    putLocalClip(c: { id: string; title: string; durationMs: number; createdBy: string; createdAt: string }) {
      q.putLocalClip.run(c);
    },
    localClips(): { id: string; title: string; durationMs: number; createdAt: string }[] {
      return q.localClips
        .all()
        .map((r) => ({ id: r.id, title: r.title, durationMs: r.duration_ms, createdAt: r.created_at }));
    },
  };
}
