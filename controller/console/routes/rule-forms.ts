// A slot's and a quiet window's form as the API takes them, read once for adding and for editing: the days
// and times typed as people type them, or the refusal that names the field it could not read.
import type { Form, Page } from '../context.ts';
import { formClocks, formDayList, formDays, weekdaysOf } from '../forms.tsx';
import { DATE_WORDS } from '../local-time.ts';
import { dayRulesOf } from '../pages/planning/day-rules.tsx';
import { readShape } from '../pages/planning/repeat-fields.tsx';
import { parseTarget } from '../targets.tsx';

type Refusal = { status: number; body: { message: string; field: string } };
type Read = { refusal: Refusal } | { body: Record<string, unknown> };

/** The id the check before saving tried a new rule under, carried to its save (check-step.tsx). */
const checkedId = (f: Form) => (typeof f.id === 'string' && f.id ? { id: f.id } : {});

/** A clip slot's fields (clip, start, flexible end, weekdays, dates, target, repeat and chime). */
export function slotFields(page: Page, f: Form): Read {
  const dates = formDays(page, f, ['startDate', 'endDate']);
  if ('refusal' in dates) return dates;
  const times = formClocks(page, f, ['startTime'], ['flexibleUntil']);
  if ('refusal' in times) return times;
  const read = readShape(page, f);
  if ('refusal' in read) return read;
  return {
    body: {
      ...checkedId(f),
      clipIds: [f.clipId],
      startTime: times.clocks.startTime,
      flexibleUntil: times.clocks.flexibleUntil ?? null,
      weekdays: weekdaysOf(f.weekdays),
      ...dates.days,
      target: parseTarget(f.target),
      ...read.shape,
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
      ...checkedId(f),
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

/** An air-time policy's fields (target, limits, enforcement, the days it counts), or why they cannot be read. */
export function policyFields(page: Page, f: Form): { error: string } | { body: Record<string, unknown> } {
  const n = (v: unknown) => (v ? Number(v) : undefined);
  const days = dayRulesOf(f, page);
  if ('error' in days) return { error: days.error };
  return {
    body: {
      target: parseTarget(f.target),
      policy: {
        maxSessionsPerDay: n(f.maxSessionsPerDay),
        maxMinutesPerSession: n(f.maxMinutesPerSession),
        maxDaysPerWeek: n(f.maxDaysPerWeek),
        enforcement: f.enforcement,
        ...days.rules,
      },
    },
  };
}

/** A relay slot's fields (stream address, through the stream server or not, start and end, fallback clip, days, target). */
export function relayFields(page: Page, f: Form): Read {
  const dates = formDays(page, f, ['startDate', 'endDate']);
  if ('refusal' in dates) return dates;
  const times = formClocks(page, f, ['startTime', 'endTime']);
  if ('refusal' in times) return times;
  return {
    body: {
      ...checkedId(f),
      clipIds: f.fallbackClipId ? [f.fallbackClipId] : [],
      relay: {
        url: String(f.url ?? '').trim(),
        endTime: times.clocks.endTime,
        via: f.viaServer ? 'stream-server' : 'direct',
      },
      startTime: times.clocks.startTime,
      weekdays: weekdaysOf(f.weekdays),
      ...dates.days,
      target: parseTarget(f.target),
    },
  };
}
