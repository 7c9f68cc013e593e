// What goes over the wire to and from the province: the field names (ours, renamed where a province's
// system differs), and the bulletins and schedules it offers, checked field by field with the reason in
// English and Vietnamese.
import { z } from 'zod';
import { LocalTime } from '../../schedules/model.ts';
import type { ProvinceSettings } from './settings.ts';

type Json = unknown;

/** Renames object keys at every depth by `names` (keys not in it stay). */
function renamed(value: Json, names: Record<string, string>): Json {
  if (Array.isArray(value)) return value.map((v) => renamed(v, names));
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [names[k] ?? k, renamed(v, names)]));
}

/** Our message in the province's field names. */
export const outward = (s: Pick<ProvinceSettings, 'fields'>, body: Json) =>
  renamed(body, s.fields as Record<string, string>);

/** The province's message in our field names. */
export function inward(s: Pick<ProvinceSettings, 'fields'>, body: Json): Json {
  const back = Object.fromEntries(Object.entries(s.fields).map(([ours, theirs]) => [theirs, ours]));
  return renamed(body, back);
}

/** An id the province may give as a number or a string. */
const ProvinceId = z
  .union([z.string().trim().min(1).max(100), z.number().int().nonnegative()])
  .transform(String);
const EpochSeconds = z.number().int().min(0).max(4_102_444_800);

/** One piece of content: a bulletin the province sends, or one of a schedule's. */
const Content = z.looseObject({
  BanTinID: ProvinceId,
  LoaiBanTin: ProvinceId.optional(),
  TieuDe: z.string().trim().min(1).max(500),
  LoaiLinhVuc: ProvinceId.optional(),
  NoiDungTomTat: z.string().max(5000).optional(),
  /** seconds */
  ThoiLuong: z.number().min(0).max(86_400).optional(),
  TacGia: z.string().max(200).optional(),
  /** The audio, as a URL. */
  NoiDung: z.url(),
});
export type ProvinceContent = z.infer<typeof Content>;

export const ProvinceBulletin = Content.extend({
  MucDoUuTien: z.union([z.literal(1), z.literal(2), z.literal(3)]),
  DanhSachDiaBan: z.array(ProvinceId).min(1).max(500),
  ThoiDiemBatDau: EpochSeconds.optional(),
  ThoiDiemKetThuc: EpochSeconds.optional(),
});
export type ProvinceBulletin = z.infer<typeof ProvinceBulletin>;

export const ProvinceSchedule = z.looseObject({
  LichPhatID: ProvinceId,
  TenLichPhat: z.string().trim().min(1).max(200),
  DanhSachDiaBan: z.array(ProvinceId).min(1).max(500),
  DanhSachBanTin: z.array(Content).min(1).max(50),
  DanhSachNgayPhat: z
    .array(
      z.looseObject({
        NgayPhat: z.string().regex(/^\d{2}-\d{2}-\d{4}$/, 'dd-mm-yyyy'),
        ThoiDiemPhat: z
          .array(z.looseObject({ ThoiGianBatDau: LocalTime, ThoiGianKetThuc: LocalTime.optional() }))
          .min(1)
          .max(48),
      }),
    )
    .min(1)
    .max(400),
});
export type ProvinceSchedule = z.infer<typeof ProvinceSchedule>;

/** Why something from the province is refused: in English for the log, in Vietnamese for the console. */
export class ProvinceRefusal extends Error {
  constructor(
    message: string,
    readonly messageVi: string,
  ) {
    super(message);
  }
}

/** The first problem zod found, as a refusal naming the field. */
function refusalOf(error: z.ZodError, what: string): ProvinceRefusal {
  const i = error.issues[0];
  const field = i?.path.join('.') || '(whole)';
  const missing = i?.code === 'invalid_type' && /received undefined/.test(i.message);
  if (missing)
    return new ProvinceRefusal(`${what}: field ${field} is missing`, `${what}: thiếu trường ${field}`);
  return new ProvinceRefusal(
    `${what}: field ${field} is not valid (${i?.message})`,
    `${what}: trường ${field} sai kiểu hoặc giá trị không hợp lệ (${i?.message})`,
  );
}

/** Checks one item the province offers, in our field names; a ProvinceRefusal otherwise. */
export function parseItem<T extends z.ZodType>(schema: T, raw: Json, what: string): z.output<T> {
  const r = schema.safeParse(raw);
  if (!r.success) throw refusalOf(r.error, what);
  return r.data;
}

/** The items of a list answer: an array, or an object whose Data (or data) is one. */
export function itemsOf(body: Json): Json[] | null {
  if (Array.isArray(body)) return body;
  if (body && typeof body === 'object') {
    const data = (body as { Data?: Json; data?: Json }).Data ?? (body as { data?: Json }).data;
    if (Array.isArray(data)) return data;
  }
  return null;
}

/** "dd-mm-yyyy" -> "yyyy-mm-dd". */
export const isoDate = (ddmmyyyy: string) => ddmmyyyy.split('-').reverse().join('-');
