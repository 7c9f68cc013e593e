// Loggers: a readable line per message by default, prefixed with the part (or station) it comes from; with
// LOG_FORMAT=json one JSON object per line (pino), for a log collector.
import { createRequire } from 'node:module';
import type pino from 'pino';
import { type Clock, systemClock } from './clock.ts';

/** pino is loaded at the first JSON logger: a process logging text (the edge agent) never holds it (3 MB). */
const loadPino = () => createRequire(import.meta.url)('pino') as typeof pino;

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** `text`: readable lines (the default); `json`: one JSON object per line. */
export type LogFormat = 'text' | 'json';

export const LOG_FORMATS: readonly LogFormat[] = ['text', 'json'];

/** One synchronous writer to stdout for every JSON logger of the process, so lines never interleave. */
let stdout: pino.DestinationStream | null = null;

/**
 * A logger for one part. JSON lines carry `level` (info, warn, error), `time` (ISO, from the clock),
 * `part` and `msg`; `destination` is for tests (default: stdout).
 */
export function createLogger(
  prefix: string,
  clock: Clock = systemClock,
  format: LogFormat = 'text',
  destination?: pino.DestinationStream,
): Logger {
  if (format === 'json') {
    const pino = loadPino();
    if (!destination && !stdout) stdout = pino.destination({ dest: 1, sync: true });
    const out = destination ?? (stdout as pino.DestinationStream);
    const p = pino(
      {
        base: { part: prefix },
        timestamp: () => `,"time":"${clock.now().toISOString()}"`,
        formatters: { level: (label) => ({ level: label }) },
      },
      out,
    );
    return { info: (m) => p.info(m), warn: (m) => p.warn(m), error: (m) => p.error(m) };
  }
  const line = (level: string, m: string) => `${clock.now().toISOString()} ${level} [${prefix}] ${m}`;
  return {
    info: (m) => console.log(line('info', m)),
    warn: (m) => console.warn(line('warn', m)),
    error: (m) => console.error(line('error', m)),
  };
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };

export const errorMessage = (err: unknown): string => (err instanceof Error ? err.message : String(err));
