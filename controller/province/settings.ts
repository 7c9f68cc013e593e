// The provincial link's settings (PROVINCE_LINK_FILE, a JSON file read and checked once at start): the
// province's endpoints and login, our ids in its system, the level table and a field mapping.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { AlertLevel } from '../../schedules/alerts.ts';
import { Id } from '../../schedules/model.ts';

/** The names of our fields in the province's system, where its names differ (docs/province.md). */
export const FIELD_NAMES = [
  'NguonID',
  'TenNguon',
  'DichID',
  'CumLoaID',
  'TenThietBi',
  'AmLuong',
  'TrangThaiHoatDong',
  'TrangThaiKetNoi',
  'ViDo',
  'KinhDo',
  'ThongTinThietBi',
  'ThoiDiemBatDau',
  'NoiDungPhat',
  'PhienBanUngDung',
  'BanTinID',
  'LoaiBanTin',
  'MucDoUuTien',
  'TieuDe',
  'LoaiLinhVuc',
  'NoiDungTomTat',
  'ThoiLuong',
  'TacGia',
  'TiepAm',
  'NguonTiepAm',
  'NoiDung',
  'CongSuat',
  'ThoiDiemKetThuc',
  'DanhSachDiaBan',
  'LichPhatID',
  'TenLichPhat',
  'DanhSachBanTin',
  'DanhSachNgayPhat',
  'NgayPhat',
  'ThoiDiemPhat',
  'ThoiGianBatDau',
  'ThoiGianKetThuc',
] as const;
export type FieldName = (typeof FIELD_NAMES)[number];

const Seconds = (min: number, max: number, dflt: number) => z.number().min(min).max(max).default(dflt);
const Path = z.string().regex(/^\/[^\s]*$/, 'a path starting with /');

export const ProvinceFile = z.strictObject({
  /** Shown in the console and the log: "Sở Văn hóa, Thể thao và Du lịch tỉnh …". */
  name: z.string().trim().min(1).max(200),
  baseUrl: z.url().refine((u) => /^https?:/.test(u), 'http(s) only'),
  paths: z
    .strictObject({
      login: Path.default('/api/auth/login'),
      status: Path.default('/api/thiet-bi/trang-thai'),
      log: Path.default('/api/ban-tin/nhat-ky'),
      bulletins: Path.default('/api/ban-tin'),
      schedules: Path.default('/api/lich-phat'),
    })
    .prefault({}),
  username: z.string().min(1),
  password: z.string().min(1),
  /** Our system as the province knows it: NguonID and TenNguon of every message. */
  sourceId: z.string().min(1).max(100),
  sourceName: z.string().min(1).max(200),
  /** The province's ids (DanhSachDiaBan) for our areas; an id not here is looked up as a national code (MA_DVHC). */
  areas: z.record(z.string().min(1), Id).default({}),
  /** The province's CumLoaID of our stations; a station not here is reported under its own id. */
  stations: z.record(Id, z.string().min(1).max(100)).default({}),
  /** MucDoUuTien -> our level: by default 1 emergency, 2 priority, 3 normal (docs/province.md). */
  levels: z
    .strictObject({
      '1': AlertLevel.default('emergency'),
      '2': AlertLevel.default('priority'),
      '3': AlertLevel.default('normal'),
    })
    .prefault({}),
  /** The province's emergencies play inside our quiet windows too, as the device firmware does. */
  emergencyIgnoresQuietWindows: z.boolean().default(true),
  /** The priority of the province's schedule slots: it breaks ties with the commune's slots (docs/province.md). */
  schedulePriority: z.number().int().min(0).max(100).default(100),
  /** Also send the broadcast log of the commune's own content (bulletins and slots not from the province). */
  logLocalContent: z.boolean().default(false),
  /** Send the broadcast log of relays (tiếp âm) too. */
  logRelays: z.boolean().default(true),
  statusEverySeconds: Seconds(10, 3600, 60),
  pollEverySeconds: Seconds(1, 3600, 5),
  timeoutSeconds: Seconds(1, 120, 10),
  /** Outward requests in flight at once (different stations; one station's go in order). */
  concurrency: z.number().int().min(1).max(256).default(32),
  retry: z
    .strictObject({ minSeconds: Seconds(0.1, 600, 2), maxSeconds: Seconds(1, 86_400, 300) })
    .prefault({}),
  /** Our field name -> the province's, where its system names a field differently. */
  fields: z.partialRecord(z.enum(FIELD_NAMES), z.string().min(1).max(100)).default({}),
});
export type ProvinceSettings = Readonly<z.infer<typeof ProvinceFile>>;

/** PROVINCE_LINK_FILE, checked once at start: null when unset; an Error naming the bad field otherwise. */
export function provinceSettingsOf(env: NodeJS.ProcessEnv): ProvinceSettings | null {
  const file = env.PROVINCE_LINK_FILE;
  if (!file) return null;
  const fail = (why: string) =>
    new Error(`invalid controller environment:\n  PROVINCE_LINK_FILE ${file}: ${why}`);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw fail(`cannot read it as JSON (${(e as Error).message})`);
  }
  return parseProvinceSettings(raw, fail);
}

export function parseProvinceSettings(
  raw: unknown,
  fail = (why: string) => new Error(why),
): ProvinceSettings {
  const r = ProvinceFile.safeParse(raw);
  if (!r.success) {
    const i = r.error.issues[0];
    throw fail(`${i?.path.join('.') || '(file)'}: ${i?.message}`);
  }
  const names = Object.values(r.data.fields);
  if (new Set(names).size !== names.length) throw fail('fields: two of our fields map to one name');
  if (r.data.retry.maxSeconds < r.data.retry.minSeconds) throw fail('retry: maxSeconds is below minSeconds');
  return Object.freeze(r.data);
}
