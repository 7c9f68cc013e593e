// An audit entry as a sentence: "kt-ninh-kieu đã thêm khung giờ phát 09:00 · Tiêm chủng", from the route
// it went through (method and path) and the object's name; a refusal says so.
import type { Lang } from '../i18n.ts';

/** What a POST to a path ending so did (the route's last word), else it added something. */
const POST_VERBS: Record<string, [string, string]> = {
  cancel: ['đã hủy', 'cancelled'],
  withdraw: ['đã thu hồi', 'withdrew'],
  approve: ['đã duyệt', 'approved'],
  reject: ['đã từ chối duyệt', 'rejected'],
  review: ['đã thẩm định', 'reviewed'],
  copy: ['đã sao chép', 'copied'],
  import: ['đã nhập danh sách', 'imported'],
  reorganise: ['đã sắp xếp lại', 'reorganised'],
  revoke: ['đã thu hồi quyền của', 'revoked'],
  enrol: ['đã đăng ký', 'enrolled'],
  session: ['đã đăng nhập', 'signed in'],
  token: ['đã đăng nhập', 'signed in'],
  end: ['đã kết thúc', 'ended'],
};
const BY_METHOD: Record<string, [string, string]> = {
  POST: ['đã thêm', 'added'],
  PUT: ['đã sửa', 'changed'],
  PATCH: ['đã sửa', 'changed'],
  DELETE: ['đã xóa', 'deleted'],
};

/** The verb of an entry's action (`POST /api/slots/:id/cancel`). */
export function auditVerb(lang: Lang, action: string): string {
  const i = lang === 'vi' ? 0 : 1;
  const [method = '', path = ''] = action.split(' ');
  const last =
    path
      .split('/')
      .filter((p) => p && !p.startsWith(':'))
      .at(-1) ?? '';
  if (method === 'POST' && POST_VERBS[last]) return (POST_VERBS[last] as [string, string])[i];
  return (BY_METHOD[method] ?? ['đã thao tác với', 'acted on'])[i];
}

/** Who did what ("kt-ninh-kieu đã thêm"), or tried to ("… muốn xóa") when refused; the object follows. */
export function auditSentence(lang: Lang, e: { actor: string; action: string; status: number }) {
  const verb = auditVerb(lang, e.action);
  if (e.status < 400) return `${e.actor} ${verb}`;
  return lang === 'vi' ? `${e.actor} muốn ${verb.replace(/^đã /, '')}` : `${e.actor} tried: ${verb}`;
}

/** A name inside a sentence starts lower-case ("khung giờ phát 09:00"). */
export const inSentence = (name: string) => name.charAt(0).toLocaleLowerCase('vi') + name.slice(1);

/** Done, or refused with the status's meaning. */
export function auditOutcome(lang: Lang, status: number): string {
  if (status < 400) return lang === 'vi' ? 'Thành công' : 'Done';
  if (status === 401 || status === 403)
    return lang === 'vi' ? 'Bị từ chối: ngoài quyền hạn' : 'Refused: not allowed';
  if (status === 404) return lang === 'vi' ? 'Không tìm thấy' : 'Not found';
  return lang === 'vi' ? 'Bị từ chối: dữ liệu chưa hợp lệ' : 'Refused: invalid';
}
