// Desired-state sync: the stations a change reaches recomputed in one pass, their rules versioned when
// they change and published retained, and the clips each may download recorded with them.
import { createHash } from 'node:crypto';
import type { Clock } from '../../common/clock.ts';
import type { Logger } from '../../common/log.ts';
import type { DesiredState } from '../../schedules/model.ts';
import { type AreaTree, loadTree } from '../areas/tree.ts';
import { clipIndexWriter, stationsNamingClips } from '../clips/access.ts';
import type { Db } from '../db.ts';
import type { DesiredSync, Reach } from '../deps.ts';
import { liveRules, type RelayListen, type StationRules } from '../rules/station-rules.ts';
import { allSlots } from '../rules/store.ts';
import { desiredVersions, desiredVersionWriter, stationIdsInAreas } from '../stations/store.ts';
import type { LoadMetrics } from './load.ts';

const hashOf = (c: StationRules) => createHash('sha256').update(JSON.stringify(c)).digest('hex');

export interface DesiredDeps {
  db: Db;
  clock: Clock;
  log: Logger;
  /** Publishes retained with QoS 1; calls `taken` once the broker has it, if it can tell. */
  publish(stationId: string, state: DesiredState, taken?: (err?: Error) => void): void;
  /** Told how long each publish took, from its start until the broker had taken every state of it. */
  metrics?: LoadMetrics;
  /** Where stations listen to relays through the stream server; absent: they pull the upstream directly. */
  relayListen?: RelayListen;
}

/** What one sync did: desired states computed, and published (changed, or all when republishing). */
export interface SyncOutcome {
  compiled: number;
  published: number;
}

export interface Desired extends DesiredSync {
  sync(reach?: Reach): SyncOutcome;
  /** Every station's state published again (at each broker connect), and the clip index rebuilt. */
  publishAll(): SyncOutcome;
  /** These stations' current states published again (a hello with another version), changed or not. */
  republish(stationIds: readonly string[]): SyncOutcome;
}

/** The stations a change reaches, or null for all of them. */
function reached(db: Db, tree: AreaTree, reach: Reach): string[] | null {
  const ids = new Set(reach.stations ?? []);
  const areas: string[] = [];
  const targets = [...(reach.targets ?? [])];
  if (reach.clips?.length) {
    // those whose state names the clip now, and those whose slots play it (it may become deliverable)
    for (const id of stationsNamingClips(db, reach.clips)) ids.add(id);
    const clips = new Set(reach.clips);
    for (const slot of allSlots(db)) if (slot.clipIds.some((c) => clips.has(c))) targets.push(slot.target);
  }
  for (const t of targets) {
    if (t.scope === 'city') return null;
    if (t.scope === 'station') ids.add(t.id);
    else if (t.scope === 'zone') ids.add(t.station);
    else areas.push(...tree.subtree(t.id));
  }
  for (const id of stationIdsInAreas(db, areas)) ids.add(id);
  return [...ids];
}

export function createDesiredSync(deps: DesiredDeps): Desired {
  const { db, clock, log } = deps;

  /**
   * Computes the states of the stations named (all when null) in one pass, bumps the versions of those
   * that changed and records the clips they name, in one transaction; returns what must be published.
   */
  const collect = (
    tree: AreaTree,
    ids: string[] | null,
    all: boolean,
  ): { compiled: number; out: DesiredState[] } => {
    const now = clock.now();
    const rows = desiredVersions(db, tree, ids ?? undefined);
    if (!rows.length) return { compiled: 0, out: [] };
    const rulesOf = liveRules(db, now, deps.relayListen);
    const bump = desiredVersionWriter(db);
    const index = clipIndexWriter(db);
    const out: DesiredState[] = [];
    db.transaction(() => {
      for (const { desired_version, desired_hash, ...station } of rows) {
        const content = rulesOf(station);
        const hash = hashOf(content);
        let version = desired_version;
        if (hash !== desired_hash) {
          version += 1;
          bump(station.id, version, hash);
        } else if (!all) continue;
        index(
          station.id,
          content.clips.map((c) => c.id),
        );
        out.push({ version, issuedAt: now.toISOString(), ...content });
      }
    })();
    return { compiled: rows.length, out };
  };

  const publish = (t0: number, { compiled, out: states }: ReturnType<typeof collect>): SyncOutcome => {
    let left = states.length;
    const taken = () => {
      if (--left === 0) deps.metrics?.desiredPublished(states.length, performance.now() - t0);
    };
    for (const s of states) deps.publish(s.station.id, s, taken);
    if (states.length) log.info(`published desired state to ${states.length} station(s)`);
    return { compiled, published: states.length };
  };

  return {
    sync: (reach) => {
      const t0 = performance.now();
      const tree = loadTree(db);
      const ids = reach ? reached(db, tree, reach) : null;
      return publish(t0, ids?.length === 0 ? { compiled: 0, out: [] } : collect(tree, ids, false));
    },
    publishAll: () => publish(performance.now(), collect(loadTree(db), null, true)),
    republish: (ids) =>
      ids.length
        ? publish(performance.now(), collect(loadTree(db), [...ids], true))
        : { compiled: 0, published: 0 },
  };
}
