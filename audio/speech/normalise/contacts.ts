// Contacts: phone numbers read digit by digit in their groups, web and e-mail addresses read out.
import { readDigits } from './numbers.ts';
import { END, type Rule, re } from './reading.ts';

const readGroups = (groups: string[]) => groups.map(readDigits).join(', ');

/** 10 digits as 4-3-3 (mobiles), 11 as 4-4-3 (landlines with an area code), else in threes. */
function usualGroups(digits: string): string[] {
  const sizes = digits.length === 10 ? [4, 3, 3] : digits.length === 11 ? [4, 4, 3] : [];
  const groups: string[] = [];
  let at = 0;
  for (const size of sizes) {
    groups.push(digits.slice(at, at + size));
    at += size;
  }
  for (; at < digits.length; at += 3) groups.push(digits.slice(at, at + 3));
  return groups;
}

const NOT_AFTER = '(?<![\\p{L}\\p{N}.,])';
// "0292 3821 234", "0912.345.678", "(0292) 3.821.234": a leading 0 and 9 to 11 digits in groups.
const GROUPED = re(`${NOT_AFTER}\\(?(0\\d{1,4})\\)?((?:[ .\\-]\\d{1,4}){1,3})${END}`);
const PLAIN = re(`${NOT_AFTER}(0\\d{8,10})${END}`);
// "1900 9095", "1800.1234", "19001234": the national hotline prefixes.
const HOTLINE = re(`${NOT_AFTER}(1[89]00)[ .]?(\\d{3,4})(?:[ .](\\d{2,4}))?${END}`);
// "gọi 113", "đường dây nóng: 1022", "ĐT 115": short numbers only after a word that says it is one.
const CALL_WORDS =
  '(?:gọi|Gọi|đường dây nóng|Đường dây nóng|tổng đài|Tổng đài|hotline|Hotline|điện thoại|Điện thoại|ĐT|SĐT|số máy)';
const SHORT = re(`(${CALL_WORDS}(?:\\s+(?:ngay|tới|đến|theo))?(?:\\s+số)?\\s*:?\\s*)(\\d{3,5})${END}`);

export const phoneRule: Rule = {
  name: 'phone',
  apply: (text) =>
    text
      .replace(GROUPED, (m, head: string, tail: string) => {
        const groups = [head, ...tail.split(/[ .-]/).filter(Boolean)];
        const length = groups.join('').length;
        return length >= 9 && length <= 11 ? readGroups(groups) : m;
      })
      .replace(PLAIN, (_, digits: string) => readGroups(usualGroups(digits)))
      .replace(HOTLINE, (_, prefix: string, a: string, b?: string) =>
        readGroups([prefix, a, ...(b ? [b] : [])]),
      )
      .replace(SHORT, (_, lead: string, digits: string) => `${lead}${readDigits(digits)}`),
};

// "https://tiemchungcovid19.gov.vn", "www.cantho.gov.vn/tin-tuc", "tokhaiyte.vn": a domain with a
// known ending. Both patterns start only where a word starts, so a long run with no dot or "@" is
// scanned once, not again from every letter.
const WEB = re(
  `(?<![\\p{L}\\p{N}._\\-/])(?:https?:\\/\\/)?(?:www\\.)?((?:[\\p{L}\\p{N}-]+\\.)+(?:vn|com|net|org|gov|edu|info|io))((?:\\/[\\p{L}\\p{N}\\-_.]*)*)(?![\\p{L}\\p{N}])`,
);
const EMAIL = re(`(?<![\\p{L}\\p{N}._-])([\\p{L}\\p{N}._-]+)@(?=[\\p{L}\\p{N}-]+\\.)`);

/** The scheme and "www." are not read; dots read "chấm", slashes "gạch chéo", "@" "a còng". */
export const webRule: Rule = {
  name: 'web',
  apply: (text) =>
    text
      .replace(EMAIL, (_, user: string) => `${user.replaceAll('.', ' chấm ')} a còng `)
      .replace(WEB, (_, domain: string, path: string) => {
        const spokenPath = path
          .replace(/\.$/, '')
          .split('/')
          .filter(Boolean)
          .map((part) => ` gạch chéo ${part.replace(/[-_.]/g, ' ')}`)
          .join('');
        return `${domain.replaceAll('.', ' chấm ')}${spokenPath}${path.endsWith('.') ? '.' : ''}`;
      }),
};
