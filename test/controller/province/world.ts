// The provincial link's test world: the CAP tests' controller (three wards of Cần Thơ with their national
// codes, a station in each), a fake provincial server on a real port, the link between them, and a clock
// the test moves.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { resolveFfmpeg } from '../../../audio/index.ts';
import { silentLogger } from '../../../common/log.ts';
import type { ControllerDeps } from '../../../controller/deps.ts';
import { createProvinceLink } from '../../../controller/province/link.ts';
import { parseProvinceSettings } from '../../../controller/province/settings.ts';
import { tone } from '../../audio/fixtures.ts';
import { PROVINCE_PATHS, startProvinceServer } from '../../support/province-server.ts';
import { tempDir } from '../../support/temp.ts';
import { capWorld } from '../alerts/cap/world.ts';

const audioDir = tempDir('province-audio');
/** A 2 s tone and another of 3 s: two different recordings the province serves. */
export const TONE = readFileSync(tone(path.join(audioDir.dir, 'a.wav'), 2));
export const TONE_B = readFileSync(tone(path.join(audioDir.dir, 'b.wav'), 3));

export async function provinceWorld(settings: object = {}, start = '2026-11-26T03:00:00Z') {
  let t = Date.parse(start);
  const clock = { now: () => new Date(t) };
  const ctl = await capWorld(clock);
  const server = await startProvinceServer({ now: () => t });
  server.state.audio.set('canh-bao.wav', TONE);
  server.state.audio.set('tuyen-truyen.wav', TONE_B);
  const published: { topic: string; payload: string }[] = [];
  const deps: ControllerDeps = {
    config: ctl.config,
    db: ctl.db,
    clock,
    ffmpeg: resolveFfmpeg(process.env),
    desired: ctl.desired,
    log: silentLogger,
    bus: { publish: (topic, payload) => published.push({ topic, payload }) },
  };
  const s = parseProvinceSettings({
    name: 'Sở VHTTDL thành phố Cần Thơ',
    baseUrl: server.url,
    username: server.state.username,
    password: server.state.password,
    sourceId: 'NGUON-CT-01',
    sourceName: 'Hệ thống truyền thanh thành phố Cần Thơ',
    stations: { 'st-an-hoa': 'CUMLOA-0001' },
    areas: { 'DB-NK': 'ninh-kieu' },
    timeoutSeconds: 1,
    retry: { minSeconds: 1, maxSeconds: 60 },
    ...settings,
  });
  const newLink = () => createProvinceLink(deps, s, { random: () => 1 });
  const world = {
    ctl,
    server,
    deps,
    settings: s,
    link: newLink(),
    published,
    clock,
    advance: (ms: number) => {
      t += ms;
    },
    paths: PROVINCE_PATHS,
    audio: (name: string) => `${server.url}/audio/${name}`,
    /** Forgets what the link did (the clips stay: the same audio again is the same clip, not processed again). */
    reset() {
      world.link = newLink();
      ctl.db.exec(`DELETE FROM alert_stations; DELETE FROM alerts; DELETE FROM slot_clips; DELETE FROM slots;
        DELETE FROM campaigns; DELETE FROM plays; DELETE FROM province_items; DELETE FROM province_inbox;
        DELETE FROM province_outbox; DELETE FROM province_delivered;
        UPDATE province_link SET asrun_cursor = 0, last_error = NULL, last_error_vi = NULL, last_error_at = NULL,
          last_poll_at = NULL, last_success_at = NULL;`);
      published.length = 0;
      ctl.published.length = 0;
      Object.assign(server.state, {
        bulletins: [],
        schedules: [],
        listBody: undefined,
        outage: null,
        repeats: 0,
        statuses: [],
      });
      server.state.logs.clear();
    },
    async close() {
      await world.link.stop();
      await server.close();
      ctl.cleanup();
    },
  };
  return world;
}
export type ProvinceWorld = Awaited<ReturnType<typeof provinceWorld>>;

/** A bulletin as the province offers it. */
export const provinceBulletin = (w: ProvinceWorld, extra: object = {}) => ({
  BanTinID: 'BT-2026-0001',
  LoaiBanTin: 1,
  MucDoUuTien: 1,
  TieuDe: 'Cảnh báo triều cường',
  LoaiLinhVuc: 'PCTT',
  NoiDungTomTat: 'Triều cường dâng cao, đề nghị người dân khu vực ven sông chủ động phòng tránh.',
  ThoiLuong: 2,
  TacGia: 'Ban Chỉ huy PCTT thành phố',
  NoiDung: w.audio('canh-bao.wav'),
  DanhSachDiaBan: ['31117'],
  ...extra,
});

/** A schedule as the province offers it: two days, two times a day, the district Ninh Kiều. */
export const provinceSchedule = (w: ProvinceWorld, extra: object = {}) => ({
  LichPhatID: 'LP-2026-12',
  TenLichPhat: 'Tuyên truyền bầu cử đại biểu Quốc hội',
  DanhSachDiaBan: ['DB-NK'],
  DanhSachBanTin: [
    {
      BanTinID: 'BT-TT-01',
      TieuDe: 'Bầu cử là quyền và nghĩa vụ của công dân',
      NoiDung: w.audio('tuyen-truyen.wav'),
    },
  ],
  DanhSachNgayPhat: [
    {
      NgayPhat: '01-12-2026',
      ThoiDiemPhat: [
        { ThoiGianBatDau: '06:00:00' },
        { ThoiGianBatDau: '17:00:00', ThoiGianKetThuc: '17:30:00' },
      ],
    },
    {
      NgayPhat: '02-12-2026',
      ThoiDiemPhat: [{ ThoiGianBatDau: '06:00:00' }, { ThoiGianBatDau: '17:00:00' }],
    },
  ],
  ...extra,
});

/** An as-run record stored as the ingest stores it. */
export function addPlay(
  w: ProvinceWorld,
  p: {
    id: string;
    station: string;
    entryId: string;
    campaignId?: string;
    slotId?: string;
    clipIds?: string[];
    outcome?: string;
  },
) {
  const at = w.clock.now().toISOString();
  w.ctl.db
    .prepare(
      `INSERT INTO plays (id, station_id, entry_id, slot_id, campaign_id, clip_ids, scheduled_at, outcome, audio_start_at, audio_end_at, desired_version, recorded_at, received_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`,
    )
    .run(
      p.id,
      p.station,
      p.entryId,
      p.slotId ?? null,
      p.campaignId ?? null,
      JSON.stringify(p.clipIds ?? []),
      at,
      p.outcome ?? 'played',
      at,
      new Date(w.clock.now().getTime() + 2000).toISOString(),
      at,
      at,
    );
}
