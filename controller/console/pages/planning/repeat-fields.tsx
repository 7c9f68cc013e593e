// "Phát lặp lại" and "Chuông mở đầu / kết thúc" of the slot and the bulletin forms: the fields, kept as typed
// when a form is refused, and their reading into the API's `repeat` and `chime` (schedules/repeat.ts).
import { MAX_REPEAT_GAP_SECONDS, MAX_REPEAT_TIMES } from '../../../../schedules/repeat.ts';
import type { Form, Page } from '../../context.ts';
import { FieldFault, faultMark, type Refused, typed, typedAll } from '../../refused-form.tsx';

/** What a stored slot or bulletin says, to fill the fields fresh. */
export interface ShapeShown {
  repeat?: { times: number; gapSeconds: number } | null;
  chime?: { before: boolean; after: boolean } | null;
}

/** Marks the form as one that has these fields: a form without them (an older page) leaves them unchanged. */
const MARK = 'shapeFields';

export function RepeatFields({
  page,
  refused,
  value,
}: {
  page: Page;
  refused?: Refused;
  value?: ShapeShown;
}) {
  const { t } = page;
  const chimes = typedAll(refused, 'chime');
  const ticked = (which: 'before' | 'after') =>
    chimes ? chimes.includes(which) : value?.chime?.[which] === true;
  return (
    <fieldset
      class="repeat-fields"
      style="grid-column:1/-1;display:flex;flex-wrap:wrap;gap:.4rem 1rem;border:1px solid #ccc;border-radius:.3rem"
    >
      <legend>{t('repeatLegend')}</legend>
      <input type="hidden" name={MARK} value="1" />
      <label>
        {t('repeatTimes')}
        <input
          name="repeatTimes"
          type="number"
          min={1}
          max={MAX_REPEAT_TIMES}
          step={1}
          value={typed(refused, 'repeatTimes', String(value?.repeat?.times ?? 1))}
          {...faultMark(refused, 'repeatTimes')}
        />
        <FieldFault refused={refused} name="repeatTimes" />
      </label>
      <label>
        {t('repeatGap')}
        <input
          name="repeatGap"
          type="number"
          min={0}
          max={MAX_REPEAT_GAP_SECONDS}
          step={1}
          value={typed(refused, 'repeatGap', String(value?.repeat?.gapSeconds ?? 5))}
          {...faultMark(refused, 'repeatGap')}
        />
        <FieldFault refused={refused} name="repeatGap" />
      </label>
      <label style="flex-direction:row;gap:.4rem;align-items:center">
        <input type="checkbox" name="chime" value="before" checked={ticked('before')} /> {t('chimeBefore')}
      </label>
      <label style="flex-direction:row;gap:.4rem;align-items:center">
        <input type="checkbox" name="chime" value="after" checked={ticked('after')} /> {t('chimeAfter')}
      </label>
    </fieldset>
  );
}

type Refusal = { status: number; body: { message: string; field: string } };

/** A whole number typed in a field, within min..max, or null. */
function wholeIn(v: unknown, min: number, max: number): number | null {
  const s = String([v ?? ''].flat()[0] ?? '').trim();
  if (!/^\d{1,4}$/.test(s)) return null;
  const n = Number(s);
  return n >= min && n <= max ? n : null;
}

/**
 * The API's `repeat` and `chime` from the form, or the refusal naming the field it could not read; nothing
 * when the form has no such fields. Once without chime is sent as null: the slot or bulletin plays as before.
 */
export function readShape(page: Page, f: Form): { shape: ShapeShown } | { refusal: Refusal } {
  if (f[MARK] === undefined) return { shape: {} };
  const refuse = (field: string, key: 'repeatTimesBad' | 'repeatGapBad') => ({
    refusal: { status: 400, body: { message: page.t(key), field } },
  });
  const times = wholeIn(f.repeatTimes || '1', 1, MAX_REPEAT_TIMES);
  if (times === null) return refuse('repeatTimes', 'repeatTimesBad');
  const gapSeconds = times > 1 ? wholeIn(f.repeatGap || '0', 0, MAX_REPEAT_GAP_SECONDS) : 0;
  if (gapSeconds === null) return refuse('repeatGap', 'repeatGapBad');
  const chimes = [f.chime ?? []].flat();
  const chime = { before: chimes.includes('before'), after: chimes.includes('after') };
  return {
    shape: {
      repeat: times > 1 ? { times, gapSeconds } : null,
      chime: chime.before || chime.after ? chime : null,
    },
  };
}

/** "3 lần, cách 5 giây · chuông mở đầu, kết thúc" for a list; empty when it plays once without chime. */
export function shapeText(page: Page, s: ShapeShown): string {
  const { t } = page;
  const parts: string[] = [];
  if (s.repeat && s.repeat.times > 1)
    parts.push(`${s.repeat.times} ${t('repeatTimesUnit')}, ${t('repeatGapShort')} ${s.repeat.gapSeconds} s`);
  const bells = [s.chime?.before ? t('chimeBeforeShort') : '', s.chime?.after ? t('chimeAfterShort') : ''];
  if (bells.some(Boolean)) parts.push(`${t('chimeShort')} ${bells.filter(Boolean).join(', ')}`);
  return parts.join(' · ');
}
