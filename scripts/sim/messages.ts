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
      /** The brokers (a cluster's nodes); each station starts at a random one. */
      urls: string[];
      /** Set: the stations speak protocol v2 of this province. */
      province?: string;
      /** A login shared by every station (a broker without the controller's credentials). */
      login?: { username: string; password: string };
      stations: SimCredential[];
      ratePerSec: number;
      backoff: { minMs: number; maxMs: number };
      keepaliveSec: number;
    }
  | { type: 'asrun'; perStation: number; batchSize: number }
  /** Asks for a `StationsReport`. */
  | { type: 'report' }
  | { type: 'stop' };

/** A station's connection: when (ms since the epoch) and to which broker (its index in the list). */
export interface StationMove {
  at: number;
  node: number;
}

/** Per station: where it is, where it was, what it reported; the answer to `{type: 'report'}`. */
export interface StationsReport {
  type: 'report';
  stations: {
    id: string;
    online: boolean;
    node: number;
    moves: StationMove[];
    /** When it last reported its bulletins' states (ms since the epoch). */
    reportedAt: number | null;
    asRunSent: number;
    pending: number;
    appliedVersion: number;
    alerts: Record<string, string>;
  }[];
}

export interface WorkerStats {
  type: 'stats';
  started: number;
  online: number;
  /** How many stations have applied each desired-state version. */
  versions: Record<string, number>;
  acked: number;
  pending: number;
  malformed: number;
  /** Stations online on each broker of the list (by index). */
  nodes: number[];
  /** Hellos sent and roll calls heard (v2). */
  hellos: number;
  rollCalls: number;
  /** As-run records sent so far (acknowledged or not). */
  asRunSent: number;
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
