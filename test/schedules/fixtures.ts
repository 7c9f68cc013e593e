// Rule builders shared by the compiler's example tests: every day of 2021-09-20..10-03, city-wide.
import { QuietWindow, Slot } from '../../schedules/model.ts';

const EVERY_DAY = {
  weekdays: [1, 2, 3, 4, 5, 6, 7],
  startDate: '2021-09-20',
  endDate: '2021-10-03',
  target: { scope: 'city' },
};

export const slotWith = (over: Record<string, unknown>): Slot =>
  Slot.parse({ clipIds: ['clip-10p'], ...EVERY_DAY, ...over });

export const quietWith = (over: Record<string, unknown>): QuietWindow =>
  QuietWindow.parse({ reason: 'other', ...EVERY_DAY, ...over });
