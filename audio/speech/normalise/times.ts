// Times of day: "7h30", "7h", "7g30", "17:00", "7g sáng", and ranges between times ("7h-9h").
import { type NumberWords, readCardinal } from './numbers.ts';
import { END, type Rule, re } from './reading.ts';

function readTime(hour: string, minute: string | undefined, words: NumberWords): string {
  const h = `${readCardinal(hour, words)} giờ`;
  return minute === undefined || Number(minute) === 0 ? h : `${h} ${readCardinal(minute, words)} phút`;
}

const valid = (hour: string, minute?: string) =>
  Number(hour) <= 24 && (minute === undefined || Number(minute) < 60);

const LEAD = '(?<![\\p{L}\\p{N}.,:])';
// "7h30", "7h30'", "7g30", "17:00" (a colon needs the minutes; "g" with minutes is always a time).
const WITH_MINUTES = re(`${LEAD}(\\d{1,2})\\s?(?:h|g|:)(\\d{2})(?:'|p|ph)?${END}(?!:\\d)`);
// "7h" alone; "7g" alone only before a part of the day or after "lúc" (else it is grams).
const HOUR_H = re(`${LEAD}(\\d{1,2})h${END}`);
const PART_OF_DAY = '(?:sáng|trưa|chiều|tối|đêm)';
const HOUR_G = re(`${LEAD}(\\d{1,2})g${END}(?=\\s*${PART_OF_DAY}|\\s*[-–]\\s*\\d)`);
const HOUR_G_AFTER = re(`((?:lúc|Lúc|đến|từ|Từ)\\s+)(\\d{1,2})g${END}`);

// "17h-19h", "7h30-11h30", "7-9h": a range between times reads "đến".
const RANGE = re(`${LEAD}(\\d{1,2}(?:[hg:]\\d{2}|[hg])?)\\s*[-–]\\s*(?=\\d{1,2}\\s?[hg:])`);

export const timeRule: Rule = {
  name: 'time',
  apply: (text, { words }) =>
    text
      .replace(RANGE, (_, from: string) => `${from.replace(/g$/, 'h')} đến `)
      .replace(WITH_MINUTES, (m, hour: string, minute: string) =>
        valid(hour, minute) ? readTime(hour, minute, words) : m,
      )
      .replace(HOUR_H, (m, hour: string) => (valid(hour) ? readTime(hour, undefined, words) : m))
      .replace(HOUR_G, (m, hour: string) => (valid(hour) ? readTime(hour, undefined, words) : m))
      .replace(HOUR_G_AFTER, (m, lead: string, hour: string) =>
        valid(hour) ? `${lead}${readTime(hour, undefined, words)}` : m,
      ),
};
