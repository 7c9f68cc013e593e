// The national view's readings: each accepted bulletin's stations at each province (reached, started) read
// from its GET /api/alerts/:id every `watchSeconds` while the bulletin is young, ten times less often after,
// until it expires; and each province's day summaries (its area report of the root area, day by day) into
// the national table, every `reportEverySeconds` and on demand.
import type { Clock } from '../../common/clock.ts';
import type { Logger } from '../../common/log.ts';
import { DEFAULT_TIMEZONE } from '../../schedules/model.ts';
import { addDays, utcToZoned, zonedToUtc } from '../../schedules/time.ts';
import type { Db } from '../db.ts';
import { ProvinceFailure } from '../province/client.ts';
import type { NationalClient } from './client.ts';
import type { NationalSettings } from './settings.ts';
import { noteLink } from './store.ts';

export interface WatchDeps {
  db: Db;
  clock: Clock;
  log: Logger;
  settings: NationalSettings;
  clients: ReadonlyMap<string, NationalClient>;
}

interface Watched {
  item_id: string;
  province_id: string;
  remote_id: string;
  created_at: string;
  expires_at: string | null;
}

/** Reads every accepted bulletin's counts that are due on this tick (tick counts the watch intervals). */
export async function readBulletins(d: WatchDeps, tick: number): Promise<void> {
  const now = d.clock.now();
  const young = new Date(now.getTime() - d.settings.watchYoungSeconds * 1000).toISOString();
  const rows = d.db
    .prepare(
      `SELECT s.item_id, s.province_id, s.remote_id, i.created_at, json_extract(i.body, '$.expiresAt') AS expires_at
       FROM national_sends s JOIN national_items i ON i.id = s.item_id
       WHERE i.kind = 'bulletin' AND s.state = 'accepted' AND i.created_at > ?`,
    )
    .all(new Date(now.getTime() - 7 * 86_400_000).toISOString()) as Watched[];
  const last = d.db.prepare(
    'SELECT stations, reached, started FROM national_alert_counts WHERE item_id = ? AND province_id = ? ORDER BY at DESC LIMIT 1',
  );
  const add = d.db.prepare(
    'INSERT OR REPLACE INTO national_alert_counts (item_id, province_id, at, stations, reached, started) VALUES (?, ?, ?, ?, ?, ?)',
  );
  await Promise.all(
    rows.map(async (w) => {
      if (w.created_at <= young && tick % 10 !== 0) return;
      const client = d.clients.get(w.province_id);
      if (!client) return;
      try {
        const r = await client.call('GET', `/api/alerts/${w.remote_id}`);
        const stations = (r.body?.stations ?? []) as { state: string; startedAt: string | null }[];
        const counts = {
          stations: stations.length,
          reached: stations.filter((s) => s.state !== 'pending').length,
          started: stations.filter((s) => s.startedAt).length,
        };
        const before = last.get(w.item_id, w.province_id) as typeof counts | undefined;
        if (
          !before ||
          before.reached !== counts.reached ||
          before.started !== counts.started ||
          before.stations !== counts.stations
        )
          add.run(
            w.item_id,
            w.province_id,
            d.clock.now().toISOString(),
            counts.stations,
            counts.reached,
            counts.started,
          );
      } catch (e) {
        if (!(e instanceof ProvinceFailure)) throw e;
      }
    }),
  );
}

/** Reads the last `reportDays` local days of every province (today's too, still growing). */
export async function readReports(d: WatchDeps): Promise<void> {
  const today = utcToZoned(d.clock.now(), DEFAULT_TIMEZONE).date;
  const save = d.db.prepare(
    `INSERT OR REPLACE INTO national_report_days (province_id, day, stations, played, missed, records, minutes_on_air, read_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  await Promise.all(
    [...d.clients].map(async ([provinceId, client]) => {
      try {
        const tree = await client.call('GET', '/api/areas');
        const areas = (tree.body?.areas ?? []) as { id: string; depth: number; stations: number }[];
        const root = areas[0];
        if (!root) return;
        const stations = areas.reduce((n, a) => n + a.stations, 0);
        for (let i = d.settings.reportDays - 1; i >= 0; i--) {
          const day = addDays(today, -i);
          const from = zonedToUtc(day, '00:00', DEFAULT_TIMEZONE).toISOString();
          const to = zonedToUtc(addDays(day, 1), '00:00', DEFAULT_TIMEZONE).toISOString();
          const r = await client.call('GET', `/api/reports/areas/${root.id}?from=${from}&to=${to}`);
          const t = r.body.total as { played: number; missed: number; records: number; minutesOnAir: number };
          save.run(
            provinceId,
            day,
            stations,
            t.played,
            t.missed,
            t.records,
            t.minutesOnAir,
            d.clock.now().toISOString(),
          );
        }
        noteLink(d.db, provinceId, d.clock.now().toISOString());
      } catch (e) {
        if (!(e instanceof ProvinceFailure)) throw e;
        noteLink(d.db, provinceId, d.clock.now().toISOString(), { en: e.message, vi: e.messageVi });
        d.log.warn(`national: reports of ${provinceId}: ${e.message}`);
      }
    }),
  );
}
