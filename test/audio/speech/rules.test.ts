// Each rule of the normaliser on its own, with the expected words written by hand, and its ambiguities.
import { describe, expect, it } from 'vitest';
import { normaliseVietnamese } from '../../../audio/speech/normalise/index.ts';

const say = (text: string) => normaliseVietnamese(text).spoken;

describe('dates', () => {
  it.each([
    ['Họp ngày 23/9/2021.', 'Họp ngày hai mươi ba tháng chín năm hai nghìn không trăm hai mươi mốt.'],
    [
      'Hạn chót 31-12-2024.',
      'Hạn chót ngày ba mươi mốt tháng mười hai năm hai nghìn không trăm hai mươi tư.',
    ],
    ['Tiêm ngày 2/9', 'Tiêm ngày hai tháng chín'],
    ['Khai giảng 5/9', 'Khai giảng ngày năm tháng chín'],
    ['Tuyên truyền 23-30/9', 'Tuyên truyền từ ngày hai mươi ba đến ngày ba mươi tháng chín'],
    ['Từ 23-30/9', 'Từ ngày hai mươi ba đến ngày ba mươi tháng chín'],
    [
      'từ ngày 23/9 - 30/9/2021',
      'từ ngày hai mươi ba tháng chín đến ngày ba mươi tháng chín năm hai nghìn không trăm hai mươi mốt',
    ],
    ['Nghỉ lễ ngày 31/8 - 3/9', 'Nghỉ lễ ngày ba mươi mốt tháng tám đến ngày ba tháng chín'],
    ['Nghỉ lễ 31/8 - 3/9', 'Nghỉ lễ từ ngày ba mươi mốt tháng tám đến ngày ba tháng chín'],
    ['Áp dụng từ tháng 4/2025', 'Áp dụng từ tháng tư năm hai nghìn không trăm hai mươi lăm'],
    ['Nghỉ ngày 30/4 và 1/5', 'Nghỉ ngày ba mươi tháng tư và ngày một tháng năm'],
  ])('%s', (text, spoken) => expect(say(text)).toBe(spoken));

  it('leaves a fraction that is not a date to the number rules', () => {
    expect(say('Tỷ lệ 45/50 hộ')).toBe('Tỷ lệ bốn mươi lăm trên năm mươi hộ');
  });
});

describe('times', () => {
  it.each([
    ['lúc 7h30', 'lúc bảy giờ ba mươi phút'],
    ['lúc 7h', 'lúc bảy giờ'],
    ['lúc 17:00', 'lúc mười bảy giờ'],
    ['lúc 7g30', 'lúc bảy giờ ba mươi phút'],
    ['lúc 7g sáng', 'lúc bảy giờ sáng'],
    ['từ 7h-9h', 'từ bảy giờ đến chín giờ'],
    ['từ 7-9 giờ', 'từ bảy đến chín giờ'],
    ['từ 7h30-11h', 'từ bảy giờ ba mươi phút đến mười một giờ'],
    ['lúc 6h05', 'lúc sáu giờ năm phút'],
    ['mở cửa 7g-9g', 'mở cửa bảy giờ đến chín giờ'],
  ])('%s', (text, spoken) => expect(say(text)).toBe(spoken));

  it('reads "g" after a number as grams unless a part of the day follows or "lúc" comes before', () => {
    expect(say('Mỗi gói 500g muối')).toBe('Mỗi gói năm trăm gam muối');
    expect(say('Cân 7g vàng')).toBe('Cân bảy gam vàng');
  });
});

describe('phones', () => {
  it.each([
    ['ĐT 0292 3821 234', 'Điện thoại không hai chín hai, ba tám hai một, hai ba bốn'],
    ['gọi 0912345678', 'gọi không chín một hai, ba bốn năm, sáu bảy tám'],
    ['gọi 1900 9095', 'gọi một chín không không, chín không chín năm'],
    ['gọi 113', 'gọi một một ba'],
    ['Đường dây nóng: 1022', 'Đường dây nóng: một không hai hai'],
  ])('%s', (text, spoken) => expect(say(text)).toBe(spoken));

  it('reads a short number as an amount when no word says it is a phone number', () => {
    expect(say('Có 113 hộ')).toBe('Có một trăm mười ba hộ');
  });
});

