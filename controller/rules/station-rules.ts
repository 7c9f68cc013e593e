// The rules each station gets (its desired state's content): the slots and quiet windows that target it,
// their reviewed clips and the overrides cancelled here, read once and asked per station.
import type { ClipRef, DesiredState, QuietWindow, Slot, StationInfo } from '../../schedules/model.ts';
import { targetIncludes } from '../../schedules/targets.ts';
import { addDays, utcToZoned } from '../../schedules/time.ts';
import { deliverableClipRefs } from '../clips/store.ts';
import type { Db } from '../db.ts';
import { cancelledOverrides } from '../overrides/store.ts';
import { stationInfo } from '../stations/store.ts';
import { allQuietWindows, allSlots } from './store.ts';

export type StationRules = Omit<DesiredState, 'version' | 'issuedAt'>;

interface Catalogue {
  slots: Slot[];
  quietWindows: QuietWindow[];
  clips: Map<string, ClipRef>;
}

function loadCatalogue(db: Db): Catalogue {
  return {
    slots: allSlots(db),
    quietWindows: allQuietWindows(db),
    clips: new Map(deliverableClipRefs(db).map((c) => [c.id, c])),
  };
}

/** The rules that target a station and end on or after `since` (all of them when null), and their clips. */
function contentFor(cat: Catalogue, station: StationInfo, since: string | null): StationRules {
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
const withCancelled = (content: StationRules, cancelled: Map<string, string[]>): StationRules => {
  const ids = cancelled.get(content.station.id);
  return ids?.length ? { ...content, cancelledOverrides: ids } : content;
};

/** The content of a station's desired state now. */
export function buildDesiredState(db: Db, stationId: string, now: Date): StationRules {
  return liveRules(db, now)(stationInfo(db, stationId));
}

/** The live rules of many stations: the catalogue is read once, then asked per station. */
export function liveRules(db: Db, now: Date): (station: StationInfo) => StationRules {
  const cat = loadCatalogue(db);
  const cancelled = cancelledOverrides(db, now);
  return (station) => withCancelled(contentFor(cat, station, liveSince(station, now)), cancelled);
}

/** Every rule that ever targeted a station (previews and reports of any period); read once, asked per station. */
export function allRules(db: Db): (station: StationInfo) => StationRules {
  const cat = loadCatalogue(db);
  return (station) => contentFor(cat, station, null);
}

export function allRulesFor(db: Db, stationId: string): StationRules {
  return allRules(db)(stationInfo(db, stationId));
}
