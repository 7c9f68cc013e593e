// The live_sessions rows: opened, first audio (when its bulletin went out), bytes heard, ended and why.
import type { AlertLevel } from '../../schedules/alerts.ts';
import type { Target } from '../../schedules/model.ts';
import type { Db } from '../db.ts';
import { notFound } from '../http/errors.ts';

/** Why a session ended; `ended` is the speaker's (or a technician's) own end. */
export const END_REASONS = [
  'ended',
  'socket-closed',
  'no-audio',
  'bad-audio',
  'stream-server',
  'publish-failed',
  'cancelled',
  'too-long',
  'controller-stopped',
] as const;
export type EndReason = (typeof END_REASONS)[number];

export interface LiveSessionRow {
  id: string;
  level: AlertLevel;
  title: string;
  reason: string;
  targets_json: string;
  station_ids_json: string;
  ignore_quiet_windows: number;
  speaker: string;
  mount: string;
  opened_at: string;
  first_audio_at: string | null;
  ended_at: string | null;
  end_reason: EndReason | null;
  end_detail: string | null;
  bytes: number;
}

export interface NewLiveSession {
  id: string;
  level: AlertLevel;
  title: string;
  reason: string;
  targets: Target[];
  stationIds: string[];
  ignoreQuietWindows: boolean;
  speaker: string;
  mount: string;
}

export function insertLiveSession(db: Db, s: NewLiveSession, now: Date): void {
  db.prepare(
    `INSERT INTO live_sessions (id, level, title, reason, targets_json, station_ids_json, ignore_quiet_windows,
       speaker, mount, opened_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    s.id,
    s.level,
    s.title,
    s.reason,
    JSON.stringify(s.targets),
    JSON.stringify(s.stationIds),
    s.ignoreQuietWindows ? 1 : 0,
    s.speaker,
    s.mount,
    now.toISOString(),
  );
}

export function getLiveSession(db: Db, id: string): LiveSessionRow {
  const r = db.prepare('SELECT * FROM live_sessions WHERE id = ?').get(id) as LiveSessionRow | undefined;
  if (!r) throw notFound('live session', id);
  return r;
}

export const findLiveSession = (db: Db, id: string) =>
  db.prepare('SELECT * FROM live_sessions WHERE id = ?').get(id) as LiveSessionRow | undefined;

export const liveTargets = (r: LiveSessionRow) => JSON.parse(r.targets_json) as Target[];
export const liveStationIds = (r: LiveSessionRow) => JSON.parse(r.station_ids_json) as string[];

export const markFirstAudio = (db: Db, id: string, at: Date) =>
  db
    .prepare('UPDATE live_sessions SET first_audio_at = ? WHERE id = ? AND first_audio_at IS NULL')
    .run(at.toISOString(), id);

/** Records the end once (the first reason stands); answers whether this call ended it. */
export function markEnded(
  db: Db,
  id: string,
  end: { at: Date; reason: EndReason; detail: string | null; bytes: number },
): boolean {
  const r = db
    .prepare(
      'UPDATE live_sessions SET ended_at = ?, end_reason = ?, end_detail = ?, bytes = ? WHERE id = ? AND ended_at IS NULL',
    )
    .run(end.at.toISOString(), end.reason, end.detail?.slice(0, 1000) ?? null, end.bytes, id);
  return r.changes > 0;
}

/** Sessions a previous run left open (its process is gone, and with it the audio). */
export const openLiveSessions = (db: Db) =>
  db
    .prepare('SELECT * FROM live_sessions WHERE ended_at IS NULL ORDER BY opened_at')
    .all() as LiveSessionRow[];

/** Newest first. */
export const listLiveSessions = (db: Db, limit: number) =>
  db
    .prepare('SELECT * FROM live_sessions ORDER BY opened_at DESC, id DESC LIMIT ?')
    .all(limit) as LiveSessionRow[];
