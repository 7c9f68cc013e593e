// A controller core for the simulator and the fleet benchmarks: database, desired-state sync, the MQTT
// link, and (unless an external broker is given) the embedded aedes broker - as controller/main.ts
// wires them, minus HTTP and audio.
import path from 'node:path';
import { type Db, openDb } from '../../controller/db.ts';
import { type Logger, silentLogger, systemClock } from '../../controller/deps.ts';
import { createDesiredSync } from '../../controller/desired.ts';
import {
  type ControllerLink,
  connectControllerLink,
  type EmbeddedBroker,
  startBroker,
} from '../../controller/mqtt.ts';

export interface SimControllerOptions {
  dataDir: string;
  /** An external broker; absent, the embedded broker starts on `port` (0: any free port). */
  external?: { url: string; username: string; password: string };
  port?: number;
  log?: Logger;
}

export interface SimController {
  db: Db;
  url: string;
  desired: ReturnType<typeof createDesiredSync>;
  broker: EmbeddedBroker | null;
  link: ControllerLink;
  /** Closes the embedded broker (dropping every connection) and starts it again on the same port. */
  restartEmbedded(downMs?: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * Thousands of simulated stations connect from 127.0.0.1, so the embedded broker's per-address
 * connection limit (a burst of 30, then 2 a second) is lifted here; real stations come from many addresses.
 */
export const UNTHROTTLED = { connectBurst: 1e9, connectsPerSec: 1e9 };

export async function startSimController(o: SimControllerOptions): Promise<SimController> {
  const log = o.log ?? silentLogger;
  const db = openDb(path.join(o.dataDir, 'controller.db'));
  const brokerOpts = { host: '127.0.0.1', port: o.port ?? 0, ...UNTHROTTLED };
  let broker = o.external ? null : await startBroker(db, brokerOpts, log);
  const url = o.external ? o.external.url : `mqtt://127.0.0.1:${broker?.port}`;
  let link: ControllerLink | null = null;
  const desired = createDesiredSync({
    db,
    clock: systemClock,
    log,
    publish: (id, state) => link?.publishDesired(id, state),
  });
  const connect = () =>
    connectControllerLink({
      db,
      clock: systemClock,
      log,
      url,
      username: o.external ? o.external.username : 'controller',
      password: o.external ? o.external.password : (broker?.controllerPassword ?? ''),
      onConnect: () => desired.publishAll(),
    });
  link = connect();
  const self: SimController = {
    db,
    url,
    desired,
    broker,
    link,
    restartEmbedded: async (downMs = 1000) => {
      if (!broker) throw new Error('no embedded broker');
      const port = broker.port;
      await broker.close();
      await new Promise((r) => setTimeout(r, downMs));
      broker = await startBroker(db, { ...brokerOpts, port }, log);
      // The embedded broker makes a new controller password at every start: log in again with it.
      await link?.close();
      link = connect();
      self.broker = broker;
      self.link = link;
    },
    close: async () => {
      await link?.close();
      await broker?.close();
      db.close();
    },
  };
  return self;
}

/** Stations the controller sees online since `since` and whose health reports their current version. */
export function controllerView(db: Db, since: string): { online: number; inSync: number } {
  return db
    .prepare(
      `SELECT COALESCE(SUM(online = 1 AND presence_at >= @since), 0) AS online,
              COALESCE(SUM(online = 1 AND presence_at >= @since AND json_extract(health_json, '$.at') >= @since
                  AND json_extract(health_json, '$.desiredVersion') = desired_version), 0) AS inSync
       FROM stations`,
    )
    .get({ since }) as { online: number; inSync: number };
}
