// The console's words for the CAP feeds polled for alerts (the bulletins page), Vietnamese first.
export const capFeedWords = {
  capFeeds: ['Nguồn cảnh báo CAP', 'CAP alert feeds'],
  capFeedsHelp: [
    'Bộ điều khiển tự đọc các nguồn cảnh báo này theo chu kỳ và phát các văn bản mới thành bản tin. Văn bản bị từ chối không được thử lại.',
    'The controller reads these alert feeds at their interval and issues each new document as a bulletin. A refused document is not tried again.',
  ],
  capFeedLastPoll: ['Lần đọc gần nhất', 'Last poll'],
  capFeedNextPoll: ['Lần đọc tới', 'Next poll'],
  capFeedOk: ['Hoạt động bình thường', 'Working'],
  capFeedFailing: ['Không đọc được', 'Cannot be read'],
  capFeedFailures: ['lần lỗi liên tiếp', 'failures in a row'],
  capFeedDocument: ['Văn bản', 'Document'],
  'capEntry.imported': ['Đã phát thành bản tin', 'Issued'],
  'capEntry.duplicate': ['Đã có từ trước', 'Already here'],
  'capEntry.refused': ['Bị từ chối', 'Refused'],
  'capEntry.held': ['Chờ duyệt âm thanh đọc tự động', 'Awaiting review of its spoken clip'],
  'capEntry.failing': ['Đang thử tải lại', 'Retrying the download'],
} as const;
