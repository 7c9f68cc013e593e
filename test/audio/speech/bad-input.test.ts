// Text that cannot be read as it is: refused with a typed error in Vietnamese and English, or cleaned and noted.
import { describe, expect, it } from 'vitest';
import {
  MAX_TEXT_LENGTH,
  NormaliseError,
  normaliseVietnamese,
} from '../../../audio/speech/normalise/index.ts';

function refusal(text: string, maxLength?: number): NormaliseError {
  try {
    normaliseVietnamese(text, maxLength === undefined ? {} : { maxLength });
  } catch (e) {
    expect(e).toBeInstanceOf(NormaliseError);
    return e as NormaliseError;
  }
  throw new Error(`"${text.slice(0, 40)}" was read`);
}

describe('bad input', () => {
  it('refuses empty and blank text', () => {
    for (const text of ['', '   ', '\n\t ']) {
      const e = refusal(text);
      expect(e.code).toBe('empty');
      expect(e.message).toBe('Văn bản trống: hãy nhập nội dung cần đọc.');
      expect(e.messageEn).toBe('The text is empty: type what is to be read.');
    }
  });

  it('refuses text over 20,000 characters, saying the limit and the length', () => {
    const e = refusal('a'.repeat(MAX_TEXT_LENGTH + 1));
    expect(e.code).toBe('too_long');
    expect(e.message).toBe('Văn bản quá dài: tối đa 20000 ký tự, văn bản có 20001 ký tự.');
    expect(normaliseVietnamese('a '.repeat(MAX_TEXT_LENGTH / 2)).spoken).toMatch(/^a a/);
    expect(refusal('Thông báo', 5).code).toBe('too_long');
  });

  it('refuses text with only symbols or emoji', () => {
    for (const text of ['🙂🙂🎉', '*** ### @@@', '— … —', '<b></b>', '\u0007\u0008']) {
      expect(refusal(text).code).toBe('nothing_to_read');
    }
  });

  it('reads the text of HTML and says the markup was removed', () => {
    const { spoken, notes } = normaliseVietnamese(
      '<p>Thông báo <b>khẩn</b>:</p><script>alert(1)</script><p>Họp lúc 7h30 &amp; mang CCCD.</p>',
    );
    expect(spoken).toBe('Thông báo khẩn: Họp lúc bảy giờ ba mươi phút và mang căn cước công dân.');
    expect(notes.removed).toEqual(['html']);
  });

  it('drops control characters and emoji, and says so', () => {
    const { spoken, notes } = normaliseVietnamese('Họp\u0000 dân\u200b 🙂 lúc 8h\u0007.');
    expect(spoken).toBe('Họp dân lúc tám giờ.');
    expect(notes.removed).toEqual(['control', 'symbols']);
  });

  it('joins a line broken inside a sentence, and reads a numbered item as a heading', () => {
    expect(normaliseVietnamese('1. Mục đích\n- Tập trung tuyên truyền ở cơ\n\nquan, đơn vị').spoken).toBe(
      'Một. Mục đích. Tập trung tuyên truyền ở cơ quan, đơn vị',
    );
  });

  it('keeps the line breaks of a notice as sentence ends', () => {
    expect(normaliseVietnamese('THÔNG BÁO\nHọp dân lúc 19h\r\nTại nhà văn hóa').spoken).toBe(
      'THÔNG BÁO. Họp dân lúc mười chín giờ. Tại nhà văn hóa',
    );
  });

  it('reads a run of digits longer than fifteen one by one, and long runs of blanks as one', () => {
    expect(normaliseVietnamese('Số tài khoản 1234567890123456').spoken).toBe(
      'Số tài khoản một hai ba bốn năm sáu bảy tám chín không một hai ba bốn năm sáu',
    );
    expect(normaliseVietnamese(`9${'9'.repeat(MAX_TEXT_LENGTH - 1)}`).spoken).toMatch(/^(chín ){100}/);
    expect(normaliseVietnamese(`a${' '.repeat(MAX_TEXT_LENGTH - 2)}b`).spoken).toBe('a bê');
  });

  it('reads a notice of 20,000 characters made of the corpus sentences without a digit left', () => {
    const sentence = 'Tiêm vắc-xin COVID-19 từ 7h30-11h ngày 23/9/2021 tại TYT P. 5, gọi 0292 3821 234. ';
    const text = sentence.repeat(Math.floor(MAX_TEXT_LENGTH / sentence.length));
    expect(normaliseVietnamese(text).spoken).not.toMatch(/\d/);
  });
});
