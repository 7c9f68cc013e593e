// Campaign reports (the plan's duty to report results upward): planned against played, per area (as the
// areas were then: a report of the past names them as they were named, and across a merge shows both) and
// per day.

import { DEFAULT_TAIL_MS, DEFAULT_WARM_UP_MS } from '../../schedules/model.ts';
import { targetIncludes } from '../../schedules/targets.ts';
import { addDays, utcToZoned, zonedToUtc } from '../../schedules/time.ts';
import { compileTimetable } from '../../schedules/timetable/compile.ts';
import { type AreaGroups, areaGroups } from '../areas/groups.ts';
import { loadTree } from '../areas/tree.ts';
import { getCampaign } from '../campaigns/store.ts';
import type { Db } from '../db.ts';
import { sees } from '../http/scope.ts';
import { allRules } from '../rules/station-rules.ts';
import { slotsOfCampaign } from '../rules/store.ts';
import { allStationInfos } from '../stations/store.ts';
import type { Principal } from '../users/roles.ts';
import { archivedBefore } from './retention.ts';
import { onAirMs, summaryDay } from './rollup.ts';
import { playsOfCampaign } from './store.ts';

export interface Tally {
  planned: number;
  played: number;
  skipped: Record<string, number>;
  failed: number;
  missed: number;
  interrupted: number;
  unreported: number;
  minutesOnAir: number;
}
const emptyTally = (): Tally => ({
  planned: 0,
  played: 0,
  skipped: {},
  failed: 0,
  missed: 0,
  interrupted: 0,
  unreported: 0,
  minutesOnAir: 0,
});

export type CampaignReport = ReturnType<typeof campaignReport>;

export interface ReportQuery {
  /** Only entries at stations that lay in or under this area at the time. */
  area?: string;
  /** Group by the areas of this level (as they were at the time) instead of each station's own area. */
  level?: string;
}

export function campaignReport(
  db: Db,
  campaignId: string,
  principal: Principal | null,
  now: Date,
  query: ReportQuery = {},
) {
  const campaign = getCampaign(db, campaignId);
  const tree = loadTree(db);
  const stations = allStationInfos(db, tree).filter((s) =>
    sees(principal, { path: s.areaPath, name: s.name }),
  );
  const groups: AreaGroups<Tally> = areaGroups(db, emptyTally, query);
  const slots = slotsOfCampaign(db, campaignId);
  const plays = playsOfCampaign(db, campaignId);
  const playsByEntry = new Map<string, Counted>(
    plays.map((p) => [
      `${p.station_id}/${p.entry_id}`,
      {
        outcome: p.outcome,
        reason: p.reason,
        onAirMs: onAirMs(p.outcome, p.audio_start_at, p.audio_end_at),
        readings: p.repeat_played ?? undefined,
      },
    ]),
  );
  // entries whose rows were archived are matched with their day's summary, outcome by outcome
  const gone = archivedBefore(db);
  const archived = gone ? archivedOutcomes(db, campaignId, gone) : null;

  const rulesOf = allRules(db);
  const total = emptyTally();
  const readings = { planned: 0, played: 0 };
  const byDay = new Map<string, Tally>();
  const neverConfirmed: string[] = [];
  for (const st of stations) {
    if (!slots.some((s) => targetIncludes(s.target, st))) continue;
    const from = zonedToUtc(campaign.start_date, '00:00', st.timezone);
    const to = zonedToUtc(addDays(campaign.end_date, 1), '00:00', st.timezone);
    const entries = compileTimetable(rulesOf(st), {
      from,
      to,
      leadMs: DEFAULT_WARM_UP_MS,
      tailMs: DEFAULT_TAIL_MS,
    }).filter((e) => e.campaignId === campaignId);
    let confirmed = false;
    for (const e of entries) {
      const area = groups.at(st, e.startsAt);
      if (!area) continue;
      const day = utcToZoned(new Date(e.startsAt), st.timezone).date;
      const dayTally = byDay.get(day) ?? emptyTally();
      byDay.set(day, dayTally);
      const p =
        playsByEntry.get(`${st.id}/${e.id}`) ??
        (gone && e.startsAt < gone ? archived?.take(st.id, e.slotId, e.startsAt) : undefined);
      if (p) confirmed = true;
      for (const t of [total, area, dayTally]) count(t, p, Date.parse(e.startsAt) < now.getTime());
      countReadings(readings, e.repeat?.times ?? 1, p);
    }
    if (!confirmed && entries.some((e) => Date.parse(e.startsAt) < now.getTime())) neverConfirmed.push(st.id);
  }
  return {
    campaign: {
      id: campaign.id,
      name: campaign.name,
      message: campaign.message,
      startDate: campaign.start_date,
      endDate: campaign.end_date,
    },
    total,
    /** Readings of the content (a slot read 3 times plans 3): planned, and heard to their end (repeat.ts). */
    readings,
    byArea: groups.rows(),
    byDay: [...byDay.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([date, t]) => ({ date, ...t })),
    neverConfirmed,
  };
}

interface Counted {
  outcome: string;
  reason: string | null;
  onAirMs: number;
  /** A repeated record's readings heard; absent: all of them if played (archived days keep no readings). */
  readings?: number | undefined;
}

/** The day summaries of a campaign's archived days, handed out one record at a time per station, day and slot. */
function archivedOutcomes(db: Db, campaignId: string, before: string) {
  const groups = new Map<string, { counted: Counted; left: number }[]>();
  const rows = db
    .prepare(
      `SELECT station_id, day, slot_id, outcome, reason, records, on_air_ms FROM play_days
       WHERE campaign_id = ? AND day < ?`,
    )
    .all(campaignId, summaryDay(before)) as {
    station_id: string;
    day: string;
    slot_id: string;
    outcome: string;
    reason: string;
    records: number;
    on_air_ms: number;
  }[];
  for (const r of rows) {
    const key = `${r.station_id}/${r.day}/${r.slot_id}`;
    const list = groups.get(key) ?? [];
    const counted = { outcome: r.outcome, reason: r.reason || null, onAirMs: r.on_air_ms / r.records };
    list.push({ counted, left: r.records });
    groups.set(key, list);
  }
  return {
    take(stationId: string, slotId: string | null, startsAt: string): Counted | undefined {
      const left = groups
        .get(`${stationId}/${summaryDay(startsAt)}/${slotId ?? ''}`)
        ?.find((g) => g.left > 0);
      if (!left) return undefined;
      left.left--;
      return left.counted;
    },
  };
}

/** A record's readings: a repeated one's as it says; another's all of them if played (archived days too). */
function countReadings(r: { planned: number; played: number }, times: number, p: Counted | undefined): void {
  r.planned += times;
  if (p) r.played += p.readings ?? (p.outcome === 'played' ? times : 0);
}

function count(t: Tally, p: Counted | undefined, due: boolean): void {
  t.planned++;
  if (!p) {
    if (due) t.unreported++;
    return;
  }
  if (p.outcome === 'played') {
    t.played++;
    t.minutesOnAir += p.onAirMs / 60_000;
  } else if (p.outcome === 'skipped') {
    const r = p.reason ?? 'unknown';
    t.skipped[r] = (t.skipped[r] ?? 0) + 1;
  } else if (p.outcome === 'failed' || p.outcome === 'missed' || p.outcome === 'interrupted') t[p.outcome]++;
}
