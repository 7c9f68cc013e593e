// An API refusal in the person's language, and an audit entry as a sentence.
import { describe, expect, it } from 'vitest';
import { auditOutcome, auditSentence } from '../../controller/console/say/audit.ts';
import { inTheirWords, problemText } from '../../controller/console/say/problems.ts';

describe('a refusal in their words', () => {
  it('says the Vietnamese reason the API gave', () => {
    const body = { message: 'viewers can only read', messageVi: 'Tài khoản chỉ xem không được thay đổi' };
    expect(problemText('vi', 403, body)).toBe('Tài khoản chỉ xem không được thay đổi');
    expect(problemText('en', 403, body)).toBe('viewers can only read');
    expect(
      problemText('vi', 400, { message: 'x', details: [{ path: 'a', messageVi: 'Ngày không đọc được' }] }),
    ).toBe('Ngày không đọc được');
  });

  it('says the status in Vietnamese first when the API has only English, and never a 5xx text', () => {
    expect(problemText('vi', 409, { message: 'clip is in use' })).toMatch(
      /^Không thực hiện được.*Chi tiết: clip is in use$/,
    );
    expect(problemText('vi', 500, { message: 'internal error' })).toBe(
      'Không thực hiện được do lỗi hệ thống.',
    );
  });

  it('keeps the API message as apiMessage and leaves answers that succeeded alone', () => {
    const r = inTheirWords('vi', { status: 403, body: { message: 'no', messageVi: 'Không được' } });
    expect(r.body).toMatchObject({ message: 'Không được', apiMessage: 'no' });
    const ok = { status: 200, body: { message: 'kept' } };
    expect(inTheirWords('vi', ok)).toBe(ok);
  });
});

describe('an audit entry', () => {
  it('reads as a sentence, a refusal as what was tried', () => {
    expect(auditSentence('vi', { actor: 'Nguyễn Văn A', action: 'POST /api/slots', status: 201 })).toBe(
      'Nguyễn Văn A đã thêm',
    );
    expect(auditSentence('vi', { actor: 'A', action: 'POST /api/alerts/:id/cancel', status: 200 })).toBe(
      'A đã hủy',
    );
    expect(auditSentence('vi', { actor: 'A', action: 'DELETE /api/slots/:id', status: 403 })).toBe(
      'A muốn xóa',
    );
    expect(auditOutcome('vi', 403)).toBe('Bị từ chối: ngoài quyền hạn');
  });
});
