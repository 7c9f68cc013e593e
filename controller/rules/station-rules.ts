// The rules each station gets (its desired state's content): the slots and quiet windows that target it,
// their reviewed clips and the overrides cancelled here, read once and asked per station.
import type { ClipRef, DesiredState, QuietWindow, Slot, StationInfo, Target } from '../../schedules/model.ts';
import { targetIncludes } from '../../schedules/targets.ts';
import { addDays, utcToZoned } from '../../schedules/time.ts';
import { deliverableClipRefs } from '../clips/store.ts';
import { provinceDictionary } from '../clips/text/dictionary/store.ts';
import type { Db } from '../db.ts';
import { cancelledOverrides } from '../overrides/store.ts';
import { stationInfo } from '../stations/store.ts';
import { allQuietWindows, allSlots, rulesAt } from './store.ts';

export type StationRules = Omit<DesiredState, 'version' | 'issuedAt'>;

/** Rules filed by the place their target names, in their order: a station asks only its own places. */
type Filed<T> = (places: readonly string[]) => T[];

interface Catalogue {
  slots: Filed<Slot>;
  quietWindows: Filed<QuietWindow>;
  clips: Map<string, ClipRef>;
}

/** As `PLACE` in store.ts: the area or station a target names, '*' for the whole tree. */
const placeOf = (t: Target): string => (t.scope === 'city' ? '*' : t.scope === 'zone' ? t.station : t.id);

/** Every place a station's rules can be filed under: its chain, itself, the version before the tree's ids. */
const placesOf = (st: StationInfo): string[] =>
  [...new Set(['*', ...st.areaPath, st.id, st.district, st.ward])].filter((p): p is string => !!p);

/**
 * The rules by place: a province of 10,000 stations has a rule or more per area, and filtering them all for
 * each station cost (stations × rules); now each station reads its chain's few.
 */
function file<T extends { target: Target }>(rules: T[]): Filed<T> {
  const byPlace = new Map<string, [number, T][]>();
  for (const [i, r] of rules.entries()) {
    const key = placeOf(r.target);
    const list = byPlace.get(key);
    if (list) list.push([i, r]);
    else byPlace.set(key, [[i, r]]);
  }
  return (places) => {
    const found = places.flatMap((p) => byPlace.get(p) ?? []);
    return found.sort((a, b) => a[0] - b[0]).map(([, r]) => r);
  };
}

function loadCatalogue(db: Db, station?: StationInfo): Catalogue {
  // One station (a preview): only the rules of its places, through the index on them.
  const only = station ? placesOf(station) : null;
  return {
    slots: file(only ? rulesAt<Slot>(db, 'slots', only) : allSlots(db)),
    quietWindows: file(only ? rulesAt<QuietWindow>(db, 'quiet_windows', only) : allQuietWindows(db)),
    clips: new Map(deliverableClipRefs(db).map((c) => [c.id, c])),
  };
}

/** The rules that target a station and end on or after `since` (all of them when null), and their clips. */
function contentFor(cat: Catalogue, station: StationInfo, since: string | null): StationRules {
  const applies = <T extends { target: Slot['target']; endDate: string }>(x: T) =>
    (since === null || x.endDate >= since) && targetIncludes(x.target, station);
  const places = placesOf(station);
  const slots = cat.slots(places).filter(applies);
  const clipIds = [...new Set(slots.flatMap((s) => s.clipIds))].sort();
  const clips = clipIds.flatMap((id) => {
    const c = cat.clips.get(id);
    return c ? [c] : [];
  });
  return { station, slots, quietWindows: cat.quietWindows(places).filter(applies), clips };
}

/** What a station is sent: rules still running. Yesterday's stay, so an entry just past midnight is explained. */
const liveSince = (station: StationInfo, now: Date) => addDays(utcToZoned(now, station.timezone).date, -1);

/** Local overrides cancelled at the controller and not ended yet; absent when none (older states unchanged). */
const withCancelled = (content: StationRules, cancelled: Map<string, string[]>): StationRules => {
  const ids = cancelled.get(content.station.id);
  return ids?.length ? { ...content, cancelledOverrides: ids } : content;
};

/** Where stations listen to a relay's upstream on the stream server (stream/pulls.ts); absent: none runs. */
export type RelayListen = (upstreamUrl: string) => string;

/** Relays through the stream server say where a station listens; without one, stations pull directly. */
const listening = (content: StationRules, listen: RelayListen | undefined): StationRules => {
  if (!listen || !content.slots.some((s) => s.relay?.via === 'stream-server')) return content;
  const slots = content.slots.map((s) =>
    s.relay?.via === 'stream-server' ? { ...s, relay: { ...s.relay, listenUrl: listen(s.relay.url) } } : s,
  );
  return { ...content, slots };
};

/** The content of a station's desired state now. */
export function buildDesiredState(db: Db, stationId: string, now: Date, listen?: RelayListen): StationRules {
  return liveRules(db, now, listen)(stationInfo(db, stationId));
}

/** The live rules of many stations: the catalogue is read once, then asked per station. */
export function liveRules(db: Db, now: Date, listen?: RelayListen): (station: StationInfo) => StationRules {
  const cat = loadCatalogue(db);
  const cancelled = cancelledOverrides(db, now);
  // the province's own speech dictionary, read by the station's announcements; absent when empty
  const dictionary = provinceDictionary(db);
  const spoken = Object.keys(dictionary).length ? { speechDictionary: dictionary } : {};
  return (station) => ({
    ...listening(withCancelled(contentFor(cat, station, liveSince(station, now)), cancelled), listen),
    ...spoken,
  });
}

/** The upstream of a relay mount, from the slots (a pull asked for after a restart); null if none names it. */
export function relayUpstreamOf(db: Db, mountOf: RelayListen, mount: string): string | null {
  for (const s of allSlots(db)) if (s.relay && mountOf(s.relay.url) === mount) return s.relay.url;
  return null;
}

/** Every rule that ever targeted a station (previews and reports of any period); read once, asked per station. */
export function allRules(db: Db): (station: StationInfo) => StationRules {
  const cat = loadCatalogue(db);
  return (station) => contentFor(cat, station, null);
}

export function allRulesFor(db: Db, stationId: string): StationRules {
  const station = stationInfo(db, stationId);
  return contentFor(loadCatalogue(db, station), station, null);
}
