// Each station's desired state: built from the database, versioned when it changes, published retained.
import { createHash } from 'node:crypto';
import type { ClipRef, DesiredState, QuietWindow, Slot, StationInfo } from '../schedules/model.ts';
import { targetIncludes } from '../schedules/targets.ts';
import { addDays, utcToZoned } from '../schedules/time.ts';
import type { Db } from './db.ts';
import type { Clock, DesiredSync, Logger } from './deps.ts';
import { cancelledOverrides } from './overrides.ts';
import { stationInfo } from './stations.ts';

type Content = Omit<DesiredState, 'version' | 'issuedAt'>;

interface Catalogue {
  slots: Slot[];
  quietWindows: QuietWindow[];
  clips: Map<string, ClipRef>;
}

function loadCatalogue(db: Db): Catalogue {
  const slots = (db.prepare('SELECT body FROM slots ORDER BY id').all() as { body: string }[]).map(
    (r) => JSON.parse(r.body) as Slot,
  );
  const quietWindows = (
    db.prepare('SELECT body FROM quiet_windows ORDER BY id').all() as { body: string }[]
  ).map((r) => JSON.parse(r.body) as QuietWindow);
  const clips = new Map(
    // only reviewed clips leave the controller; a retired one still plays in the slots that have it
    (
      db
        .prepare(
          `SELECT id, sha256, duration_ms AS durationMs, bytes FROM clips
           WHERE status IN ('approved', 'retired') AND sha256 <> ''`,
        )
        .all() as ClipRef[]
    ).map((c) => [c.id, c]),
  );
  return { slots, quietWindows, clips };
}

/** The rules that target a station and end on or after `since` (all of them when null), and their clips. */
function contentFor(cat: Catalogue, station: StationInfo, since: string | null): Content {
  const applies = <T extends { target: Slot['target']; endDate: string }>(x: T) =>
    (since === null || x.endDate >= since) && targetIncludes(x.target, station);
  const slots = cat.slots.filter(applies);
  const clipIds = [...new Set(slots.flatMap((s) => s.clipIds))].sort();
  const clips = clipIds.flatMap((id) => {
    const c = cat.clips.get(id);
    return c ? [c] : [];
  });
  return { station, slots, quietWindows: cat.quietWindows.filter(applies), clips };
}

/** What a station is sent: rules still running. Yesterday's stay, so an entry just past midnight is explained. */
const liveSince = (station: StationInfo, now: Date) => addDays(utcToZoned(now, station.timezone).date, -1);

/** Local overrides cancelled at the controller and not ended yet; absent when none (older states unchanged). */
const withCancelled = (content: Content, cancelled: Map<string, string[]>): Content => {
  const ids = cancelled.get(content.station.id);
  return ids?.length ? { ...content, cancelledOverrides: ids } : content;
};

export function buildDesiredState(db: Db, stationId: string, now: Date): Content {
  return liveRules(db, now)(stationInfo(db, stationId));
}

/** The live rules of many stations: the catalogue is read once, then asked per station. */
export function liveRules(db: Db, now: Date): (station: StationInfo) => Content {
  const cat = loadCatalogue(db);
  const cancelled = cancelledOverrides(db, now);
  return (station) => withCancelled(contentFor(cat, station, liveSince(station, now)), cancelled);
}

/** Every rule that ever targeted a station (previews and reports of any period); read once, asked per station. */
export function allRules(db: Db): (station: StationInfo) => Content {
  const cat = loadCatalogue(db);
  return (station) => contentFor(cat, station, null);
}

export function allRulesFor(db: Db, stationId: string): Content {
  return allRules(db)(stationInfo(db, stationId));
}

const hashOf = (c: Content) => createHash('sha256').update(JSON.stringify(c)).digest('hex');

export interface DesiredDeps {
  db: Db;
  clock: Clock;
  log: Logger;
  /** Publishes retained with QoS 1. */
  publish(stationId: string, state: DesiredState): void;
}

export function createDesiredSync(deps: DesiredDeps): DesiredSync & { publishAll(): void } {
  const { db, clock, log } = deps;

  /** Bumps versions of changed stations in one transaction; returns what must be published. */
  const collect = (all: boolean): DesiredState[] => {
    const now = clock.now();
    const rulesOf = liveRules(db, now);
    const rows = db
      .prepare(
        'SELECT id, name, district, ward, timezone, desired_version, desired_hash FROM stations ORDER BY id',
      )
      .all() as (StationInfo & { desired_version: number; desired_hash: string | null })[];
    const bump = db.prepare('UPDATE stations SET desired_version = ?, desired_hash = ? WHERE id = ?');
    const out: DesiredState[] = [];
    db.transaction(() => {
      for (const { desired_version, desired_hash, ...station } of rows) {
        const content = rulesOf(station);
        const hash = hashOf(content);
        let version = desired_version;
        if (hash !== desired_hash) {
          version += 1;
          bump.run(version, hash, station.id);
        } else if (!all) continue;
        out.push({ version, issuedAt: now.toISOString(), ...content });
      }
    })();
    return out;
  };

  const publish = (states: DesiredState[]) => {
    for (const s of states) deps.publish(s.station.id, s);
    if (states.length) log.info(`published desired state to ${states.length} station(s)`);
  };

  return {
    sync: () => publish(collect(false)),
    publishAll: () => publish(collect(true)),
  };
}
