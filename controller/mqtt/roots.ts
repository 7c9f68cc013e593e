// Which protocol roots the controller speaks (loa/v1, loa/v2/<province>), and which one each station is
// on: learnt from the topics it speaks on and kept with the station (protocols.ts, STATION_ROOTS), so that its desired state goes to that
// root only (at 10,000 stations the fan-out must not double).
import { parseStationTopic, TOPIC_ROOT, topicRoot } from '../../schedules/protocol.ts';
import type { Db } from '../db.ts';
import type { ProtocolVersion } from './protocols.ts';

/** The roots a controller of `province` speaking `protocols` subscribes to and publishes on. */
export function spokenRoots(province: string | null, protocols: readonly ProtocolVersion[]): string[] {
  const roots: string[] = [];
  if (protocols.includes('v1')) roots.push(TOPIC_ROOT);
  if (protocols.includes('v2') && province) roots.push(topicRoot(province));
  return roots;
}

/** Kinds a station speaks live: a message of one of them says which root the station is on now. */
const SPOKEN = new Set(['hello', 'presence', 'health', 'as-run', 'alert-status', 'overrides', 'position']);

export interface StationRoots {
  /** The roots spoken, v1 first. */
  readonly spoken: readonly string[];
  /**
   * A message arrived on `topic`: the station's root is noted if it changed (retained copies replayed at a
   * subscription say nothing about now). Answers the root it was on before when it changed, else null.
   */
  heard(topic: string, retained: boolean): { stationId: string; before: string | null } | null;
  /** Where to send a station's desired state: its own root, or every spoken root when not known yet. */
  rootsOf(stationId: string): readonly string[];
}

export function createStationRoots(db: Db, spoken: readonly string[]): StationRoots {
  if (spoken.length === 0) throw new Error('the controller speaks no MQTT protocol');
  const known = new Map<string, string | null>();
  const read = db.prepare('SELECT mqtt_root FROM stations WHERE id = ?').pluck();
  const write = db.prepare('UPDATE stations SET mqtt_root = ? WHERE id = ? AND mqtt_root IS NOT ?');
  const rootOf = (id: string): string | null => {
    if (!known.has(id)) known.set(id, (read.get(id) as string | null | undefined) ?? null);
    return known.get(id) ?? null;
  };
  return {
    spoken,
    heard(topic, retained) {
      if (retained) return null;
      const t = parseStationTopic(topic);
      if (!t || !SPOKEN.has(t.kind) || !spoken.includes(t.root)) return null;
      const before = rootOf(t.stationId);
      if (before === t.root) return null;
      // written only when it changes: one statement per station that moves, none per message
      write.run(t.root, t.stationId, t.root);
      known.set(t.stationId, t.root);
      return { stationId: t.stationId, before };
    },
    rootsOf(stationId) {
      const root = rootOf(stationId);
      // A station never heard from (or last heard on a root no longer spoken): we cannot tell which
      // protocol its agent speaks, and a desired state it never receives stops it for good, so it goes on
      // every spoken root, retained, for whichever the station connects on.
      return root && spoken.includes(root) ? [root] : spoken;
    },
  };
}
