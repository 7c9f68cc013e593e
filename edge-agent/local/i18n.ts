// The station page's words, Vietnamese first (the words ward staff use), English available.
export type Lang = 'vi' | 'en';

const words = {
  title: ['Đài truyền thanh', 'Station'],
  playingNow: ['Đang phát', 'Playing now'],
  nothingPlaying: ['Không phát', 'Nothing on air'],
  relay: ['Âm ly (rơ-le)', 'Amplifier (relay)'],
  on: ['Bật', 'On'],
  off: ['Tắt', 'Off'],
  simulated: ['mô phỏng', 'simulated'],
  link: ['Kết nối trung tâm', 'Link to the controller'],
  online: ['Trực tuyến', 'Online'],
  offline: ['Mất kết nối (vẫn phát theo lịch đã lưu)', 'Offline (plays from the stored schedule)'],
  clock: ['Đồng hồ', 'Clock'],
  trusted: ['Đã đồng bộ', 'Synchronised'],
  untrusted: ['Chưa đồng bộ - chưa phát', 'Not synchronised - not playing'],
  stopNow: ['Dừng phát ngay', 'Stop now'],
  cannotStop: [
    'Bản tin khẩn cấp đang phát - không thể dừng tại đài',
    'An emergency bulletin is on air - it cannot be stopped here',
  ],
  emergency: ['Bản tin khẩn cấp', 'Emergency bulletin'],
  'level.normal': ['Thông thường', 'Normal'],
  'level.priority': ['Ưu tiên', 'Priority'],
  'level.emergency': ['Khẩn cấp', 'Emergency'],
  reason: ['Lý do', 'Reason'],
  reasonStop: ['Lý do dừng', 'Why stop'],
  today: ['Hôm nay', 'Today'],
  tomorrow: ['Ngày mai', 'Tomorrow'],
  timetable: ['Lịch phát', 'Timetable'],
  noEntries: ['Không có lượt phát', 'No entries'],
  skipped: ['Bỏ qua', 'Skipped'],
  scheduled: ['Sẽ phát', 'Scheduled'],
  overrides: ['Điều chỉnh tại đài đang có hiệu lực', 'Local overrides in force'],
  noOverrides: ['Không có', 'None'],
  by: ['Người thực hiện', 'By'],
  until: ['đến', 'until'],
  from: ['từ', 'from'],
  cancel: ['Hủy', 'Cancel'],
  cancelled: ['Đã hủy', 'Cancelled'],
  'kind.stop': ['Dừng phát', 'Stop'],
  'kind.pause': ['Tạm dừng', 'Pause'],
  'kind.skip': ['Bỏ qua lượt', 'Skip'],
  'kind.quiet': ['Khung giờ không phát', 'Quiet window'],
  'kind.announce': ['Thông báo', 'Announcement'],
  'kind.volume': ['Âm lượng', 'Volume'],
  actions: ['Thao tác tại đài', 'Actions'],
  skipNext: ['Bỏ qua lượt kế tiếp', 'Skip the next entry'],
  entry: ['Lượt phát', 'Entry'],
  pauseUntil: ['Tạm dừng đến', 'Pause until'],
  addQuiet: ['Thêm khung giờ không phát', 'Add a quiet window'],
  date: ['Ngày', 'Date'],
  startTime: ['Từ giờ', 'From'],
  endTime: ['Đến giờ', 'To'],
  announce: ['Phát thông báo', 'Play an announcement'],
  clip: ['Bản tin', 'Clip'],
  localClip: ['ghi tại đài', 'made here'],
  noClips: ['Chưa có bản tin nào trên đài', 'No clip on the station yet'],
  now: ['Ngay bây giờ', 'Now'],
  atTime: ['Vào lúc', 'At'],
  upload: ['Tải tệp âm thanh lên', 'Upload an audio file'],
  file: ['Tệp âm thanh', 'Audio file'],
  clipTitle: ['Tiêu đề', 'Title'],
  send: ['Gửi', 'Send'],
  record: ['Ghi âm', 'Record'],
  startRecording: ['Bắt đầu ghi', 'Start recording'],
  stopRecording: ['Dừng ghi và gửi', 'Stop and send'],
  needHttps: [
    'Điện thoại chỉ cho phép dùng micro qua HTTPS. Mở trang bảo mật của đài:',
    'Phones allow the microphone only over HTTPS. Open the station’s secure page:',
  ],
  httpsNote: [
    'Lần đầu trình duyệt sẽ cảnh báo chứng chỉ tự ký của đài; chọn "Nâng cao" rồi "Tiếp tục".',
    'The first time, the browser warns about the station’s self-signed certificate; choose "Advanced", then "Proceed".',
  ],
  volume: ['Âm lượng', 'Volume'],
  volumeHelp: ['100% là mức bình thường', '100% is the normal level'],
  apply: ['Áp dụng', 'Apply'],
  untilTime: ['Đến lúc', 'Until'],
  bulletins: ['Bản tin từ cấp trên', 'Bulletins from above'],
  noBulletins: ['Không có bản tin', 'No bulletins'],
  decline: ['Từ chối phát', 'Decline'],
  'state.received': ['Đã nhận', 'Received'],
  'state.held': ['Đang chờ', 'Waiting'],
  'state.started': ['Đang phát', 'On air'],
  'state.finished': ['Đã phát xong', 'Finished'],
  'state.failed': ['Lỗi', 'Failed'],
  'state.skipped': ['Bỏ qua', 'Skipped'],
  'state.declined': ['Đã từ chối', 'Declined'],
  'state.expired': ['Hết hạn', 'Expired'],
  'state.cancelled': ['Đã thu hồi', 'Withdrawn'],
  signIn: ['Đăng nhập', 'Sign in'],
  signOut: ['Đăng xuất', 'Sign out'],
  yourName: ['Họ tên người thao tác', 'Your name'],
  pin: ['Mã PIN / mật khẩu của đài', 'Station PIN / password'],
  readOnly: [
    'Trang chỉ xem: đài chưa đặt mã PIN. Trên máy của đài, chạy lệnh:',
    'Read-only: no PIN is set for this station. On the station, run:',
  ],
  signedInAs: ['Đang đăng nhập:', 'Signed in as'],
  working: ['Đang xử lý…', 'Working…'],
  done: ['Đã xong', 'Done'],
  language: ['English', 'Tiếng Việt'],
  minutesMax: ['Tối đa (phút)', 'At most (minutes)'],
} as const;

