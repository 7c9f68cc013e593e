// How a refused or failed recording is answered, on the controller and on the station page alike: a
// code, an HTTP status, and words that never name a server file (ffmpeg's own output does), in
// English (`text`, the API's) and Vietnamese (`vi`, for the people who upload).
import { AudioError } from './ffmpeg.ts';

export interface Refusal {
  status: 413 | 415 | 422;
  code: string;
  text: string;
  vi: string;
}

/** The status a refused recording is answered with, by its code. */
export function refusalStatus(code: string): Refusal['status'] {
  if (code === 'too_long') return 413;
  return code === 'timeout' || code === 'ffmpeg_failed' || code === 'aborted' || code === 'internal'
    ? 422
    : 415;
}

const AGAIN = 'Hãy lấy lại tệp gốc rồi tải lên lần nữa.';

/**
 * The Vietnamese for a refusal, from its code and English text (as stored in a failed clip's
 * reason: "code: text"); durations are carried over from the English ("5 s", "3 min 5 s").
 */
export function refusalVi(code: string, text: string): string {
  const vi = (s: string) => s.replace(/(\d) min (\d+) s/g, '$1 phút $2 giây').replace(/(\d) s\b/g, '$1 giây');
  switch (code) {
    case 'corrupt':
      return /cut off/.test(text)
        ? `Tệp âm thanh có vẻ bị cắt cụt, không đầy đủ (có thể việc tải lên hoặc sao chép chưa xong). ${AGAIN}`
        : `Tệp âm thanh bị hỏng hoặc không đầy đủ, không đọc trọn vẹn được. ${AGAIN}`;
    case 'not_audio':
      return 'Tệp này không phải tệp âm thanh mà hệ thống đọc được (hãy dùng MP3, M4A, WAV, OGG...).';
    case 'no_audio_stream':
      return 'Tệp này không có tiếng.';
    case 'empty':
      return /silence/.test(text)
        ? 'Bản ghi chỉ có khoảng lặng, không có tiếng.'
        : 'Tệp trống, không có nội dung.';
    case 'too_long': {
      const m = /lasts (.+), longer than the limit of (.+)$/.exec(text);
      return m?.[1] && m[2]
        ? `Bản ghi dài ${vi(m[1])}, quá thời lượng cho phép (${vi(m[2])}).`
        : 'Bản ghi dài quá thời lượng cho phép.';
    }
    case 'timeout':
      return 'Xử lý bản ghi mất quá nhiều thời gian. Hãy thử lại sau.';
    case 'aborted':
      return 'Việc xử lý bản ghi đã bị dừng.';
    default:
      return 'Không xử lý được bản ghi này.';
  }
}

/**
 * Audio's own words for what is wrong with a recording, and a fixed text where the failure is in the
 * processing (whose output names server files).
 */
export function refusalOf(e: unknown): Refusal {
  if (!(e instanceof AudioError))
    return {
      status: 422,
      code: 'internal',
      text: 'the recording could not be processed',
      vi: refusalVi('internal', ''),
    };
  const text =
    e.code === 'ffmpeg_failed'
      ? 'the recording could not be processed'
      : e.code === 'timeout'
        ? 'the recording took too long to process'
        : e.code === 'aborted'
          ? 'processing was stopped'
          : (e.message.split('\n')[0] ?? e.code);
  return { status: refusalStatus(e.code), code: e.code, text, vi: refusalVi(e.code, text) };
}
