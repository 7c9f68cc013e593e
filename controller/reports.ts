// Campaign reports (the plan's duty to report results upward): planned against played, per area and per day.
import { compileTimetable } from '../schedules/compile.ts';
import { DEFAULT_TAIL_MS, DEFAULT_WARM_UP_MS } from '../schedules/model.ts';
import { targetIncludes } from '../schedules/targets.ts';
import { addDays, utcToZoned, zonedToUtc } from '../schedules/time.ts';
import type { Principal } from './auth.ts';
import type { Db } from './db.ts';
import type { ControllerDeps } from './deps.ts';
import { allRules } from './desired.ts';
import { notFound } from './errors.ts';
import { type AnyRoute, defineRoute } from './routes.ts';
import { covers } from './scope.ts';

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

interface PlayRow {
  id: string;
  station_id: string;
  entry_id: string;
  scheduled_at: string;
  outcome: string;
  reason: string | null;
  audio_start_at: string | null;
  audio_end_at: string | null;
}

export type CampaignReport = ReturnType<typeof campaignReport>;

export function campaignReport(db: Db, campaignId: string, principal: Principal | null, now: Date) {
  const campaign = db.prepare('SELECT * FROM campaigns WHERE id = ?').get(campaignId) as
    | {
        id: string;
        name: string;
        message: string;
        start_date: string;
        end_date: string;
        district: string | null;
      }
    | undefined;
  if (!campaign) throw notFound('campaign', campaignId);
  const stations = (
    db.prepare('SELECT id, name, district, ward, timezone FROM stations ORDER BY id').all() as {
      id: string;
      name: string;
      district: string;
      ward: string;
      timezone: string;
    }[]
  ).filter((s) => principal?.kind !== 'user' || covers(principal.scope, s));
  const slots = (
    db.prepare('SELECT body FROM slots WHERE campaign_id = ?').all(campaignId) as { body: string }[]
  ).map((r) => JSON.parse(r.body) as { target: Parameters<typeof targetIncludes>[0] });
  const plays = db.prepare('SELECT * FROM plays WHERE campaign_id = ?').all(campaignId) as PlayRow[];
  const playsByEntry = new Map(plays.map((p) => [`${p.station_id}/${p.entry_id}`, p]));

  const rulesOf = allRules(db);
  const total = emptyTally();
  const byArea = new Map<string, Tally & { district: string; ward: string }>();
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
    const areaKey = `${st.district}/${st.ward}`;
    const area = byArea.get(areaKey) ?? { ...emptyTally(), district: st.district, ward: st.ward };
    byArea.set(areaKey, area);
    let confirmed = false;
    for (const e of entries) {
      const day = utcToZoned(new Date(e.startsAt), st.timezone).date;
      const dayTally = byDay.get(day) ?? emptyTally();
      byDay.set(day, dayTally);
      const p = playsByEntry.get(`${st.id}/${e.id}`);
      if (p) confirmed = true;
      for (const t of [total, area, dayTally]) count(t, p, Date.parse(e.startsAt) < now.getTime());
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
    byArea: [...byArea.values()].sort((a, b) =>
      `${a.district}/${a.ward}`.localeCompare(`${b.district}/${b.ward}`),
    ),
    byDay: [...byDay.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([date, t]) => ({ date, ...t })),
    neverConfirmed,
  };
}

function count(t: Tally, p: PlayRow | undefined, due: boolean): void {
  t.planned++;
  if (!p) {
    if (due) t.unreported++;
    return;
  }
  if (p.outcome === 'played') {
    t.played++;
    if (p.audio_start_at && p.audio_end_at) {
      t.minutesOnAir += (Date.parse(p.audio_end_at) - Date.parse(p.audio_start_at)) / 60_000;
    }
  } else if (p.outcome === 'skipped') {
    const r = p.reason ?? 'unknown';
    t.skipped[r] = (t.skipped[r] ?? 0) + 1;
  } else if (p.outcome === 'failed' || p.outcome === 'missed' || p.outcome === 'interrupted') t[p.outcome]++;
}

const CSV_COLUMNS = [
  'id',
  'stationId',
  'stationName',
  'district',
  'ward',
  'scheduledAt',
  'outcome',
  'reason',
  'detail',
  'audioStartAt',
  'audioEndAt',
];
const csvCell = (v: unknown) => {
  const s = v === null || v === undefined ? '' : String(v);
  // Quote always; a leading = + - @ is defused so spreadsheet programs do not run it as a formula.
  return `"${(/^[=+\-@]/.test(s) ? `'${s}` : s).replaceAll('"', '""')}"`;
};

export function reportRoutes(deps: ControllerDeps): AnyRoute[] {
  const { db, clock } = deps;
  const areaOf = ({ params }: { params: Record<string, string> }) => {
    const c = db.prepare('SELECT district FROM campaigns WHERE id = ?').get(params.id) as
      | { district: string | null }
      | undefined;
    if (!c) throw notFound('campaign', params.id as string);
    return [{ district: c.district, ward: null }];
  };
  return [
    defineRoute({
      method: 'get',
      path: '/api/reports/campaigns/:id',
      tag: 'reports',
      summary:
        'Campaign report: planned, played, skipped by reason, failed, missed, minutes on air; per area, per day; stations that never confirmed',
      access: 'user',
      roles: ['technician', 'reviewer', 'viewer'],
      area: areaOf,
      handle: ({ params, principal }) => ({
        json: campaignReport(db, params.id as string, principal, clock.now()),
      }),
    }),
    defineRoute({
      method: 'get',
      path: '/api/reports/campaigns/:id/plays.csv',
      tag: 'reports',
      summary: "The campaign's as-run records as CSV (the rows of /api/plays?campaign=ID, within your area)",
      access: 'user',
      roles: ['technician', 'reviewer', 'viewer'],
      area: areaOf,
      handle: ({ c, params, principal }) => {
        const rows = db
          .prepare(
            `SELECT p.*, s.name AS station_name, s.district, s.ward FROM plays p LEFT JOIN stations s ON s.id = p.station_id
             WHERE p.campaign_id = ? ORDER BY p.scheduled_at DESC, p.station_id`,
          )
          .all(params.id) as (PlayRow & {
          detail: string | null;
          station_name: string | null;
          district: string | null;
          ward: string | null;
        })[];
        const visible = rows.filter(
          (r) =>
            principal?.kind !== 'user' || covers(principal.scope, { district: r.district, ward: r.ward }),
        );
        const lines = [CSV_COLUMNS.join(',')].concat(
          visible.map((r) =>
            [
              r.id,
              r.station_id,
              r.station_name,
              r.district,
              r.ward,
              r.scheduled_at,
              r.outcome,
              r.reason,
              r.detail,
              r.audio_start_at,
              r.audio_end_at,
            ]
              .map(csvCell)
              .join(','),
          ),
        );
        c.header('content-disposition', `attachment; filename="bao-cao-${params.id}.csv"`);
        // The BOM makes spreadsheet programs read the Vietnamese text as UTF-8.
        return c.body(`\uFEFF${lines.join('\r\n')}\r\n`, 200, { 'content-type': 'text/csv; charset=utf-8' });
      },
    }),
  ];
}
