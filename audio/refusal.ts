// How a refused or failed recording is answered, on the controller and on the station page alike: a
// code, an HTTP status, and words that never name a server file (ffmpeg's own output does).
import { AudioError } from './ffmpeg.ts';

export interface Refusal {
  status: 413 | 415 | 422;
  code: string;
  text: string;
}

/** The status a refused recording is answered with, by its code. */
export function refusalStatus(code: string): Refusal['status'] {
  if (code === 'too_long') return 413;
  return code === 'timeout' || code === 'ffmpeg_failed' || code === 'aborted' || code === 'internal'
    ? 422
    : 415;
}

/**
 * Audio's own words for what is wrong with a recording, and a fixed text where the failure is in the
 * processing (whose output names server files).
 */
export function refusalOf(e: unknown): Refusal {
  if (!(e instanceof AudioError))
    return { status: 422, code: 'internal', text: 'the recording could not be processed' };
  const text =
    e.code === 'ffmpeg_failed'
      ? 'the recording could not be processed'
      : e.code === 'timeout'
        ? 'the recording took too long to process'
        : e.code === 'aborted'
          ? 'processing was stopped'
          : (e.message.split('\n')[0] ?? e.code);
  return { status: refusalStatus(e.code), code: e.code, text };
}
