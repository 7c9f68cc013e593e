// The MPEG audio frame walk: every frame header gives the frame's length, so a walk from the first
// frame to the end of the file finds a last frame cut short, and counts the frames against the count
// a Xing/Info or VBRI header announces (a cut exactly between frames).
import { type StreamClaims, startsWithAny, TRAILING_TAGS } from './claims.ts';
import type { ByteReader } from './reader.ts';

/** kbit/s by bitrate index: MPEG-1 layers I, II, III; MPEG-2/2.5 layer I; MPEG-2/2.5 layers II and III. */
const KBPS = {
  v1l1: [0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448],
  v1l2: [0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384],
  v1l3: [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
  v2l1: [0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256],
  v2l23: [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
};
/** Sample rates by version bits (3 MPEG-1, 2 MPEG-2, 0 MPEG-2.5) and index. */
const RATES: Record<number, number[]> = {
  3: [44100, 48000, 32000],
  2: [22050, 24000, 16000],
  0: [11025, 12000, 8000],
};

interface FrameHeader {
  length: number;
  samples: number;
  sampleRate: number;
  mpeg1: boolean;
  mono: boolean;
}

/** The frame header at the start of `b`, or null (free-format bitrate counts as unknown too). */
export function frameHeader(b: Buffer): FrameHeader | null {
  if (b.length < 4 || b[0] !== 0xff || ((b[1] ?? 0) & 0xe0) !== 0xe0) return null;
  const [b1, b2, b3] = [b[1] ?? 0, b[2] ?? 0, b[3] ?? 0];
  const version = (b1 >> 3) & 3;
  const layer = 4 - ((b1 >> 1) & 3); // 1, 2 or 3; 4 is reserved
  const rates = RATES[version];
  const sampleRate = rates?.[(b2 >> 2) & 3];
  if (!sampleRate || layer === 4) return null;
  const mpeg1 = version === 3;
  const table = mpeg1 ? [KBPS.v1l1, KBPS.v1l2, KBPS.v1l3][layer - 1] : layer === 1 ? KBPS.v2l1 : KBPS.v2l23;
  const kbps = table?.[b2 >> 4];
  if (!kbps) return null;
  const pad = (b2 >> 1) & 1;
  const samples = layer === 1 ? 384 : layer === 3 && !mpeg1 ? 576 : 1152;
  const length =
    layer === 1
      ? (Math.floor((12 * kbps * 1000) / sampleRate) + pad) * 4
      : Math.floor(((samples / 8) * kbps * 1000) / sampleRate) + pad;
  return { length, samples, sampleRate, mpeg1, mono: b3 >> 6 === 3 };
}

/** The end of the ID3v2 tags at the start of the file. */
export async function afterId3(r: ByteReader): Promise<number> {
  let pos = 0;
  for (;;) {
    const h = await r.at(pos, 10);
    if (h.length < 10 || h.subarray(0, 3).toString('latin1') !== 'ID3') return pos;
    const size =
      (((h[6] ?? 0) & 0x7f) << 21) |
      (((h[7] ?? 0) & 0x7f) << 14) |
      (((h[8] ?? 0) & 0x7f) << 7) |
      ((h[9] ?? 0) & 0x7f);
    pos += 10 + size + ((h[5] ?? 0) & 0x10 ? 10 : 0);
  }
}

/** The first frame: a header whose next frame also starts with one, within 64 KB of the tags. */
async function firstFrame(r: ByteReader, from: number): Promise<number | null> {
  const window = await r.at(from, 65536);
  for (let i = window.indexOf(0xff); i >= 0 && i < window.length - 4; i = window.indexOf(0xff, i + 1)) {
    const h = frameHeader(window.subarray(i, i + 4));
    if (!h) continue;
    const next = from + i + h.length;
    if (next === r.size || frameHeader(await r.at(next, 4))) return from + i;
  }
  return null;
}

/** Frames announced by a Xing/Info or VBRI header in the first frame; that frame holds no audio. */
async function announced(r: ByteReader, pos: number, h: FrameHeader) {
  const frame = await r.at(pos, Math.min(h.length, 200));
  const side = h.mpeg1 ? (h.mono ? 17 : 32) : h.mono ? 9 : 17;
  const xing = frame.subarray(4 + side, 4 + side + 12);
  const tag = xing.subarray(0, 4).toString('latin1');
  if ((tag === 'Xing' || tag === 'Info') && xing.length === 12 && (xing.readUInt32BE(4) & 1) === 1)
    return { frames: xing.readUInt32BE(8), source: `${tag} header` };
  if (tag === 'Xing' || tag === 'Info') return { frames: undefined, source: `${tag} header` };
  const vbri = frame.subarray(36, 36 + 18);
  if (vbri.length === 18 && vbri.subarray(0, 4).toString('latin1') === 'VBRI')
    return { frames: vbri.readUInt32BE(14), source: 'VBRI header' };
  return null;
}

/** Walks an MPEG audio stream; claims nothing where its frames cannot be followed to the end. */
export async function mp3Claims(r: ByteReader): Promise<StreamClaims> {
  const first = await firstFrame(r, await afterId3(r));
  if (first === null) return {};
  const h = frameHeader(await r.at(first, 4)) as FrameHeader;
  const info = await announced(r, first, h);
  let pos = info ? first + h.length : first;
  let frames = 0;
  let last = h;
  while (pos < r.size) {
    const next = frameHeader(await r.at(pos, 4));
    if (!next) break;
    if (pos + next.length > r.size)
      return { cut: `its last audio frame is cut short (${r.size - pos} of ${next.length} bytes)` };
    frames++;
    pos += next.length;
    last = next;
  }
  const rest = await r.at(pos, 8);
  if (rest.length > 0 && rest.length < 4 && rest[0] === 0xff)
    return { cut: 'its last audio frame is cut short' };
  // anything after the frames that is not a tag: junk the walk cannot judge (ffmpeg's decode will)
  if (rest.length > 0 && !startsWithAny(rest, TRAILING_TAGS)) return { junkAfter: true };
  if (!info?.frames) return {};
  const declaredS = (info.frames * last.samples) / last.sampleRate;
  const claims = { declaredFrames: info.frames, declaredS, source: info.source };
  // one frame of slack: encoders differ on whether the count includes the header frame
  return frames < info.frames - 1
    ? { ...claims, cut: `it holds ${frames} audio frames of the ${info.frames} its ${info.source} announces` }
    : claims;
}
