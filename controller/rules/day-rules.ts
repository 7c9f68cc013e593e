// The holiday and lunar-date rules of a quiet window or an air-time policy, refused before they are
// saved when they name a day that does not exist (30 Tết of a 29-day month, a leap month the year lacks).
import { type DayRules, dayRuleProblems } from '../../schedules/calendar/days.ts';
import { HttpError } from '../http/errors.ts';

/**
 * Answered like a field the schema refuses (400 `invalid_input`, `invalid <noun>: <path>: <reason>`);
 * each issue also carries its code and the reason in Vietnamese (`messageVi`) for the console.
 * `dates` is a quiet window's range; null for a policy, which applies every year.
 */
export function checkDayRules(
  rules: DayRules,
  dates: { startDate: string; endDate: string } | null,
  noun: string,
  prefix = '',
): void {
  const problems = dayRuleProblems(rules, dates);
  const first = problems[0];
  if (!first) return;
  throw new HttpError(
    400,
    'invalid_input',
    `invalid ${noun}: ${prefix}${first.path}: ${first.en}`,
    problems.map((p) => ({ path: `${prefix}${p.path}`, message: p.en, code: p.code, messageVi: p.vi })),
  );
}
