// The holiday and lunar-date part of the quiet-window and air-time-policy forms: pick named Vietnamese
// holidays or type lunar dates, limit to them or spare them; read back, described, and refused in words.
import type { DayRule, DayRules, LunarDate } from '../../../../schedules/calendar/days.ts';
import { HOLIDAYS, holidayName } from '../../../../schedules/calendar/holidays.ts';
import type { Form, Page } from '../../context.ts';
import type { Lang } from '../../i18n.ts';

type Answer = { status: number; body: { message?: string; details?: unknown } };

/** The fieldset: every day / only these days / all but these days, the holidays, the lunar dates. */
export function DayRulePicker({ page, rules }: { page: Page; rules?: DayRules }) {
  const { t, lang } = page;
  const mode = rules?.days ? 'only' : rules?.exceptDays ? 'except' : '';
  const rule = rules?.days ?? rules?.exceptDays;
  return (
    <fieldset class="days" style="border:none;padding:0;grid-column:1/-1">
      <legend style="font-size:.85rem">{t('dayRules')}</legend>
      <select name="daysMode" aria-label={t('dayRules')}>
        <option value="" selected={mode === ''}>
          {t('days.all')}
        </option>
        <option value="only" selected={mode === 'only'}>
          {t('days.only')}
        </option>
        <option value="except" selected={mode === 'except'}>
          {t('days.except')}
        </option>
      </select>
      {HOLIDAYS.map((h) => (
        <label>
          <input type="checkbox" name="holidays" value={h.id} checked={rule?.holidays?.includes(h.id)} />
          {h[lang]}
        </label>
      ))}
      <label style="flex-direction:column;align-items:stretch;min-width:16rem">
        {t('lunarDates')}
        <input
          name="lunarDates"
          placeholder={lang === 'vi' ? '15/1, 10/3, 1/6 nhuận/2025' : '15/1, 10/3, 1/6 leap/2025'}
          value={(rule?.lunar ?? []).map((l) => lunarText(lang, l)).join(', ')}
        />
      </label>
    </fieldset>
  );
}

/** A lunar date as the form takes it back: 15/1, 1/6 nhuận/2025. */
const lunarText = (lang: Lang, l: LunarDate) =>
  `${l.day}/${l.month}${l.leap ? (lang === 'vi' ? ' nhuận' : ' leap') : ''}${l.year ? `/${l.year}` : ''}`;

const LEAP = /\s*\b(nhuận|nhuan|leap)\b\s*/i;

/** One typed lunar date: day/month, with "nhuận" (or "leap") and /year if wanted; null if unreadable. */
export function parseLunarDate(text: string): LunarDate | null {
  const leap = LEAP.test(text);
  const m = /^(\d{1,2})\s*\/\s*(\d{1,2})(?:\s*\/\s*(\d{4}))?$/.exec(text.replace(LEAP, ' ').trim());
  if (!m) return null;
  const out: LunarDate = { day: Number(m[1]), month: Number(m[2]) };
  if (leap) out.leap = true;
  if (m[3]) out.year = Number(m[3]);
  return out;
}

/**
 * The form's choice as the API takes it: `{days}` or `{exceptDays}` (empty when every day), or the
 * words of what could not be read. A mode without any day chosen is the API's to refuse.
 */
export function dayRulesOf(form: Form, { t }: Pick<Page, 't'>): { rules: DayRules } | { error: string } {
  const mode = String(form.daysMode ?? '');
  if (mode !== 'only' && mode !== 'except') return { rules: {} };
  const texts = String(form.lunarDates ?? '')
    .split(/[,;]+/)
    .map((s) => s.trim())
    .filter(Boolean);
  const lunar = texts.map(parseLunarDate);
  const bad = texts.filter((_, i) => lunar[i] === null);
  if (bad.length) return { error: `${t('days.unreadable')}: ${bad.join(', ')}` };
  const holidays = [form.holidays ?? []].flat().map(String);
  if (!holidays.length && !lunar.length) return { error: t('days.noneChosen') };
  const rule = { ...(holidays.length ? { holidays } : {}), ...(lunar.length ? { lunar } : {}) } as DayRule;
  return { rules: mode === 'only' ? { days: rule } : { exceptDays: rule } };
}

/** A window's or policy's day rules in a few words: "Chỉ: Tết Nguyên Đán ...; 15/1 âm lịch". */
export function describeDays(page: Page, rules: DayRules): string {
  const rule = rules.days ?? rules.exceptDays;
  if (!rule) return '';
  const { t, lang } = page;
  const lunarWord = lang === 'vi' ? 'âm lịch' : 'lunar';
  const parts = [
    ...(rule.holidays ?? []).map((id) => holidayName(lang, id)),
    ...(rule.lunar ?? []).map((l) => `${lunarText(lang, l)} ${lunarWord}`),
    ...(rule.solar ?? []).map((s) => `${s.day}/${s.month}`),
  ];
  return `${rules.days ? t('days.onlyShort') : t('days.exceptShort')}: ${parts.join('; ')}`;
}

/**
 * The API answers in English with each reason also in Vietnamese (`messageVi`, day rules): the console
 * shows the person's language.
 */
export function inLanguage(page: Page, answer: Answer): Answer {
  const details = answer.body?.details;
  const vi = Array.isArray(details)
    ? (details[0] as { messageVi?: unknown } | undefined)?.messageVi
    : undefined;
  if (answer.status < 400 || page.lang !== 'vi' || typeof vi !== 'string') return answer;
  return { ...answer, body: { ...answer.body, message: vi } };
}
