// What a simulated station (station.ts) is given: its brokers, credentials, place, protocol and backoff.
export interface SimStationOptions {
  /** One broker, or `urls`: the brokers (a cluster's nodes); it starts at a random one and moves on. */
  url?: string;
  urls?: string[];
  id: string;
  secret: string;
  /** Its chain of areas, for the bulletin topics it subscribes to (a real agent has it from its desired state). */
  areaPath: string[];
  /** Set: protocol v2 of this province (topics under loa/v2/<province>, login `<id>@<province>`, hello). */
  province?: string;
  /** A login shared by every station instead of its own (a broker without the controller's credentials). */
  login?: { username: string; password: string };
  /** The agent's reconnect backoff (full jitter, ceiling doubling from minMs to maxMs). */
  backoff: { minMs: number; maxMs: number };
  keepaliveSec: number;
}
