// Random reads of an uploaded file through a window, for the frame walks of frames/*.ts: a walk reads a
// few bytes per frame, so each read is served from a 1 MB window rather than a system call.
import { type FileHandle, open } from 'node:fs/promises';

const WINDOW = 1 << 20;

export interface ByteReader {
  size: number;
  /** up to `n` bytes from `pos` (fewer at the end of the file) */
  at(pos: number, n: number): Promise<Buffer>;
}

/** Opens `file`, runs `walk` over it, and closes it whatever happens. */
export async function withReader<T>(file: string, walk: (r: ByteReader) => Promise<T>): Promise<T> {
  const fh: FileHandle = await open(file, 'r');
  try {
    const { size } = await fh.stat();
    let start = 0;
    let buf = Buffer.alloc(0);
    const at = async (pos: number, n: number): Promise<Buffer> => {
      if (pos < start || pos + n > start + buf.length) {
        const window = Buffer.alloc(Math.max(WINDOW, n));
        const { bytesRead } = await fh.read(window, 0, window.length, pos);
        start = pos;
        buf = window.subarray(0, bytesRead);
      }
      return buf.subarray(pos - start, Math.min(buf.length, pos - start + n));
    };
    return await walk({ size, at });
  } finally {
    await fh.close();
  }
}
