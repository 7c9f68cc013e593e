// A file's own structure read for signs it was cut: the MP3 and ADTS frame walks, the Ogg page walk,
// the WAV data size, the MP4 box sizes. FLAC and Matroska state a duration ffprobe reads (see integrity.ts).
import { adtsClaims } from './adts.ts';
import type { StreamClaims } from './claims.ts';
import { mp3Claims } from './mp3.ts';
import { mp4Claims } from './mp4.ts';
import { oggClaims } from './ogg.ts';
import { withReader } from './reader.ts';
import { wavClaims } from './wav.ts';

export type { StreamClaims };

const MP4 = 'mov,mp4,m4a,3gp,3g2,mj2';

const walks: Record<string, (r: Parameters<typeof mp3Claims>[0]) => Promise<StreamClaims>> = {
  mp3: mp3Claims,
  aac: adtsClaims,
  [MP4]: mp4Claims,
  ogg: oggClaims,
  wav: wavClaims,
};

/** The format a file's first bytes announce, named as ffprobe does, for a file ffprobe gave up on. */
export async function sniffFormat(file: string): Promise<string | null> {
  const head = await withReader(file, (r) => r.at(0, 12));
  const tag = (from: number, to: number) => head.toString('latin1', from, to);
  if (tag(0, 4) === 'OggS') return 'ogg';
  if (tag(0, 4) === 'fLaC') return 'flac';
  if (tag(0, 4) === 'RIFF' && tag(8, 12) === 'WAVE') return 'wav';
  if (tag(4, 8) === 'ftyp') return MP4;
  if (tag(0, 3) === 'ID3' || (head[0] === 0xff && ((head[1] ?? 0) & 0xe0) === 0xe0)) return 'mp3';
  return null;
}

/** The claims of `file`, demuxed by ffprobe as `formatName`; nothing for formats without a walk. */
export function streamClaims(file: string, formatName: string): Promise<StreamClaims> {
  const walk = walks[formatName];
  return walk ? withReader(file, walk) : Promise.resolve({});
}
