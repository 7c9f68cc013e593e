// What a change touches over the next two weeks: the stations a target reaches, and at each the timetable
// entries a test picks out, read from the API's timetable preview (computed as the agent computes it).
import type { TimetableEntry } from '../../../../schedules/model.ts';
import type { Page } from '../../context.ts';
import { localStamp } from '../../local-time.ts';
import type { Places, StationLite, TargetValue } from '../../targets.tsx';

/** The window a confirmation looks at. */
export const AFFECTED_DAYS = 14;
/** Stations whose timetable is read (a city-wide rule names the first ones and counts the rest). */
export const MAX_STATIONS = 30;
/** Local times listed per station. */
const MAX_TIMES = 4;

export interface Affected {
  stationId: string;
  stationName: string;
  count: number;
  /** The first entries, as local dd/mm/yyyy HH:mm. */
  next: string[];
}

/** The stations the person sees that a target reaches. */
export function stationsOf(places: Places, target: TargetValue): StationLite[] {
  if (target.scope === 'city') return places.stations;
  if (target.scope === 'zone') return places.stations.filter((s) => s.id === target.station);
  if (target.scope === 'station') return places.stations.filter((s) => s.id === target.id);
  return places.stations.filter((s) => s.areaPath.includes(target.id) || s.areaId === target.id);
}

/** At each station (by name), the entries of the next two weeks that `pick` keeps; stations without any left out. */
export async function entriesOf(
  page: Page,
  places: Places,
  stations: StationLite[],
  pick: (e: TimetableEntry & { skip?: { code: string; quietWindowId?: string } }) => boolean,
  now = new Date(),
): Promise<Affected[]> {
  const from = now.toISOString();
  const to = new Date(now.getTime() + AFFECTED_DAYS * 86_400_000).toISOString();
  const found = await Promise.all(
    stations.slice(0, MAX_STATIONS).map(async (s) => {
      const res = await page.api(
        'GET',
        `/api/stations/${encodeURIComponent(s.id)}/timetable?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`,
      );
      const entries = (res.status === 200 ? res.body : []) as TimetableEntry[];
      const mine = entries.filter(pick);
      const zone = (s as StationLite & { timezone?: string }).timezone;
      return {
        stationId: s.id,
        stationName: places.station.get(s.id)?.name ?? s.name,
        count: mine.length,
        next: mine.slice(0, MAX_TIMES).map((e) => localStamp(e.startsAt, zone)),
      };
    }),
  );
  return found.filter((a) => a.count > 0);
}