export type WordKey = keyof typeof words;

export function translator(lang: Lang): (key: WordKey) => string {
  const i = lang === 'vi' ? 0 : 1;
  return (key) => words[key][i];
}

/** Words for the reason codes of skipped entries and as-run records. */
const REASONS: Record<string, [string, string]> = {
  'online-class': ['Giờ học trực tuyến', 'Online classes'],
  'national-relay': ['Tiếp sóng đài quốc gia', 'National relay'],
  'local-event': ['Sự kiện địa phương', 'Local event'],
  other: ['Khung giờ không phát', 'Quiet window'],
  overlap: ['Trùng với lượt phát khác', 'Overlaps another entry'],
  'clip-unknown': ['Thiếu bản tin', 'Clip unknown'],
  'no-room': ['Không còn chỗ trong khung giờ', 'No room in its window'],
  'local-stop': ['Cán bộ tại đài đã dừng phát', 'Stopped by ward staff'],
  'local-pause': ['Tạm dừng tại đài', 'Paused by ward staff'],
  'local-quiet': ['Khung giờ không phát của đài', 'Local quiet window'],
  'local-skip': ['Bỏ qua (hoặc từ chối) tại đài', 'Skipped (or declined) by ward staff'],
  emergency: ['Nhường bản tin khẩn cấp', 'Gives way to an emergency bulletin'],
  'priority-bulletin': ['Nhường bản tin ưu tiên', 'Gives way to a priority bulletin'],
  'local-announcement': ['Nhường thông báo tại đài', 'Gives way to a local announcement'],
  expired: ['Bản tin đã hết hạn', 'The bulletin expired'],
  cancelled: ['Bản tin đã bị thu hồi', 'The bulletin was withdrawn'],
};

export function reasonWords(code: string): { vi: string; en: string } {
  const w = REASONS[code];
  return w ? { vi: w[0], en: w[1] } : { vi: code, en: code };
}

export const langOf = (query: string | undefined, cookie: string | undefined): Lang =>
  (query ?? cookie) === 'en' ? 'en' : 'vi';
