// Every reason code an as-run record, a skipped entry or a held bulletin can give, and its words for
// people in Vietnamese and English: the one table the console, the station page and the reports share.
import { QuietReason } from './model.ts';

export const REASON_CODES = [
  // a quiet window reports its own reason (the plan asks stations to account for online classes)
  ...QuietReason.options,
  // the timetable
  'overlap',
  'clip-unknown',
  'no-room',
  // ward staff at the station
  'local-stop',
  'local-pause',
  'local-quiet',
  'local-skip',
  // precedence
  'emergency',
  'priority-bulletin',
  'local-announcement',
  'expired',
  'cancelled',
  // the agent
  'late',
  'agent-offline',
  'clock-untrusted',
  'busy',
  'slot-edge',
  'clip-missing',
  'agent-restart',
  'agent-stopped',
  'watchdog',
  'player-error',
  'relay-error',
  'storage-error',
  // a relay or a live session (audio/stream/relay.ts says which)
  'stream-refused-url',
  'stream-not-started',
  'stream-not-audio',
  'stream-silent',
  'stream-dropped',
  // a bulletin held at the station
  'waiting',
  'next-session',
  'quiet-window',
] as const;

export type ReasonCode = (typeof REASON_CODES)[number];

const WORDS: Record<ReasonCode, readonly [vi: string, en: string]> = {
  'online-class': ['Giờ học trực tuyến', 'Online classes'],
  'national-relay': ['Tiếp sóng đài quốc gia', 'National relay'],
  'local-event': ['Sự kiện địa phương', 'Local event'],
  other: ['Lý do khác', 'Other reason'],
  overlap: ['Trùng lịch với lượt phát khác', 'Overlaps another entry'],
  'clip-unknown': ['Không có tệp âm thanh', 'Clip unknown'],
  'no-room': ['Không còn chỗ trong khung giờ', 'No room in its window'],
  'local-stop': ['Cán bộ tại đài đã dừng phát', 'Stopped by ward staff'],
  'local-pause': ['Cán bộ tại đài tạm ngưng phát', 'Paused by ward staff'],
  'local-quiet': ['Khung giờ không phát của đài', 'Local quiet window'],
  'local-skip': ['Bỏ qua (hoặc từ chối) tại đài', 'Skipped (or declined) by ward staff'],
  emergency: ['Nhường bản tin khẩn cấp', 'Gives way to an emergency bulletin'],
  'priority-bulletin': ['Nhường bản tin ưu tiên', 'Gives way to a priority bulletin'],
  'local-announcement': ['Nhường thông báo tại đài', 'Gives way to a local announcement'],
  expired: ['Bản tin đã hết hạn', 'The bulletin expired'],
  cancelled: ['Bản tin đã bị thu hồi', 'The bulletin was withdrawn'],
  late: ['Đã quá giờ phát', 'Its time had passed'],
  'agent-offline': ['Thiết bị tại đài không hoạt động', 'The station was not running'],
  'clock-untrusted': ['Đồng hồ của đài chưa được đồng bộ', "The station's clock was not synchronised"],
  busy: ['Lượt trước chưa phát xong', 'The previous entry was still on air'],
  'slot-edge': ['Cắt để nhường lượt kế tiếp', 'Cut for the next entry'],
  'clip-missing': ['Đài thiếu tệp âm thanh', 'Clip missing at the station'],
  'agent-restart': ['Thiết bị khởi động lại giữa chừng', 'The station restarted mid-entry'],
  'agent-stopped': ['Thiết bị bị tắt', 'The station was stopped'],
  watchdog: ['Bộ giám sát đã tắt loa (bật quá lâu)', 'Switched off by the watchdog (on too long)'],
  'player-error': ['Lỗi phát âm thanh', 'Audio playback failed'],
  'relay-error': ['Lỗi rơ-le bật tắt loa', 'Amplifier relay failed'],
  'storage-error': ['Bộ nhớ của đài đầy hoặc lỗi ghi', 'The station could not write to its storage'],
  'stream-refused-url': ['Địa chỉ luồng không hợp lệ (chỉ nhận http/https)', 'Not an http(s) stream address'],
  'stream-not-started': ['Không thu được luồng phát', 'The stream did not start'],
  'stream-not-audio': ['Luồng không phải âm thanh', 'The stream is not audio'],
  'stream-silent': ['Luồng không có tiếng', 'The stream stayed silent'],
  'stream-dropped': ['Mất luồng giữa chừng, không thu lại được', 'The stream dropped and did not come back'],
  waiting: ['Chờ có giờ phát', 'Waiting for a time in the timetable'],
  'next-session': ['Chờ buổi phát kế tiếp', 'Waiting for the next session'],
  'quiet-window': ['Chờ hết khung giờ không phát', 'Waiting for a quiet window to end'],
};

export const isReasonCode = (code: string): code is ReasonCode => Object.hasOwn(WORDS, code);

/** The words for a reason code in `lang`; an unknown code (from a newer agent) is shown as it is. */
export function reasonText(lang: 'vi' | 'en', code: string | null | undefined): string {
  if (!code) return '';
  return isReasonCode(code) ? WORDS[code][lang === 'vi' ? 0 : 1] : code;
}
