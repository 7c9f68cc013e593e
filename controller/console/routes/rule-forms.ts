// A slot's and a quiet window's form as the API takes them, read once for adding and for editing: the days
// and times typed as people type them, or the refusal that names the field it could not read.
import type { Form, Page } from '../context.ts';
import { formClocks, formDayList, formDays, weekdaysOf } from '../forms.tsx';
import { DATE_WORDS } from '../local-time.ts';
import { parseTarget } from '../targets.tsx';

type Refusal = { status: number; body: { message: string; field: string } };
type Read = { refusal: Refusal } | { body: Record<string, unknown> };

/** A clip slot's fields (clip, start, flexible end, weekdays, dates, target). */
export function slotFields(page: Page, f: Form): Read {
  const dates = formDays(page, f, ['startDate', 'endDate']);
  if ('refusal' in dates) return dates;
  const times = formClocks(page, f, ['startTime'], ['flexibleUntil']);
  if ('refusal' in times) return times;
  return {
    body: {
      clipIds: [f.clipId],
      startTime: times.clocks.startTime,
      flexibleUntil: times.clocks.flexibleUntil ?? null,
      weekdays: weekdaysOf(f.weekdays),
      ...dates.days,
      target: parseTarget(f.target),
    },
  };
}

/** A quiet window's fields (reason, note, times, weekdays, dates and the dates excepted, target). */
export function quietFields(page: Page, f: Form): Read {
  const dates = formDays(page, f, ['startDate', 'endDate']);
  if ('refusal' in dates) return dates;
  const times = formClocks(page, f, ['startTime', 'endTime']);
  if ('refusal' in times) return times;
  const except = formDayList(f.exceptDates);
  if ('bad' in except)
    return {
      refusal: {
        status: 400,
        body: { message: DATE_WORDS.badDay[page.lang](except.bad), field: 'exceptDates' },
      },
    };
  return {
    body: {
      reason: f.reason,
      note: String(f.note ?? ''),
      ...times.clocks,
      ...dates.days,
      weekdays: weekdaysOf(f.weekdays),
      exceptDates: except.days,
      target: parseTarget(f.target),
    },
  };
}
