// Loggers: one plain-text line per message, prefixed with the part (or station) it comes from.
import { type Clock, systemClock } from './clock.ts';

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export function createLogger(prefix: string, clock: Clock = systemClock): Logger {
  const line = (level: string, m: string) => `${clock.now().toISOString()} ${level} [${prefix}] ${m}`;
  return {
    info: (m) => console.log(line('info', m)),
    warn: (m) => console.warn(line('warn', m)),
    error: (m) => console.error(line('error', m)),
  };
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };

export const errorMessage = (err: unknown): string => (err instanceof Error ? err.message : String(err));
