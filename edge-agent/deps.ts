// Small shared types for the edge agent's injected dependencies: clock, logger, sleep.
export interface Clock {
  now(): Date;
}

export interface Logger {
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string): void;
}

export const systemClock: Clock = { now: () => new Date() };

/** A plain-text logger that prefixes every line with the station id. */
export function createLogger(stationId: string, clock: Clock = systemClock): Logger {
  const line = (level: string, msg: string) => `${clock.now().toISOString()} [${stationId}] ${level} ${msg}`;
  return {
    info: (msg) => console.log(line('info', msg)),
    warn: (msg) => console.warn(line('warn', msg)),
    error: (msg) => console.error(line('error', msg)),
  };
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };

/** Resolves after `ms` (setTimeout, so fake timers drive it); rejects with the signal's reason on abort. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal?.reason);
    };
    const t = setTimeout(
      () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      },
      Math.max(0, ms),
    );
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export const errorMessage = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** What the agent needs from audio/player.ts's Player (structurally the same interface). */
export interface AgentPlayer {
  play(
    file: string,
    opts: { name: string; timeoutMs: number; volume?: number; signal?: AbortSignal },
  ): Promise<{ startedAt: Date; endedAt: Date; outputFile: string | null }>;
}
