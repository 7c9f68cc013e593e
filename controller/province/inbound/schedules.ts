// The province's schedules (lịch phát) made ours: each a campaign with one slot per day, time and area,
// playing the schedule's bulletins in order; a schedule changed at the province replaces its slots, and one
// the province no longer lists is cancelled here (its slots removed, the campaign kept for the record).
import type { Target } from '../../../schedules/model.ts';
import { LocalDate } from '../../../schedules/model.ts';
import { flexibleFitProblem } from '../../../schedules/timetable/flexible.ts';
import { createCampaign } from '../../campaigns/campaigns.ts';
import { findCampaign, updateCampaign } from '../../campaigns/store.ts';
import type { Admission } from '../../clips/admit.ts';
import { clipDurationMs } from '../../clips/store.ts';
import type { ControllerDeps } from '../../deps.ts';
import { SLOT, saveRule } from '../../rules/kinds.ts';
import { deleteRule, slotsOfCampaign } from '../../rules/store.ts';
import type { ProvinceSettings } from '../settings.ts';
import { addInbox, findItem, type ItemRow, liveSchedules, markItemCancelled, saveItem } from '../store.ts';
import { inward, isoDate, ProvinceRefusal, ProvinceSchedule, parseItem } from '../wire.ts';
import { digestOf, rawIdOf } from './bulletins.ts';
import { asRefusal, provincialClip, targetsOf } from './content.ts';

const EVERY_DAY = [1, 2, 3, 4, 5, 6, 7];

/** Our campaign id for a schedule of the province: readable, within the id rules. */
export const campaignIdOf = (scheduleId: string) =>
  `prov-${scheduleId.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 40)}-${digestOf(scheduleId).slice(0, 6)}`;

/** Removes a campaign's slots; answers the targets they had (the stations to tell). */
function clearSlots(deps: ControllerDeps, campaignId: string): Target[] {
  const slots = slotsOfCampaign(deps.db, campaignId);
  for (const s of slots) deleteRule(deps.db, 'slots', s.id);
  return slots.map((s) => s.target);
}

/** One slot per day, time and target; a time window whose sound fits is a flexible slot. */
function slotsOf(
  deps: ControllerDeps,
  priority: number,
  s: ProvinceSchedule,
  campaignId: string,
  clipIds: string[],
  targets: Target[],
) {
  const durations = clipIds.map((id) => ({ id, durationMs: clipDurationMs(deps.db, id) }));
  const slots: object[] = [];
  for (const day of s.DanhSachNgayPhat) {
    const date = isoDate(day.NgayPhat);
    if (!LocalDate.safeParse(date).success)
      throw new ProvinceRefusal(
        `schedule ${s.LichPhatID}: NgayPhat '${day.NgayPhat}' is not a date`,
        `lịch phát ${s.LichPhatID}: NgayPhat '${day.NgayPhat}' không phải ngày hợp lệ`,
      );
    for (const time of day.ThoiDiemPhat) {
      const window = { clipIds, startTime: time.ThoiGianBatDau, flexibleUntil: time.ThoiGianKetThuc ?? null };
      const fits =
        window.flexibleUntil &&
        window.flexibleUntil > window.startTime &&
        !flexibleFitProblem(window, durations);
      for (const target of targets)
        slots.push({
          id: `${campaignId}-${slots.length + 1}`,
          campaignId,
          clipIds,
          startTime: time.ThoiGianBatDau,
          flexibleUntil: fits ? window.flexibleUntil : null,
          weekdays: EVERY_DAY,
          startDate: date,
          endDate: date,
          target,
          priority,
        });
    }
  }
  return { slots, dates: s.DanhSachNgayPhat.map((d) => isoDate(d.NgayPhat)).sort() };
}

/**
 * Takes one schedule the province lists: null when it is as taken before, else the campaign's id; a
 * ProvinceRefusal (nothing stored) when a field, an area, a date, a clip or a slot is wrong.
 */
export async function takeSchedule(
  deps: ControllerDeps,
  settings: ProvinceSettings,
  admission: () => Admission,
  raw: unknown,
): Promise<string | null> {
  const { db, clock, log } = deps;
  const ours = inward(settings, raw);
  const s = parseItem(ProvinceSchedule, ours, `schedule ${rawIdOf(ours, 'LichPhatID') ?? '?'}`);
  const digest = digestOf(raw);
  const known = findItem(db, 'schedule', s.LichPhatID);
  if (known && known.digest === digest && !known.cancelled_at) return null;
  const what = `schedule ${s.LichPhatID}`;
  let targets: Target[];
  try {
    targets = targetsOf(deps, settings, s.DanhSachDiaBan);
  } catch (e) {
    throw e instanceof ProvinceRefusal ? e : asRefusal(e, what);
  }
  const clipIds: string[] = [];
  for (const content of s.DanhSachBanTin)
    clipIds.push(await provincialClip(deps, settings, admission, content));
  const campaignId = known?.campaign_id ?? campaignIdOf(s.LichPhatID);
  const { slots, dates } = slotsOf(deps, settings.schedulePriority, s, campaignId, clipIds, targets);
  const now = clock.now();
  let cleared: Target[] = [];
  try {
    db.transaction(() => {
      const fields = {
        name: s.TenLichPhat,
        message: `Lịch phát của ${settings.name} (${s.LichPhatID})`,
        startDate: dates[0] as string,
        endDate: dates[dates.length - 1] as string,
        areaId: null,
      };
      if (findCampaign(db, campaignId)) {
        cleared = clearSlots(deps, campaignId);
        updateCampaign(db, campaignId, fields);
      } else createCampaign(db, { id: campaignId, ...fields }, null, now);
      for (const slot of slots) saveRule(db, SLOT, slot, true, now);
      saveItem(db, {
        kind: 'schedule',
        province_id: s.LichPhatID,
        digest,
        document: JSON.stringify(raw),
        alert_id: null,
        campaign_id: campaignId,
        received_at: now.toISOString(),
      });
      addInbox(db, {
        kind: 'schedule',
        province_id: s.LichPhatID,
        digest,
        outcome: 'accepted',
        reason: null,
        reason_vi: null,
        alert_id: null,
        campaign_id: campaignId,
        received_at: now.toISOString(),
      });
    })();
  } catch (e) {
    throw asRefusal(e, what);
  }
  deps.desired.sync({ targets: [...cleared, ...targets] });
  log.info(`province schedule ${s.LichPhatID} -> campaign ${campaignId}: ${slots.length} slot(s)`);
  return campaignId;
}

/** Schedules taken before that the province no longer lists: cancelled here. Answers their ids. */
export function cancelMissing(deps: ControllerDeps, listed: Set<string>): ItemRow[] {
  const { db, clock, log } = deps;
  const gone = liveSchedules(db).filter((r) => !listed.has(r.province_id));
  const now = clock.now().toISOString();
  const targets: Target[] = [];
  db.transaction(() => {
    for (const r of gone) {
      if (r.campaign_id) targets.push(...clearSlots(deps, r.campaign_id));
      markItemCancelled(db, 'schedule', r.province_id, now);
      addInbox(db, {
        kind: 'schedule',
        province_id: r.province_id,
        digest: r.digest,
        outcome: 'cancelled',
        reason: 'deleted at the province',
        reason_vi: 'tỉnh đã xoá lịch phát',
        alert_id: null,
        campaign_id: r.campaign_id,
        received_at: now,
      });
    }
  })();
  if (gone.length) {
    deps.desired.sync({ targets });
    log.info(
      `province schedules deleted there, cancelled here: ${gone.map((r) => r.province_id).join(', ')}`,
    );
  }
  return gone;
}
