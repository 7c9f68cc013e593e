// ISO BMFF (MP4, M4A, 3GP, MOV): the file is a row of boxes, each stating its size, so a file that
// ends inside a box was cut, even where the cut spared every sample (the end of the moov index).
import type { StreamClaims } from './claims.ts';
import type { ByteReader } from './reader.ts';

export async function mp4Claims(r: ByteReader): Promise<StreamClaims> {
  let pos = 0;
  for (let boxes = 0; boxes < 10_000 && pos < r.size; boxes++) {
    const head = await r.at(pos, 16);
    if (head.length < 8) return { cut: 'its last MP4 box is cut short' };
    const small = head.readUInt32BE(0);
    const type = head.toString('latin1', 4, 8);
    if (!/^[\w ©-]{4}$/.test(type)) return { junkAfter: pos > 0 }; // not a box: junk it cannot judge
    if (small === 0) return {}; // "to the end of the file"
    const size = small === 1 ? (head.length < 16 ? Number.NaN : Number(head.readBigUInt64BE(8))) : small;
    if (!(size >= 8)) return small === 1 && head.length < 16 ? { cut: 'its last MP4 box is cut short' } : {};
    if (pos + size > r.size)
      return { cut: `its ${type} box is cut short (${r.size - pos} of ${size} bytes)` };
    pos += size;
  }
  return {};
}
