// The as-run log: records from stations stored exactly once, and queried by station, campaign and time.
import { z } from 'zod';
import { Id } from '../schedules/model.ts';
import { type AsRunRecord, Outcome } from '../schedules/protocol.ts';
import type { Db } from './db.ts';
import type { ControllerDeps } from './deps.ts';
import { defineRoute } from './routes.ts';
import { stationArea } from './scope.ts';

/** Stores records; returns the ids now held (new or already stored), which the station may forget. */
export function storeAsRun(db: Db, records: AsRunRecord[], receivedAt: Date): string[] {
  const insert = db.prepare(
    `INSERT OR IGNORE INTO plays (id, station_id, entry_id, slot_id, campaign_id, clip_ids, scheduled_at, outcome,
       reason, detail, relay_on_at, audio_start_at, audio_end_at, relay_off_at, desired_version, recorded_at, received_at)
     VALUES (@id, @stationId, @entryId, @slotId, @campaignId, @clipIds, @scheduledAt, @outcome, @reason, @detail,
       @relayOnAt, @audioStartAt, @audioEndAt, @relayOffAt, @desiredVersion, @recordedAt, @receivedAt)`,
  );
  const at = receivedAt.toISOString();
  db.transaction(() => {
    for (const r of records) insert.run({ ...r, clipIds: JSON.stringify(r.clipIds), receivedAt: at });
  })();
  return records.map((r) => r.id);
}

interface PlayRow {
  id: string;
  station_id: string;
  entry_id: string;
  slot_id: string | null;
  campaign_id: string | null;
  clip_ids: string;
  scheduled_at: string;
  outcome: string;
  reason: string | null;
  detail: string | null;
  relay_on_at: string | null;
  audio_start_at: string | null;
  audio_end_at: string | null;
  relay_off_at: string | null;
  desired_version: number;
  recorded_at: string;
  received_at: string;
}

const view = (r: PlayRow) => ({
  id: r.id,
  stationId: r.station_id,
  entryId: r.entry_id,
  slotId: r.slot_id,
  campaignId: r.campaign_id,
  clipIds: JSON.parse(r.clip_ids) as string[],
  scheduledAt: r.scheduled_at,
  outcome: r.outcome,
  reason: r.reason,
  detail: r.detail,
  relayOnAt: r.relay_on_at,
  audioStartAt: r.audio_start_at,
  audioEndAt: r.audio_end_at,
  relayOffAt: r.relay_off_at,
  desiredVersion: r.desired_version,
  recordedAt: r.recorded_at,
  receivedAt: r.received_at,
});

const Instant = z.iso.datetime({ offset: true }).transform((s) => new Date(s).toISOString());

const PlayQuery = z.strictObject({
  station: Id.optional(),
  campaign: Id.optional(),
  outcome: Outcome.optional(),
  from: Instant.optional(),
  to: Instant.optional(),
  limit: z.coerce.number().int().min(1).max(5000).default(500),
});

export function playRoutes(deps: ControllerDeps) {
  const { db } = deps;
  return [
    defineRoute({
      method: 'get',
      path: '/api/plays',
      tag: 'as-run',
      summary:
        'As-run log: what each station played or skipped and why (newest first; from inclusive, to exclusive)',
      access: 'user',
      query: PlayQuery,
      itemArea: (p: { stationId: string }) => stationArea(db, p.stationId),
      handle: ({ query }) => {
        const where: string[] = [];
        const args: Record<string, unknown> = { limit: query.limit };
        const add = (sql: string, key: string, value: unknown) => {
          if (value === undefined) return;
          where.push(sql);
          args[key] = value;
        };
        add('station_id = @station', 'station', query.station);
        add('campaign_id = @campaign', 'campaign', query.campaign);
        add('outcome = @outcome', 'outcome', query.outcome);
        add('scheduled_at >= @from', 'from', query.from);
        add('scheduled_at < @to', 'to', query.to);
        const sql = `SELECT * FROM plays ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
                     ORDER BY scheduled_at DESC, station_id LIMIT @limit`;
        return { json: (db.prepare(sql).all(args) as PlayRow[]).map(view) };
      },
    }),
  ];
}
