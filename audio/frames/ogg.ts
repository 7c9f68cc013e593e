// The Ogg page walk: every page states its length, and a stream's last page carries the end-of-stream
// flag (RFC 3533), so a file that ends inside a page, or on a page without that flag, was cut.
import type { StreamClaims } from './claims.ts';
import type { ByteReader } from './reader.ts';

const EOS = 0x04;

export async function oggClaims(r: ByteReader): Promise<StreamClaims> {
  let pos = 0;
  let flags = 0;
  while (pos < r.size) {
    const head = await r.at(pos, 27);
    if (head.subarray(0, 4).toString('latin1') !== 'OggS') {
      // a page start cut short is a cut; anything else is junk the walk cannot judge
      return pos > 0 && head.length < 27 && 'OggS'.startsWith(head.toString('latin1'))
        ? { cut: 'its last Ogg page is cut short' }
        : { junkAfter: pos > 0 };
    }
    if (head.length < 27) return { cut: 'its last Ogg page is cut short' };
    const segments = head[26] ?? 0;
    const table = await r.at(pos + 27, segments);
    const length = 27 + segments + table.reduce((sum, n) => sum + n, 0);
    if (table.length < segments || pos + length > r.size)
      return { cut: `its last Ogg page is cut short (${r.size - pos} of ${length} bytes)` };
    flags = head[5] ?? 0;
    pos += length;
  }
  return flags & EOS ? {} : { cut: 'its Ogg stream has no end page' };
}
