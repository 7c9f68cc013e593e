// A logger that keeps every line ("info ...", "warn ...", "error ..."), for assertions on what was reported.
import type { Logger } from '../../common/log.ts';

export type RecordingLogger = Logger & { lines: string[] };

export function recordingLogger(): RecordingLogger {
  const lines: string[] = [];
  return {
    lines,
    info: (m) => lines.push(`info ${m}`),
    warn: (m) => lines.push(`warn ${m}`),
    error: (m) => lines.push(`error ${m}`),
  };
}
