// Refusals of a CAP document: the element named, the reason in English and in Vietnamese (`messageVi`)
// for the console, as the day rules answer theirs (controller/rules/day-rules.ts).
import { HttpError } from '../../http/errors.ts';

/** `element` is a path of CAP element names, e.g. `alert/info/severity`. */
export function capRefusal(
  element: string,
  en: string,
  vi: string,
  status: 400 | 404 | 409 | 413 | 415 = 400,
): HttpError {
  const code = status === 400 ? 'invalid_cap' : status === 413 ? 'too_large' : 'cap_refused';
  return new HttpError(status, code, `CAP document refused: <${element}>: ${en}`, [
    { path: element, message: en, messageVi: `Văn bản CAP bị từ chối: <${element}>: ${vi}` },
  ]);
}
