// A form that was refused comes back as it was typed, with the field at fault marked and the reason beside
// it. The console's form post (index.tsx withForm) keeps what was posted on the page; a form reads it back
// only when the post was its own (its action), so a page with several forms refills just the one.
import type { Fault, Page, Refused } from './context.ts';
import type { WordKey } from './i18n.ts';

export type { Fault, Refused };

/** A form's own refused post, or undefined when the page is shown fresh or another form was posted. */
export const refusedFor = (page: Page, action: string): Refused | undefined =>
  page.refused?.action === action ? page.refused : undefined;

/** The value typed into `name`, else `fallback` (what the form shows fresh). */
export function typed(refused: Refused | undefined, name: string, fallback = ''): string {
  const v = refused?.form[name];
  if (v === undefined) return refused ? '' : fallback;
  const first = [v].flat()[0];
  return typeof first === 'string' ? first : fallback;
}

/** Every value posted for `name` (checkboxes, multiple selects), or undefined when the form is fresh. */
export function typedAll(refused: Refused | undefined, name: string): string[] | undefined {
  if (!refused) return undefined;
  return [refused.form[name] ?? []].flat().filter((v): v is string => typeof v === 'string');
}

/** The attributes that mark a field at fault (`aria-invalid`, and the message that describes it). */
export const faultMark = (refused: Refused | undefined, name: string) =>
  refused?.fault?.field === name ? { 'aria-invalid': 'true', 'aria-describedby': `fault-${name}` } : {};

/** The reason beside the field at fault. */
export const FieldFault = ({ refused, name }: { refused?: Refused; name: string }) =>
  refused?.fault?.field === name ? (
    <span id={`fault-${name}`} class="field-error">
      {refused.fault.message}
    </span>
  ) : null;

/** The API's names for what a console form calls otherwise. */
const FORM_NAMES: Record<string, string> = { clipIds: 'clipId', areaId: 'area', parentId: 'parent' };

/** Known API reasons (English, for the API's clients) and their words in the console's table. */
const REASONS: Record<string, WordKey> = {
  'endDate must not be before startDate': 'endBeforeStart',
  'flexibleUntil must be after startTime on the same day': 'flexibleAfterStart',
  'a stream URL must be http:// or https://': 'relayUrlBad',
  'relay.endTime must be after startTime on the same day': 'relayEndBad',
};

// biome-ignore lint/suspicious/noExplicitAny: the API's refusal body
type RefusalBody = any;

/**
 * The field a refusal names: the console's own `field` (a date or time it could not read), the API's
 * `details.field`, or the first of its `details[].path`; and the reason in the person's language.
 */
export function faultOf(body: RefusalBody, page: Page): Fault | undefined {
  const details = body?.details;
  const first = Array.isArray(details) ? details[0] : details;
  const raw = body?.field ?? first?.field ?? first?.path;
  const path = Array.isArray(raw) ? raw.join('.') : raw;
  if (typeof path !== 'string' || !path) return undefined;
  // a relay's own fields are the form's fields (relay.url, relay.endTime)
  const top = (path.startsWith('relay.') ? path.split('.')[1] : path.split('.')[0]) as string;
  const field = FORM_NAMES[top] ?? top;
  // a message the console wrote (already in the person's language), a Vietnamese one the API gave, a known one
  const own = body?.field ? body.message : undefined;
  const vi = page.lang === 'vi' && typeof first?.messageVi === 'string' ? first.messageVi : undefined;
  const known = REASONS[String(first?.message ?? '')];
  return { field, message: own ?? vi ?? page.t(known ?? 'fieldInvalid') };
}
