// A refused or failed recording at the controller: audio's refusal (audio/refusal.ts) as an HttpError,
// and a failed clip's stored reason ("code: text") as the refusal a waiting upload gets. The message is
// the API's English; `details` carries the words for people in both languages ({vi, en}).
import { type AudioError, refusalOf, refusalStatus, refusalVi } from '../../audio/index.ts';
import { HttpError } from '../http/errors.ts';

/** The refusal of a recording ffprobe would not take. */
export function refusal(e: AudioError): HttpError {
  const { status, code, text, vi } = refusalOf(e);
  return new HttpError(status, code, `clip rejected: ${text}`, { vi, en: text });
}

/** A failed clip's stored reason ("code: text", see process.ts) as the refusal a waiting upload gets. */
export function refusalOfReason(reason: string | null): HttpError {
  const [, code = 'internal', text = reason ?? ''] = /^([a-z_]+): (.*)$/s.exec(reason ?? '') ?? [];
  return new HttpError(refusalStatus(code), code, `clip rejected: ${text}`, {
    vi: refusalVi(code, text),
    en: text,
  });
}
