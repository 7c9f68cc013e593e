// The console's words for signed desired states and bulletins and the stations' as-run hash chain.
export const signingWords = {
  'refused.desired': [
    'Trạm đã từ chối một lịch phát không có chữ ký hợp lệ',
    'The station refused a schedule without a valid signature',
  ],
  'refused.bulletin': [
    'Trạm đã từ chối một bản tin không có chữ ký hợp lệ',
    'The station refused a bulletin without a valid signature',
  ],
  'refused.unsigned': ['không có chữ ký', 'it carried no signature'],
  'refused.unknown-key': ['chữ ký bằng khóa không được tin cậy', 'signed with a key it does not trust'],
  'refused.bad-signature': ['chữ ký không khớp nội dung', 'its signature did not match its content'],
  refusedTimes: ['Số lần từ chối', 'Times refused'],
  lastAt: ['lần gần nhất lúc', 'last at'],
  'chain.broken': ['Nhật ký phát của trạm bị đứt chuỗi', "The station's as-run log has a break in its chain"],
  'chain.edited': ['bản ghi bị sửa', 'a record was edited'],
  'chain.gap': ['thiếu bản ghi', 'records are missing'],
  'chain.broken-link': ['bản ghi không nối tiếp bản trước', 'a record does not follow the one before'],
  'chain.restarted': ['trạm bắt đầu chuỗi mới', 'the station began a new chain'],
  chainRecords: ['Bản ghi liên quan', 'Records involved'],
} as const;
