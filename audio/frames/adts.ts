// Raw AAC (ADTS), as some recorders save .aac: every frame header states the frame's length (ISO/IEC
// 13818-7, 6.2), so a file that ends inside a frame was cut. ffmpeg drops such a frame silently.
import { type StreamClaims, startsWithAny, TRAILING_TAGS } from './claims.ts';
import { afterId3 } from './mp3.ts';
import type { ByteReader } from './reader.ts';

/** The length of the ADTS frame starting `b`, or null when `b` does not start one. */
export function adtsLength(b: Buffer): number | null {
  if (b.length < 7 || b[0] !== 0xff || ((b[1] ?? 0) & 0xf6) !== 0xf0) return null;
  const length = (((b[3] ?? 0) & 0x03) << 11) | ((b[4] ?? 0) << 3) | ((b[5] ?? 0) >> 5);
  return length >= 7 ? length : null;
}

export async function adtsClaims(r: ByteReader): Promise<StreamClaims> {
  let pos = await afterId3(r);
  if (adtsLength(await r.at(pos, 7)) === null) return {};
  while (pos < r.size) {
    const head = await r.at(pos, 7);
    const length = adtsLength(head);
    if (length === null) {
      if (head.length < 7 && head[0] === 0xff) return { cut: 'its last AAC frame is cut short' };
      return startsWithAny(head, TRAILING_TAGS) ? {} : { junkAfter: true };
    }
    if (pos + length > r.size)
      return { cut: `its last AAC frame is cut short (${r.size - pos} of ${length} bytes)` };
    pos += length;
  }
  return {};
}
