// The console's words for the clip library (pages/library.tsx) and clips made from text (pages/speak.tsx),
// Vietnamese first.
export const clipWords = {
  upload: ['Tải lên', 'Upload'],
  sameAudio: [
    'Âm thanh này đã có trong thư viện (cùng một tệp), với tên',
    'This audio is already in the library (the same file), as',
  ],
  loudness: ['Độ lớn', 'Loudness'],
  listen: ['Nghe thử', 'Listen'],
  usedIn: ['Dùng trong', 'Used in'],
  speakTitle: ['Bản tin từ văn bản', 'Clip from text'],
  speakText: ['Nội dung', 'Text'],
  speakVoice: ['Giọng đọc', 'Voice'],
  speakSpeed: ['Tốc độ', 'Speed'],
  speakChimeBefore: ['Chuông mở đầu', 'Chime before'],
  speakChimeAfter: ['Chuông kết thúc', 'Chime after'],
  speakPreview: ['Nghe thử', 'Preview'],
  speakSave: ['Lưu bản tin', 'Save clip'],
  speakReadBy: ['Đọc bằng', 'Read by'],
} as const;
