// What a stream says about itself, and evidence that a file stops before its stream does.

export interface StreamClaims {
  /** frames (MP3) the stream's own header announces, with the length they make, in seconds */
  declaredFrames?: number;
  declaredS?: number;
  /** where the claim was read (for logs): "Xing header", "VBRI header" */
  source?: string;
  /** set when the file ends inside a frame or page, or before what its header announces */
  cut?: string;
  /** the walk ended on bytes that are not the format's (junk after complete frames or pages) */
  junkAfter?: boolean;
}

/** Tags that may follow an MP3 stream: ID3v1, APEv2, Lyrics3, an appended ID3v2. */
export const TRAILING_TAGS = ['TAG', 'APETAGEX', 'LYRICS', 'ID3'];

export const startsWithAny = (b: Buffer, marks: string[]) =>
  marks.some((m) => b.subarray(0, m.length).toString('latin1') === m);
