// What the simulator's processes share and say to each other over IPC: the stations' credentials, the
// fleet workers' commands and totals, the broker child's ready message, and the lifted connection limits.

export interface SimCredential {
  id: string;
  secret: string;
  /** The station's chain of areas, root first (its bulletin topics). */
  areaPath: string[];
}

export type ToWorker =
  | {
      type: 'start';
      url: string;
      stations: SimCredential[];
      ratePerSec: number;
      backoff: { minMs: number; maxMs: number };
      keepaliveSec: number;
    }
  | { type: 'asrun'; perStation: number; batchSize: number }
  | { type: 'stop' };

export interface WorkerStats {
  type: 'stats';
  started: number;
  online: number;
  /** How many stations have applied each desired-state version. */
  versions: Record<string, number>;
  acked: number;
  pending: number;
  malformed: number;
  /** Per bulletin id: how many stations reported it started, and finished. */
  alerts: Record<string, { started: number; finished: number }>;
  rssBytes: number;
  /** CPU time this worker process has used (user + system, ms). */
  cpuMs: number;
}

export interface BrokerReady {
  type: 'ready';
  port: number;
  controllerPassword: string;
}

/**
 * Thousands of simulated stations connect from 127.0.0.1, so the embedded broker's per-address
 * connection limit (a burst of 30, then 2 a second) is lifted here; real stations come from many addresses.
 */
export const UNTHROTTLED = { connectBurst: 1e9, connectsPerSec: 1e9 };
