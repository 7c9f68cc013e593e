// Desired-state sync: each station's rules versioned when they change, and published retained.
import { createHash } from 'node:crypto';
import type { Clock } from '../../common/clock.ts';
import type { Logger } from '../../common/log.ts';
import type { DesiredState } from '../../schedules/model.ts';
import type { Db } from '../db.ts';
import type { DesiredSync } from '../deps.ts';
import { liveRules, type StationRules } from '../rules/station-rules.ts';
import { desiredVersions, desiredVersionWriter } from '../stations/store.ts';
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
}

export function createDesiredSync(deps: DesiredDeps): DesiredSync & { publishAll(): void } {
  const { db, clock, log } = deps;

  /** Bumps versions of changed stations in one transaction; returns what must be published. */
  const collect = (all: boolean): DesiredState[] => {
    const now = clock.now();
    const rulesOf = liveRules(db, now);
    const rows = desiredVersions(db);
    const bump = desiredVersionWriter(db);
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
        out.push({ version, issuedAt: now.toISOString(), ...content });
      }
    })();
    return out;
  };

  const publish = (t0: number, states: DesiredState[]) => {
    let left = states.length;
    const taken = () => {
      if (--left === 0) deps.metrics?.desiredPublished(states.length, performance.now() - t0);
    };
    for (const s of states) deps.publish(s.station.id, s, taken);
    if (states.length) log.info(`published desired state to ${states.length} station(s)`);
  };

  return {
    sync: () => publish(performance.now(), collect(false)),
    publishAll: () => publish(performance.now(), collect(true)),
  };
}
