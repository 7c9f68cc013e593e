// What a rule is checked against before it is saved: its target exists, its clips may be scheduled and
// fit a flexible start, and a slot stays inside its campaign's dates and area.

import type { Slot, Target } from '../../schedules/model.ts';
import { flexibleFitProblem } from '../../schedules/timetable/flexible.ts';
import { targetArea, targetProblem } from '../areas/store.ts';
import { findCampaign } from '../campaigns/store.ts';
import { clipDurationMs, clipSchedulingProblem } from '../clips/store.ts';
import { dayText } from '../console/local-time.ts';
import type { Db } from '../db.ts';
import { badRequest } from '../http/errors.ts';

/** A target must name something that exists, or a typo would silently reach no station. */
export function checkTarget(db: Db, target: Target): void {
  const problem = targetProblem(db, target);
  if (problem) throw badRequest(problem, { field: 'target' });
}

export function checkSlot(db: Db, slot: Slot): void {
  checkTarget(db, slot.target);
  for (const clipId of slot.clipIds) {
    const problem = clipSchedulingProblem(db, clipId, slot.id);
    if (problem) throw badRequest(problem);
  }
  const durations = slot.clipIds.map((id) => ({ id, durationMs: clipDurationMs(db, id) }));
  const tooShort = flexibleFitProblem(slot, durations);
  if (tooShort) throw badRequest(tooShort);
  if (slot.campaignId) {
    const c = findCampaign(db, slot.campaignId);
    if (!c)
      throw badRequest([
        `campaign '${slot.campaignId}' does not exist`,
        'Đợt tuyên truyền không còn: có thể đã bị xóa.',
      ]);
    if (slot.startDate < c.start_date || slot.endDate > c.end_date) {
      throw badRequest([
        `slot dates must lie within campaign '${c.id}' (${c.start_date} to ${c.end_date})`,
        `Ngày của khung giờ phải nằm trong thời gian của đợt «${c.name}» (${dayText(c.start_date)} đến ${dayText(c.end_date)}).`,
      ]);
    }
    if (c.area_id && !targetArea(db, slot.target).path.includes(c.area_id)) {
      throw badRequest([
        `campaign '${c.id}' belongs to area '${c.area_id}': its slots must target inside it`,
        `Đợt «${c.name}» thuộc một địa bàn: khung giờ phát của đợt chỉ được chọn phạm vi trong địa bàn đó.`,
      ]);
    }
  }
}
