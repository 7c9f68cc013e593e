// A text clip refused: the normaliser's, the voice's and the engines' reasons as HttpErrors whose
// details carry the words for people in both languages ({vi, en}), as the upload's refusals do.
import type { ZodError } from 'zod';
import { speech, speechEngines } from '../../../audio/index.ts';
import { HttpError } from '../../http/errors.ts';

const STATUS = { empty: 400, too_long: 413, nothing_to_read: 422 } as const;

/** The HttpError for what reading the text or speaking it threw; anything else is thrown as it is. */
export function textRefusal(e: unknown): unknown {
  if (e instanceof speech.NormaliseError)
    return new HttpError(STATUS[e.code], `text_${e.code}`, `text refused: ${e.messageEn}`, {
      vi: e.message,
      en: e.messageEn,
    });
  if (e instanceof speechEngines.UnknownVoiceError)
    return new HttpError(400, 'unknown_voice', `text refused: ${e.message}`, {
      vi: `Không có giọng đọc '${e.voice}': hãy chọn một giọng trong danh sách (GET /api/clips/voices).`,
      en: `There is no voice '${e.voice}': choose one from the list (GET /api/clips/voices).`,
    });
  if (e instanceof speechEngines.SpeechBusyError)
    return new HttpError(503, 'speech_busy', `text refused: ${e.message}`, {
      vi: `Máy đang đọc ${e.parallel} văn bản và ${e.waiting} văn bản khác đang chờ. Chưa lưu gì; hãy thử lại sau ít phút.`,
      en: `${e.parallel} texts are being read and ${e.waiting} more are waiting. Nothing was stored; try again in a few minutes.`,
    });
  if (e instanceof speechEngines.SpeechFailedError) {
    const said = (lang: 'vi' | 'en') =>
      e.attempts.map((a) => `${a.engine} ${speechEngines.FAILURE_TEXT[a.code][lang]}`).join('; ');
    return new HttpError(503, 'speech_unavailable', `no speech engine could read the text: ${said('en')}`, {
      vi: `Không máy đọc nào đọc được văn bản (${said('vi')}). Chưa lưu bản tin nào; hãy thử lại sau.`,
      en: `No speech engine could read the text (${said('en')}). Nothing was stored; try again later.`,
      attempts: e.attempts,
    });
  }
  return e;
}

/** A request body that does not fit, in both languages. */
export function invalidText(error: ZodError): HttpError {
  const issues = error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
  const where = issues.map((i) => i.path || 'body').join(', ');
  return new HttpError(
    400,
    'invalid_input',
    `invalid body: ${issues[0]?.path || 'body'}: ${issues[0]?.message}`,
    {
      vi: `Yêu cầu không hợp lệ ở: ${where}. Cần: tiêu đề (title), văn bản (text), giọng đọc (voice), tốc độ 0,5–2 (speed).`,
      en: `The request does not fit at: ${where}. Expected: title, text, voice, speed 0.5–2.`,
      issues,
    },
  );
}
