// Shared by the compiler's example tests: a station of Cần Thơ, its clips, and rule builders (every day
// of 2021-09-20..10-03, city-wide).
import { QuietWindow, Slot, type StationInfo } from '../../schedules/model.ts';

export const TZ = 'Asia/Ho_Chi_Minh';

/** Ward An Hòa's station in district Ninh Kiều. */
export const AN_HOA: StationInfo = {
  id: 'tram-an-hoa',
  name: 'Đài truyền thanh phường An Hòa',
  areaPath: ['tp-can-tho', 'q-ninh-kieu', 'p-an-hoa'],
  timezone: TZ,
};

/** A 10-minute and a 4-minute programme. */
export const CLIPS = [
  { id: 'clip-10p', durationMs: 600_000 },
  { id: 'clip-4p', durationMs: 240_000 },
];

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
