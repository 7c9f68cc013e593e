// The console's words for repeat and chime (a slot or bulletin read several times, a chime before and after),
// Vietnamese first.
export const repeatWords = {
  repeatLegend: ['Phát lặp lại và chuông', 'Repeat and chime'],
  repeatTimes: ['Phát lặp lại (số lần, 1-5)', 'Play (times, 1-5)'],
  repeatGap: ['Nghỉ giữa các lần (giây, 0-120)', 'Gap between readings (seconds, 0-120)'],
  chimeBefore: ['Chuông mở đầu', 'Chime before'],
  chimeAfter: ['Chuông kết thúc', 'Chime after'],
  repeatTimesBad: [
    'Số lần phát phải là số nguyên từ 1 đến 5.',
    'The number of times must be a whole number from 1 to 5.',
  ],
  repeatGapBad: [
    'Thời gian nghỉ giữa các lần phải là số giây nguyên từ 0 đến 120.',
    'The gap must be a whole number of seconds from 0 to 120.',
  ],
  repeatTimesUnit: ['lần', 'times'],
  repeatGapShort: ['nghỉ', 'gap'],
  chimeShort: ['chuông', 'chime'],
  chimeBeforeShort: ['mở đầu', 'before'],
  chimeAfterShort: ['kết thúc', 'after'],
  timesPlayed: ['Số lần phát', 'Times played'],
  readingsOf: ['lần', 'times'],
} as const;
