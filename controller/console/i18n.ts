// The console's words, Vietnamese first (the plan's vocabulary), English available.
export type Lang = 'vi' | 'en';

const words = {
  appName: ['Loa phường - Điều hành truyền thanh cơ sở', 'Loa phường - grassroots radio console'],
  signIn: ['Đăng nhập', 'Sign in'],
  signOut: ['Đăng xuất', 'Sign out'],
  username: ['Tên đăng nhập', 'Username'],
  password: ['Mật khẩu', 'Password'],
  wrongLogin: ['Sai tên đăng nhập hoặc mật khẩu', 'Wrong username or password'],
  stations: ['Đài truyền thanh', 'Stations'],
  campaigns: ['Đợt tuyên truyền', 'Campaigns'],
  clips: ['Bản tin', 'Clips'],
  quietWindows: ['Khung giờ không phát', 'Quiet windows'],
  audit: ['Nhật ký thay đổi', 'Audit trail'],
  station: ['Đài', 'Station'],
  district: ['Quận/huyện', 'District'],
  ward: ['Phường/xã', 'Ward'],
  status: ['Trạng thái', 'Status'],
  online: ['Trực tuyến', 'Online'],
  offlineSince: ['Mất kết nối từ', 'Offline since'],
  neverSeen: ['Chưa kết nối', 'Never connected'],
  inSync: ['Đã đồng bộ', 'In sync'],
  behind: ['Chậm phiên bản', 'Versions behind'],
  relay: ['Âm ly', 'Amplifier'],
  on: ['Bật', 'On'],
  off: ['Tắt', 'Off'],
  playingNow: ['Đang phát', 'Playing now'],
  clock: ['Đồng hồ', 'Clock'],
  trusted: ['Tin cậy', 'Trusted'],
  untrusted: ['Chưa tin cậy', 'Not trusted'],
  lastAsRun: ['Lần phát gần nhất', 'Last as-run'],
  all: ['Tất cả', 'All'],
  filterOffline: ['Mất kết nối', 'Offline'],
  filterOutOfSync: ['Chưa đồng bộ', 'Out of sync'],
  filterMissed: ['Lỡ lịch hôm nay', 'Missed slots today'],
  none: ['Không có', 'None'],
  timetable: ['Lịch phát', 'Timetable'],
  week: ['Tuần', 'Week'],
  previous: ['Trước', 'Previous'],
  next: ['Sau', 'Next'],
  scheduled: ['Sẽ phát', 'Scheduled'],
  skipped: ['Bỏ qua', 'Skipped'],
  reason: ['Lý do', 'Reason'],
  name: ['Tên', 'Name'],
  message: ['Thông điệp', 'Key message'],
  from: ['Từ ngày', 'From'],
  to: ['Đến ngày', 'To'],
  create: ['Tạo', 'Create'],
  add: ['Thêm', 'Add'],
  delete: ['Xóa', 'Delete'],
  save: ['Lưu', 'Save'],
  slots: ['Khung giờ phát', 'Slots'],
  time: ['Giờ', 'Time'],
  startTime: ['Giờ bắt đầu', 'Start time'],
  flexibleUntil: ['Linh hoạt đến (không bắt buộc)', 'Flexible until (optional)'],
  airTime: ['Vượt giới hạn thời lượng phát', 'Air-time limits exceeded'],
  savedWithWarnings: ['Đã lưu, nhưng vượt giới hạn thời lượng phát', 'Saved, but over the air-time limits'],
  endTime: ['Giờ kết thúc', 'End time'],
  weekdays: ['Các ngày', 'Weekdays'],
  target: ['Phạm vi', 'Target'],
  clip: ['Bản tin', 'Clip'],
  city: ['Toàn thành phố', 'Whole city'],
  note: ['Ghi chú', 'Note'],
  report: ['Báo cáo kết quả', 'Report'],
  downloadCsv: ['Tải CSV', 'Download CSV'],
  print: ['Bản in', 'Print'],
  planned: ['Theo kế hoạch', 'Planned'],
  played: ['Đã phát', 'Played'],
  failed: ['Lỗi', 'Failed'],
  missed: ['Bị lỡ', 'Missed'],
  interrupted: ['Bị ngắt', 'Interrupted'],
  minutesOnAir: ['Số phút phát', 'Minutes on air'],
  neverConfirmed: ['Đài chưa báo cáo', 'Stations that never confirmed'],
  upload: ['Tải lên', 'Upload'],
  title: ['Tiêu đề', 'Title'],
  duration: ['Thời lượng', 'Duration'],
  loudness: ['Độ lớn', 'Loudness'],
  listen: ['Nghe thử', 'Listen'],
  uploading: ['Đang tải lên', 'Uploading'],
  processing: ['Đang xử lý', 'Processing'],
  when: ['Thời điểm', 'When'],
  who: ['Người thực hiện', 'Who'],
  action: ['Thao tác', 'Action'],
  error: ['Lỗi', 'Error'],
  forbidden: ['Ngoài phạm vi quản lý của bạn', 'Outside your area'],
  noData: ['Chưa có dữ liệu', 'Nothing yet'],
  'role.admin': ['Quản trị', 'Admin'],
  'role.technician': ['Kỹ thuật viên', 'Technician'],
  'role.reviewer': ['Thẩm định', 'Reviewer'],
  'role.ward': ['Cán bộ phường/xã', 'Ward staff'],
  'role.viewer': ['Xem', 'Viewer'],
  'breach.sessions-per-day': ['Quá số buổi phát trong ngày', 'Too many sessions a day'],
  'breach.minutes-per-session': ['Buổi phát quá dài', 'Session too long'],
  'breach.days-per-week': ['Quá số ngày phát trong tuần', 'Too many days a week'],
  'reason.online-class': ['Giờ học trực tuyến', 'Online classes'],
  'reason.national-relay': ['Tiếp sóng đài quốc gia', 'National relay'],
  'reason.local-event': ['Sự kiện địa phương', 'Local event'],
  'reason.other': ['Khác', 'Other'],
  'reason.overlap': ['Trùng lịch', 'Overlaps another entry'],
  'reason.clip-unknown': ['Thiếu bản tin', 'Clip unknown'],
  'reason.no-room': ['Không còn chỗ trong khung giờ', 'No room in its window'],
} as const;

export type WordKey = keyof typeof words;

export function translator(lang: Lang): (key: WordKey) => string {
  const i = lang === 'vi' ? 0 : 1;
  return (key) => words[key][i];
}

/** Words for a reason code the API gives (quiet-window reasons and skip codes), or the code itself. */
export function reasonText(lang: Lang, code: string | null | undefined): string {
  if (!code) return '';
  const key = `reason.${code}` as WordKey;
  return key in words ? translator(lang)(key) : code;
}

export const WEEKDAY_NAMES: Record<Lang, string[]> = {
  vi: ['T2', 'T3', 'T4', 'T5', 'T6', 'T7', 'CN'],
  en: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'],
};

export const weekdayList = (lang: Lang, days: number[]) =>
  days.map((d) => WEEKDAY_NAMES[lang][d - 1]).join(' ');
