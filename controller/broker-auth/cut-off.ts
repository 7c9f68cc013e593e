// Closing a station's open connection at a broker the controller does not run (RabbitMQ, behind the auth
// callback). The callback refuses the station's next login at once, but a connection open at the time
// keeps its permission cache until it reconnects. So the controller connects under the station's client
// id: the broker's client-id registry gives an id to its newest connection, at whichever node, and
// closes the one before, and the station's reconnection meets the refusal. A second take-over after the
// answers' cache lifetime closes a connection a router's cached `allow` let back in meanwhile.
import mqtt from 'mqtt';
import { errorMessage, type Logger } from '../../common/log.ts';
import type { StationLinks } from '../deps.ts';

export interface CutOffDeps {
  /** MQTT_URL: the broker's node or nodes, comma-separated; tried in order until one answers. */
  url: string;
  username: string;
  password: string | undefined;
  log: Logger;
  /** The client ids a station may be connected under (one per protocol spoken). */
  clientIdsOf: (stationId: string) => string[];
  /** When to take the ids over once more (the callback's cache lifetime); 0: once only. */
  againAfterMs: number;
  /** How long one node gets to answer the take-over's CONNECT. */
  connectTimeoutMs?: number;
}

export interface CutOff extends StationLinks {
  /** Resolves once every take-over begun so far has settled (what a test waits for). */
  settled(): Promise<void>;
  stop(): void;
}

export function createCutOff(deps: CutOffDeps): CutOff {
  const urls = deps.url.split(',').map((u) => u.trim());
  const pending = new Set<Promise<unknown>>();
  const timers = new Set<NodeJS.Timeout>();

  /** Connects under `clientId` at one node and leaves at once; answers why not, or null. */
  const takeOverAt = (url: string, clientId: string) =>
    new Promise<string | null>((resolve) => {
      const client = mqtt.connect(url, {
        clientId,
        username: deps.username,
        password: deps.password,
        protocolVersion: 4,
        clean: true,
        reconnectPeriod: 0,
        connectTimeout: deps.connectTimeoutMs ?? 10_000,
      });
      const done = (why: string | null) => {
        client.removeAllListeners();
        client.on('error', () => {});
        client.end(true);
        resolve(why);
      };
      client.once('connect', () => done(null));
      client.once('error', (e) => done(errorMessage(e)));
      client.once('close', () => done('closed before CONNACK'));
    });

  const takeOver = async (stationId: string, clientId: string) => {
    const failures: string[] = [];
    for (const url of urls) {
      const why = await takeOverAt(url, clientId);
      if (why === null) {
        deps.log.info(`station ${stationId}: any connection under '${clientId}' closed at the broker`);
        return;
      }
      failures.push(`${url}: ${why}`);
    }
    deps.log.warn(
      `station ${stationId}: its connection under '${clientId}' could not be closed at the broker ` +
        `(${failures.join('; ')}); it stays until it reconnects`,
    );
  };

  const cut = (stationId: string) => {
    for (const clientId of deps.clientIdsOf(stationId)) {
      const job = takeOver(stationId, clientId).finally(() => pending.delete(job));
      pending.add(job);
    }
  };

  return {
    disconnect(stationId) {
      cut(stationId);
      if (deps.againAfterMs <= 0) return;
      const timer = setTimeout(() => {
        timers.delete(timer);
        cut(stationId);
      }, deps.againAfterMs);
      timer.unref();
      timers.add(timer);
    },
    settled: async () => {
      while (pending.size) await Promise.all(pending);
    },
    stop() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
    },
  };
}
