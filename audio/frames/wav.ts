// RIFF/WAVE: the data chunk states its size, so a file holding fewer bytes was cut. Writers that
// could not go back to fill the size in (a pipe) leave it 0 or 0xFFFFFFFF: no claim then.
import type { StreamClaims } from './claims.ts';
import type { ByteReader } from './reader.ts';

export async function wavClaims(r: ByteReader): Promise<StreamClaims> {
  const riff = await r.at(0, 12);
  if (
    riff.length < 12 ||
    riff.toString('latin1', 0, 4) !== 'RIFF' ||
    riff.toString('latin1', 8, 12) !== 'WAVE'
  )
    return {};
  let pos = 12;
  for (let chunks = 0; chunks < 64 && pos + 8 <= r.size; chunks++) {
    const head = await r.at(pos, 8);
    const size = head.readUInt32LE(4);
    if (head.toString('latin1', 0, 4) === 'data') {
      if (size === 0 || size === 0xffffffff) return {};
      const held = r.size - pos - 8;
      return held < size
        ? { cut: `it holds ${held} of the ${size} bytes of sound its header announces` }
        : {};
    }
    pos += 8 + size + (size & 1);
  }
  return {};
}
