// Local overrides made by ward staff at their station: what they are, their limits, and how they are reported.
import { z } from 'zod';
import { ClipRef, Id } from './model.ts';

/**
 * stop: cut what is on air now (the override lasts until that entry would have ended);
 * pause: nothing but an emergency bulletin plays from startsAt to endsAt;
 * skip: one entry (entryId) does not play; for a normal bulletin this declines it;
 * quiet: a local quiet window (an exam, a funeral, a local event);
 * announce: play `clip` at startsAt (now or later);
 * volume: multiply the station's volume by `volume` from startsAt to endsAt.
 */
export const OverrideKind = z.enum(['stop', 'pause', 'skip', 'quiet', 'announce', 'volume']);
export type OverrideKind = z.infer<typeof OverrideKind>;

const Instant = z.iso.datetime();

export const Override = z.object({
  id: Id,
  stationId: Id,
  kind: OverrideKind,
  startsAt: Instant,
  /** Every override ends by itself. */
  endsAt: Instant,
  reason: z.string().trim().min(1).max(500),
  /** The name the ward staff member gave when signing in on the station's page. */
  createdBy: z.string().trim().min(1).max(100),
  createdAt: Instant,
  /** skip: the entry skipped; stop: the entry cut (null if nothing was on air). */
  entryId: z.string().max(200).nullable().default(null),
  /** announce: a clip of the desired state or one recorded/uploaded at the station (id `local-...`). */
  clip: ClipRef.nullable().default(null),
  /** volume: 0 to 2, multiplied with the configured volume. */
  volume: z.number().min(0).max(2).nullable().default(null),
  cancelledAt: Instant.nullable().default(null),
  /** `station:<name>` when cancelled on the page, `controller:<user>` when cancelled from /api/overrides. */
  cancelledBy: z.string().max(120).nullable().default(null),
});
export type Override = z.infer<typeof Override>;

/** An override may last up to this long... */
export const MAX_OVERRIDE_MS = 14 * 24 * 3_600_000;
/** ...and start at most this far ahead. */
export const MAX_OVERRIDE_LEAD_MS = 31 * 24 * 3_600_000;

/** Why an override cannot be accepted at `now` (in English and Vietnamese), or null. The shape is checked by the schema. */
export function overrideProblem(o: Override, now: Date): { en: string; vi: string } | null {
  const start = Date.parse(o.startsAt);
  const end = Date.parse(o.endsAt);
  const days = (ms: number) => ms / 86_400_000;
  if (!(end > start))
    return { en: 'endsAt must be after startsAt', vi: 'Thời điểm kết thúc phải sau thời điểm bắt đầu.' };
  if (end <= now.getTime()) return { en: 'endsAt is already past', vi: 'Thời điểm kết thúc đã qua.' };
  if (end - start > MAX_OVERRIDE_MS)
    return {
      en: `an override lasts at most ${days(MAX_OVERRIDE_MS)} days`,
      vi: `Một lệnh điều khiển tại đài kéo dài tối đa ${days(MAX_OVERRIDE_MS)} ngày.`,
    };
  if (start - now.getTime() > MAX_OVERRIDE_LEAD_MS)
    return {
      en: `an override starts at most ${days(MAX_OVERRIDE_LEAD_MS)} days ahead`,
      vi: `Chỉ đặt trước được tối đa ${days(MAX_OVERRIDE_LEAD_MS)} ngày.`,
    };
  if (o.kind === 'skip' && !o.entryId)
    return { en: 'a skip names the entry (entryId)', vi: 'Hãy chọn lượt phát cần bỏ qua.' };
  if (o.kind === 'announce' && !o.clip)
    return { en: 'an announcement names its clip', vi: 'Hãy chọn tệp âm thanh để thông báo.' };
  if (o.kind === 'volume' && o.volume === null)
    return { en: 'a volume override gives the volume (0 to 2)', vi: 'Hãy chọn mức âm lượng (0 đến 2).' };
  return null;
}

/** Whether the override is in force at `at` (started, not ended, not cancelled). */
export const overrideActive = (o: Override, at: number) =>
  o.cancelledAt === null && Date.parse(o.startsAt) <= at && at < Date.parse(o.endsAt);

/** Station -> controller, retained: the station's overrides that have not ended or ended in the last week. */
export const OverrideReport = z.object({ at: Instant, overrides: z.array(Override).max(500) });
export type OverrideReport = z.infer<typeof OverrideReport>;
