// The console's words for relays of the national and provincial radio (tiếp sóng), Vietnamese first.
export const relayWords = {
  relays: ['Tiếp sóng đài phát thanh', 'Relays of radio stations'],
  relayHelp: [
    'Đài phát lại luồng của Đài Tiếng nói Việt Nam hoặc đài tỉnh từ giờ bắt đầu đến giờ kết thúc. Khi không thu được luồng, đài phát bản tin dự phòng hoặc tắt loa.',
    'Stations play the stream of VOV or the provincial station from the start to the end time. When the stream cannot be heard, they play the fallback clip or switch the amplifier off.',
  ],
  relayUrl: ['Địa chỉ luồng phát (http/https)', 'Stream address (http/https)'],
  relayEnd: ['Giờ kết thúc', 'End time'],
  relayViaServer: [
    'Nhận qua máy chủ phát luồng của tỉnh (một kết nối tới đài nguồn cho cả tỉnh)',
    "Through the province's stream server (one connection to the source for the whole province)",
  ],
  relayFallback: ['Khi không thu được luồng', 'When the stream fails'],
  relaySilence: ['Tắt loa (không phát gì)', 'Amplifier off (nothing)'],
  relayOf: ['Tiếp sóng', 'Relay of'],
  relayAdd: ['Thêm giờ tiếp sóng', 'Add relay hours'],
  relayUrlBad: [
    'Địa chỉ luồng phải bắt đầu bằng http:// hoặc https://.',
    'The stream address must start with http:// or https://.',
  ],
  relayEndBad: [
    'Giờ kết thúc phải sau giờ bắt đầu, trong cùng một ngày.',
    'The end time must be after the start time, on the same day.',
  ],
  // as-run outcomes of relays and live sessions
  'outcome.relay': ['Đã tiếp sóng', 'Relayed'],
  'outcome.relay-failed': ['Không tiếp sóng được', 'Relay failed'],
  'outcome.live': ['Đã phát trực tiếp', 'Spoken live'],
} as const;