describe('money, units, decimals and percentages', () => {
  it.each([
    ['50.000đ', 'năm mươi nghìn đồng'],
    ['50.000 đồng', 'năm mươi nghìn đồng'],
    ['100.000 VNĐ', 'một trăm nghìn đồng'],
    ['2 triệu đồng', 'hai triệu đồng'],
    ['30.000đ/người', 'ba mươi nghìn đồng một người'],
    ['3,5%', 'ba phẩy năm phần trăm'],
    ['12 km', 'mười hai ki lô mét'],
    ['200m²', 'hai trăm mét vuông'],
    ['500 m3', 'năm trăm mét khối'],
    ['25 kg', 'hai mươi lăm ki lô gam'],
    ['35°C', 'ba mươi lăm độ xê'],
    ['-2°C', 'âm hai độ xê'],
    ['150 mm', 'một trăm năm mươi mi li mét'],
    ['1.200 ha', 'một nghìn hai trăm héc ta'],
    ['60 km/h', 'sáu mươi ki lô mét trên giờ'],
  ])('%s', (text, spoken) => expect(say(text)).toBe(spoken));

  it('takes a dot before three digits as thousands and a dot before a space as the end of a sentence', () => {
    expect(say('Có 1.000 hộ.')).toBe('Có một nghìn hộ.');
    expect(say('Năm 2021. Năm 2022.')).toBe(
      'Năm hai nghìn không trăm hai mươi mốt. Năm hai nghìn không trăm hai mươi hai.',
    );
    expect(say('Mục 2.1')).toBe('Mục hai chấm một');
  });

  it('reads a leading zero: two digits as a count, longer as a code', () => {
    expect(say('có 03 yếu tố')).toBe('có ba yếu tố');
    expect(say('mã 0215')).toBe('mã không hai một năm');
  });
});

describe('ranges, minus signs and dashes', () => {
  it('reads a hyphen between numbers as "đến", before a lone number as "âm", between spaced words as a pause', () => {
    expect(say('từ 50-70%')).toBe('từ năm mươi đến bảy mươi phần trăm');
    expect(say('nhiệt độ -5 độ')).toBe('nhiệt độ âm năm độ');
    expect(say('Chính trị - xã hội')).toBe('Chính trị, xã hội');
    expect(say('vắc-xin')).toBe('vắc xin');
  });
});

describe('ordinals and Roman numerals', () => {
  it.each([
    ['thứ 1', 'thứ nhất'],
    ['lần thứ 4', 'lần thứ tư'],
    ['tháng 4', 'tháng tư'],
    ['Quý III', 'Quý ba'],
    ['Khu phố IV', 'Khu phố bốn'],
    ['thế kỷ XXI', 'thế kỷ hai mươi mốt'],
    ['lần thứ XIII', 'lần thứ mười ba'],
    ['lần thứ I', 'lần thứ nhất'],
    ['khóa XV', 'khóa mười lăm'],
  ])('%s', (text, spoken) => expect(say(text)).toBe(spoken));

  it('leaves capitals that are not numerals after those words, and Roman letters elsewhere', () => {
    expect(normaliseVietnamese('Quý IIII').notes.unknownCapitals).toEqual(['IIII']);
    expect(say('Vitamin C')).toBe('Vitamin xê');
  });
});

