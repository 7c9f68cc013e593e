// The console's words for forms: a refused form's field at fault, and the confirmation asked before a
// deletion or a stop (what it affects), Vietnamese first.
export const formWords = {
  delete: ['Xóa', 'Delete'],
  save: ['Lưu', 'Save'],
  cancel: ['Hủy', 'Cancel'],
  fieldInvalid: ['Giá trị này chưa hợp lệ, xin kiểm tra lại.', 'This value is not valid.'],
  endBeforeStart: [
    'Ngày kết thúc không được trước ngày bắt đầu.',
    'The end date must not be before the start date.',
  ],
  'confirm.deleteSlot': ['Xóa khung giờ phát?', 'Delete this slot?'],
  'confirm.deleteQuiet': ['Xóa khung giờ không phát?', 'Delete this quiet window?'],
  'confirm.deletePolicy': ['Xóa giới hạn thời lượng phát?', 'Delete this air-time policy?'],
  'confirm.yesDelete': ['Đồng ý xóa', 'Yes, delete'],
  'confirm.slotAffects': [
    'Trong 14 ngày tới, các lượt phát sau của khung giờ này sẽ không phát nữa:',
    'Over the next 14 days, these plays of the slot will no longer happen:',
  ],
  'confirm.quietAffects': [
    'Trong 14 ngày tới, các lượt phát đang bị khung giờ này chặn sẽ được phát trở lại:',
    'Over the next 14 days, these plays the window holds back would go on air again:',
  ],
  'confirm.policyAffects': [
    'Các giới hạn này sẽ không còn áp dụng cho các đài:',
    'These limits will no longer apply to the stations:',
  ],
  'confirm.nothingAffected': [
    'Không có lượt phát nào bị ảnh hưởng trong 14 ngày tới.',
    'No play is affected over the next 14 days.',
  ],
  'confirm.moreStations': [
    'Chỉ xem lịch của 30 đài đầu tiên trong phạm vi; số đài còn lại chưa liệt kê',
    'Only the first 30 stations of the target were read; stations not listed',
  ],
  'confirm.entries': ['Số lượt phát', 'Plays'],
  'confirm.next': ['Các lượt gần nhất', 'Next plays'],
  'confirm.stop': ['Hủy lệnh tại đài?', 'Cancel this local command?'],
  'confirm.yesCancel': ['Đồng ý hủy lệnh', 'Yes, cancel it'],
  'confirm.overrideAffects': [
    'Đài sẽ phát lại theo lịch. Các lượt phát đang bị lệnh này chặn trong 14 ngày tới:',
    'The station goes back to its plan. The plays this command holds back over the next 14 days:',
  ],
  'confirm.withdraw': ['Thu hồi bản tin?', 'Withdraw this bulletin?'],
  'confirm.withdrawAffects': [
    'Bản tin sẽ dừng ngay và không phát nữa tại các đài',
    'The bulletin stops at once and plays no more at the stations',
  ],
  'report.printButton': ['In báo cáo', 'Print this report'],
  'report.byDay': ['Kết quả theo từng ngày', 'Results day by day'],
  'report.day': ['Ngày', 'Day'],
  'edit.slot': ['Sửa khung giờ phát', 'Edit slot'],
  'edit.quiet': ['Sửa khung giờ không phát', 'Edit quiet window'],
  flexibleAfterStart: [
    'Giờ phát muộn nhất phải sau giờ bắt đầu, trong cùng một ngày.',
    'The latest start must be after the start time, on the same day.',
  ],
} as const;
