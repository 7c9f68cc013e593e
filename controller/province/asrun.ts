// The broadcast log (nhật ký phát) the province gets: one message per piece of content heard, made from
// the as-run records as they are stored, read after a cursor and put in the outbox in one transaction.
import type { Db } from '../db.ts';
import type { PlayRow as StoredPlay } from '../plays/store.ts';
import type { ProvinceSettings } from './settings.ts';
import { linkRow, logQueue, provincialContent, setLink } from './store.ts';
import { outward, type ProvinceContent } from './wire.ts';

/** Outcomes that mean something went out on the loudspeakers. */
const HEARD = new Set(['played', 'interrupted', 'relay', 'live']);
const PRIORITY = { emergency: 1, priority: 2, normal: 3 } as const;

/** A stored as-run record with its place in the table (the link's cursor). */
type PlayRow = Pick<
  StoredPlay,
  | 'id'
  | 'station_id'
  | 'entry_id'
  | 'slot_id'
  | 'campaign_id'
  | 'clip_ids'
  | 'scheduled_at'
  | 'outcome'
  | 'audio_start_at'
  | 'audio_end_at'
  | 'relay_on_at'
  | 'heard_ms'
> & { rowid: number };

const epoch = (iso: string) => Math.floor(Date.parse(iso) / 1000);

/** What a log says of the content, from the province's own document where it sent it. */
function contentFields(c: Partial<ProvinceContent> & { MucDoUuTien?: number }) {
  return {
    BanTinID: c.BanTinID,
    LoaiBanTin: c.LoaiBanTin ?? null,
    MucDoUuTien: c.MucDoUuTien ?? 3,
    TieuDe: c.TieuDe,
    LoaiLinhVuc: c.LoaiLinhVuc ?? null,
    NoiDungTomTat: c.NoiDungTomTat ?? null,
    TacGia: c.TacGia ?? null,
    NoiDung: c.NoiDung ?? null,
  };
}

/** The messages of one record: one per clip heard (a slot may play several bulletins), or one for a relay. */
/** The look-ups of one batch, prepared once. */
const lookups = (db: Db) => ({
  slot: db.prepare('SELECT body FROM slots WHERE id = ?'),
  alert: db.prepare('SELECT level, title, reason FROM alerts WHERE id = ?'),
  clip: db.prepare('SELECT title, duration_ms FROM clips WHERE id = ?'),
  source: db.prepare('SELECT document FROM province_clips WHERE clip_id = ?'),
});

function logsOf(
  q: ReturnType<typeof lookups>,
  s: ProvinceSettings,
  p: PlayRow,
  provincial: ReturnType<typeof provincialContent>,
) {
  const alertId = p.entry_id.startsWith('alert:') ? p.entry_id.slice(6) : null;
  const fromProvince =
    (alertId && provincial.alerts.has(alertId)) || (p.campaign_id && provincial.campaigns.has(p.campaign_id));
  const relay = p.outcome === 'relay';
  if (!fromProvince && !(relay && s.logRelays) && !s.logLocalContent) return [];
  const station = {
    NguonID: s.sourceId,
    TenNguon: s.sourceName,
    CumLoaID: s.stations[p.station_id] ?? p.station_id,
  };
  const start = p.audio_start_at ?? p.relay_on_at ?? p.scheduled_at;
  const heardMs = p.heard_ms ?? (p.audio_end_at ? Date.parse(p.audio_end_at) - Date.parse(start) : 0);
  const base = {
    ...station,
    TiepAm: relay ? 1 : 0,
    NguonTiepAm: null as string | null,
    AmLuong: null,
    CongSuat: null,
  };
  if (relay) {
    const slot = q.slot.get(p.slot_id) as { body: string } | undefined;
    const url = slot ? ((JSON.parse(slot.body) as { relay?: { url?: string } }).relay?.url ?? null) : null;
    return [
      {
        ...base,
        ...contentFields({ BanTinID: p.slot_id ?? p.entry_id, TieuDe: `Tiếp âm ${url ?? ''}`.trim() }),
        NguonTiepAm: url,
        ThoiDiemBatDau: epoch(start),
        ThoiLuong: Math.round(heardMs / 1000),
      },
    ];
  }
  if (alertId) {
    const doc = provincial.alerts.get(alertId);
    const a = q.alert.get(alertId) as
      | { level: keyof typeof PRIORITY; title: string; reason: string }
      | undefined;
    const fields = doc
      ? contentFields(JSON.parse(doc))
      : contentFields({
          BanTinID: alertId,
          TieuDe: a?.title ?? alertId,
          MucDoUuTien: a ? PRIORITY[a.level] : 3,
        });
    return [{ ...base, ...fields, ThoiDiemBatDau: epoch(start), ThoiLuong: Math.round(heardMs / 1000) }];
  }
  // a slot: one message per clip, each at its own start
  let at = Date.parse(start);
  return (JSON.parse(p.clip_ids) as string[]).map((clipId) => {
    const c = q.clip.get(clipId) as { title: string; duration_ms: number } | undefined;
    const doc = (q.source.get(clipId) as { document: string } | undefined)?.document;
    const fields = doc
      ? contentFields(JSON.parse(doc))
      : contentFields({ BanTinID: clipId, TieuDe: c?.title ?? clipId });
    const log = {
      ...base,
      ...fields,
      ThoiDiemBatDau: Math.floor(at / 1000),
      ThoiLuong: Math.round((c?.duration_ms ?? 0) / 1000),
    };
    at += c?.duration_ms ?? 0;
    return log;
  });
}

/**
 * Puts the broadcast logs of the as-run records stored since the last call in the outbox (at most
 * `limit` records a call); each message's key is the record's, so it is queued and sent once. Answers the
 * records read.
 */
export function queueBroadcastLogs(db: Db, s: ProvinceSettings, now: Date, limit = 5000): number {
  const cursor = linkRow(db).asrun_cursor;
  const rows = db
    .prepare(
      `SELECT rowid, id, station_id, entry_id, slot_id, campaign_id, clip_ids, scheduled_at, outcome,
              audio_start_at, audio_end_at, relay_on_at, heard_ms
       FROM plays WHERE rowid > ? ORDER BY rowid LIMIT ?`,
    )
    .all(cursor, limit) as PlayRow[];
  if (!rows.length) return 0;
  const provincial = provincialContent(db);
  const q = lookups(db);
  const enqueue = logQueue(db);
  const at = now.toISOString();
  db.transaction(() => {
    for (const p of rows) {
      if (!HEARD.has(p.outcome)) continue;
      for (const [i, log] of logsOf(q, s, p, provincial).entries())
        enqueue(`log:${p.station_id}:${p.id}:${i}`, p.station_id, outward(s, log), at);
    }
    setLink(db, { asrun_cursor: (rows[rows.length - 1] as PlayRow).rowid });
  })();
  return rows.length;
}