describe('the abbreviation dictionary and spelling', () => {
  it.each([
    ['UBND phường', 'Ủy ban nhân dân phường'],
    ['HĐND, MTTQ, BCĐ', 'Hội đồng nhân dân, mặt trận tổ quốc, ban chỉ đạo'],
    ['TP. Cần Thơ', 'Thành phố Cần Thơ'],
    ['TP.Cần Thơ', 'Thành phố Cần Thơ'],
    ['F0, F1, 5K, COVID-19', 'Ép không, ép một, năm ca, cô vít mười chín'],
    ['THCS, THPT, BHYT, CCCD', 'Trung học cơ sở, trung học phổ thông, bảo hiểm y tế, căn cước công dân'],
    ['KP 3', 'Khu phố ba'],
    ['CA phường', 'Công an phường'],
  ])('%s', (text, spoken) => expect(say(text)).toBe(spoken));

  it('reads "P." as "phường" before a number or after a word that is not a name, and as an initial in a name', () => {
    expect(say('UBND P. 5')).toBe('Ủy ban nhân dân phường năm');
    expect(say('tại P. An Hòa')).toBe('tại phường An Hòa');
    expect(say('Tại P. An Hòa')).toBe('Tại phường An Hòa');
    expect(say('ông Nguyễn Văn P. cư trú')).toBe('ông Nguyễn Văn pê cư trú');
    expect(say('Người vi phạm là ông Trần Văn H.')).toBe('Người vi phạm là ông Trần Văn hát.');
    expect(say('tại Q. Ninh Kiều, X. Tân An, H. Phong Điền')).toBe(
      'tại quận Ninh Kiều, xã Tân An, huyện Phong Điền',
    );
  });

  it('spells a word with no vowel that the dictionary does not know, and notes it', () => {
    const { spoken, notes } = normaliseVietnamese('Nhắn tin SMS qua VNPT.');
    expect(spoken).toBe('Nhắn tin ét em ét qua vê en pê tê.');
    expect(notes.spelled).toEqual(['SMS', 'VNPT']);
  });

  it('notes the dictionary entries used and the capitals it left as written', () => {
    const { notes } = normaliseVietnamese('UBND phường phối hợp với EVN và ABBA.');
    expect(notes.expanded).toEqual(['UBND', 'EVN']);
    expect(notes.unknownCapitals).toEqual(['ABBA']);
  });

  it('does not note the words of a heading in capitals as unknown acronyms', () => {
    expect(normaliseVietnamese('I. MỤC ĐÍCH, YÊU CẦU\nTHÔNG TIN TUYÊN TRUYỀN').notes.unknownCapitals).toEqual(
      [],
    );
  });

  it("takes a province's entries over the built-in ones, and an empty entry removes one", () => {
    const dictionary = { TPCT: 'thành phố Cần Thơ', CA: 'Cà Mau', KP: '' };
    expect(normaliseVietnamese('UBND TPCT, CA, KP', { dictionary }).spoken).toBe(
      'Ủy ban nhân dân thành phố Cần Thơ, Cà Mau, ca pê',
    );
  });

  it('lets a longer province entry win over a built-in one inside it', () => {
    const dictionary = { 'Đài TT': 'đài truyền thanh' };
    expect(normaliseVietnamese('Đài TT huyện, TT. Cờ Đỏ', { dictionary }).spoken).toBe(
      'Đài truyền thanh huyện, thị trấn Cờ Đỏ',
    );
  });

  it('does not change the dictionary it is given', () => {
    const dictionary = Object.freeze({ TPCT: 'thành phố Cần Thơ' });
    normaliseVietnamese('TPCT', { dictionary });
    expect(dictionary).toEqual({ TPCT: 'thành phố Cần Thơ' });
  });
});

describe('web and e-mail addresses', () => {
  it.each([
    ['qua <https://tiemchungcovid19.gov.vn>', 'qua tiemchungcovid mười chín chấm gov chấm vê en'],
    ['tin fb.com/sottttcantho.', 'tin ép bê chấm com gạch chéo sottttcantho.'],
    ['tại www.cantho.gov.vn/thong-bao', 'tại cantho chấm gov chấm vê en gạch chéo thong bao'],
    ['thư về ubnd.p5@cantho.gov.vn', 'thư về ubnd chấm pê năm a còng cantho chấm gov chấm vê en'],
  ])('%s', (text, spoken) => expect(say(text)).toBe(spoken));
});

describe('the example of docs/speech.md', () => {
  it('reads as the page says', () => {
    const options = { dictionary: { TPCT: 'thành phố Cần Thơ' }, maxLength: 20_000 };
    expect(normaliseVietnamese('Họp lúc 7h30 tại UBND P. 5.', options)).toEqual({
      spoken: 'Họp lúc bảy giờ ba mươi phút tại ủy ban nhân dân phường năm.',
      notes: { removed: [], spelled: [], expanded: ['UBND'], unknownCapitals: [] },
    });
  });
});

describe('regions', () => {
  it('reads "ngàn" and "lẻ" for a southern station', () => {
    const spoken = normaliseVietnamese('Có 1.005 hộ, 105 người.', {
      numberWords: { thousand: 'ngàn', zeroTens: 'lẻ' },
    }).spoken;
    expect(spoken).toBe('Có một ngàn không trăm lẻ năm hộ, một trăm lẻ năm người.');
  });
});
