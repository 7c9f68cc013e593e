// An API refusal in the person's language. The API answers in English for its clients, with a Vietnamese
// reason beside it where it has one (`details.vi`, `details[].messageVi`, `messageVi`). A reason it has
// only in English is said by its status in plain Vietnamese first, the API's words after it as detail
// (they name the line, the area or the clip at fault). The API's own message stays on the answer as
// `apiMessage`.
import type { Lang } from '../i18n.ts';

/** What an answer's status means for the person, when the API gave no reason in their language. */
const BY_STATUS: Record<number, [vi: string, en: string]> = {
  400: [
    'Thông tin nhập chưa hợp lệ: hãy xem lại ô được đánh dấu.',
    'The input was refused: check the marked field.',
  ],
  401: ['Phiên làm việc đã hết hạn: hãy đăng nhập lại.', 'Your session has ended: sign in again.'],
  403: ['Việc này ngoài quyền hoặc phạm vi quản lý của bạn.', 'This is outside your role or your area.'],
  404: ['Không tìm thấy: có thể đã bị xóa hoặc đổi tên.', 'Not found: it may have been deleted or renamed.'],
  409: [
    'Không thực hiện được vì vướng dữ liệu đang có (có thể người khác vừa thay đổi): hãy tải lại trang.',
    'Not done: it clashes with what is stored (someone may have just changed it); reload the page.',
  ],
  413: ['Nội dung quá lớn.', 'Too large.'],
  415: ['Định dạng không được hỗ trợ.', 'That format is not supported.'],
  422: ['Nội dung không dùng được.', 'The content cannot be used.'],
  429: ['Quá nhiều yêu cầu: hãy thử lại sau ít phút.', 'Too many requests: try again in a few minutes.'],
  503: [
    'Hệ thống đang bận hoặc một dịch vụ chưa sẵn sàng: hãy thử lại sau.',
    'The system is busy or a service is not ready: try again later.',
  ],
};
const OTHER: [string, string] = ['Không thực hiện được do lỗi hệ thống.', 'Not done: a system error.'];

// biome-ignore lint/suspicious/noExplicitAny: the API's refusal body
type Body = any;

/** The Vietnamese reason the API gave, if any. */
function givenVi(body: Body): string | undefined {
  const d = body?.details;
  const first = Array.isArray(d) ? d[0] : d;
  const vi = first?.vi ?? first?.messageVi ?? body?.messageVi;
  return typeof vi === 'string' && vi ? vi : undefined;
}

/** The reason of a refused answer in `lang`. */
export function problemText(lang: Lang, status: number, body: Body): string {
  if (lang === 'en' && typeof body?.message === 'string') return body.message;
  const vi = givenVi(body);
  if (lang === 'vi' && vi) return vi;
  const said = (BY_STATUS[status] ?? OTHER)[lang === 'vi' ? 0 : 1];
  return typeof body?.message === 'string' && status < 500 ? `${said} Chi tiết: ${body.message}` : said;
}

/** The answer with its message in the person's language and the API's own kept as `apiMessage`. */
export function inTheirWords<T extends { status: number; body: Body }>(lang: Lang, res: T): T {
  if (res.status < 400 || !res.body || typeof res.body !== 'object' || typeof res.body.message !== 'string')
    return res;
  return {
    ...res,
    body: { ...res.body, apiMessage: res.body.message, message: problemText(lang, res.status, res.body) },
  };
}
